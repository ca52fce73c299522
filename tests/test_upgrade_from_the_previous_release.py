"""A database of the previous release upgrades with every row kept (issue 22, acceptance 2).

The previous release is `main` at 9b190bf, the last commit before the workforce app (issue 21)
began: its migrations, app by app, are recorded in PREVIOUS_RELEASE (the third-party apps' are
today's: requirements.txt is the same). The test's database is taken there — by unapplying what
came after, half a minute, or from an empty database when a later migration cannot be unapplied —
and deployed as that release deployed it (its content types and permissions); every model of every
app of that release gets a row, made with the models as its migrations left them; then
`manage.py upgrade` runs (its backup skipped: the backup has its own tests) and every row of
every table is still there, column for column, and the queued job is sent again.

At the next release, PREVIOUS_RELEASE becomes this release's leaves (`manage.py showmigrations`)."""

import datetime
import uuid
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, models
from django.db.migrations.exceptions import IrreversibleError
from django.utils import timezone

from tests.test_old_databases_migrate import deployed, empty_database, latest, migrate, scalar

PREVIOUS_RELEASE = [  # main at 9b190bf, the leaves of its migrations
    ("core", "0007_tallies"),
    ("orgs", "0012_latest_changes_indexes"),
    ("party", "0005_lists_walk_their_order_index"),
    ("grids", "0007_latest_changes_by_code"),
    ("assessment", "0008_evidence_from_earlier_records"),
    ("property", "0005_default_set_with_company_grade"),
    ("services", "0006_default_set_with_services"),
    ("funds", "0004_default_set_with_funds"),
    ("kitapp", "0005_service_point_is_an_area_record_with_a_phone_field"),  # the tests' app
]
NOT_YET = ["workforce"]  # the apps the previous release did not have
PROJECT_APPS = [app for app, _leaf in PREVIOUS_RELEASE]


def previous_release():
    """The migration targets of the previous release: its apps' leaves, the third-party apps' of
    today, none of the apps it did not have."""
    recorded = {app for app, _leaf in PREVIOUS_RELEASE} | set(NOT_YET)
    return [
        *PREVIOUS_RELEASE,
        *[(app, None) for app in NOT_YET],
        *[node for node in latest() if node[0] not in recorded],
    ]


def made_by_the_previous_release():
    """The database as the previous release left it; its models as its migrations left them."""
    try:
        migrate(previous_release())
    except IrreversibleError:  # a later migration cannot be unapplied: the long way, from nothing
        empty_database()
        migrate(previous_release())
    with connection.cursor() as cursor:  # what today's deploy added, that release never made
        cursor.execute(
            "DELETE FROM auth_permission WHERE content_type_id IN"
            " (SELECT id FROM django_content_type WHERE app_label = ANY(%s));"
            " DELETE FROM django_content_type WHERE app_label = ANY(%s)",
            [NOT_YET, NOT_YET],
        )
    return deployed(migrate(previous_release()))


# --- a row in every table ---------------------------------------------------------------------

FIRST_OF = {  # values a row must have to be one (the tree's root, its MPTT columns)
    "orgs.area": {"code": "2201", "name": "长春市", "level": "city", "lft": 1, "rght": 2, "tree_id": 1, "depth": 0},
}


def is_history(model):
    return any(field.name == "pgh_id" for field in model._meta.fields)  # pghistory's events: written by triggers


def is_job(model):
    names = {field.name for field in model._meta.fields}
    return {"status", "dispatched"} <= names


def value_for(field, made, old):
    if field.choices:
        return field.choices[0][0]
    if field.has_default():
        return field.get_default()
    if field.null:
        return None
    if isinstance(field, models.ForeignKey):
        return row_of(field.related_model, made, old)
    match field:
        case models.BooleanField():
            return False
        case models.DecimalField():
            return Decimal("1")
        case models.IntegerField() | models.FloatField():
            return 1
        case models.DateTimeField():
            return timezone.now()
        case models.DateField():
            return datetime.date(2026, 7, 1)
        case models.TimeField():
            return datetime.time(9, 0)
        case models.DurationField():
            return datetime.timedelta(days=1)
        case models.UUIDField():
            return uuid.uuid4()
        case models.GenericIPAddressField():
            return "127.0.0.1"
        case models.JSONField():
            return {}
        case models.BinaryField():
            return b"PK\x03\x04"
        case models.FileField():
            return f"upgrade/{field.model._meta.model_name}.pdf"
        case models.CharField() | models.TextField():
            text = f"{field.model._meta.model_name}.{field.name}"
            return text[: field.max_length] if field.max_length else text
    if field.get_internal_type() == "ArrayField":
        return []
    raise AssertionError(f"no value for {field.model._meta.label}.{field.name} ({type(field).__name__})")


def row_of(model, made, old):
    """One row of `model` (and of each model it must point at), made once."""
    label = model._meta.label_lower
    if label not in made:
        if model._meta.app_label not in PROJECT_APPS:
            made[label] = model._base_manager.order_by("pk").first() or model._base_manager.create(
                **{
                    field.name: value_for(field, made, old)
                    for field in model._meta.concrete_fields
                    if not field.primary_key
                }
            )
        else:
            values = dict(FIRST_OF.get(label, {}))
            for field in model._meta.concrete_fields:
                if field.primary_key or field.name in values:
                    continue
                if is_job(model) and field.name == "status":
                    values[field.name] = "done"  # finished: the upgrade leaves it (one queued job is made apart)
                elif isinstance(field, models.ForeignKey) and field.related_model is model:
                    values[field.name] = None
                else:
                    values[field.name] = value_for(field, made, old)
            made[label] = model._base_manager.create(**values)
    return made[label]


def one_row_in_every_table(old):
    made = {}
    for app in PROJECT_APPS:
        for model in old.get_app_config(app).get_models():
            if model._meta.managed and not model._meta.proxy and not is_history(model):
                row_of(model, made, old)
    for row in list(made.values()):  # and a many-to-many link of each
        for field in row._meta.many_to_many:
            if field.remote_field.through._meta.auto_created:
                getattr(row, field.name).add(row_of(field.related_model, made, old))
    return made


def queued_while_the_portal_was_down(old, made):
    """An import queued and never sent (the broker was away when the portal stopped)."""
    return old.get_model("core", "ImportJob")._base_manager.create(
        kind="roster", user_id=made["orgs.user"].pk, filename="花名册.xlsx", content=b"PK\x03\x04", status="queued"
    )


def every_row(columns=None, leave_out=None):
    """{table: (its columns, a Counter of each row's digest over them)} for every table of the
    database; with `columns` ({table: columns}), over those columns; `leave_out`: {table: ids}."""
    leave_out = leave_out or {}
    with connection.cursor() as cursor:
        if columns is None:
            cursor.execute(
                "SELECT table_name, array_agg(column_name::text ORDER BY ordinal_position)"
                " FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)"
                " WHERE table_schema = 'public' AND table_type = 'BASE TABLE' GROUP BY table_name"
            )
            columns = dict(cursor.fetchall())
        rows = {}
        for table, names in columns.items():
            quote = connection.ops.quote_name
            where = "WHERE id <> ALL(%s)" if table in leave_out else ""
            cursor.execute(
                f"SELECT md5(ROW({', '.join(map(quote, names))})::text) FROM {quote(table)} {where}",
                [leave_out[table]] if table in leave_out else [],
            )
            rows[table] = (names, Counter(digest for (digest,) in cursor.fetchall()))
    return rows


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_database_of_the_previous_release_upgrades_with_every_row_kept(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    try:
        old = made_by_the_previous_release()
        made = one_row_in_every_table(old)
        queued = queued_while_the_portal_was_down(old, made)
        before = every_row(leave_out={"core_importjob": [queued.pk]})
        empty = [
            model._meta.db_table
            for app in PROJECT_APPS
            for model in old.get_app_config(app).get_models()
            if model._meta.managed and not model._meta.proxy and not before[model._meta.db_table][1]
        ]
        assert empty == []  # a row in every table of that release, its history's too
        assert "workforce_worker" not in before

        out = StringIO()
        call_command("upgrade", "--skip-backup", stdout=out)

        after = every_row({table: names for table, (names, _rows) in before.items()})
        lost = {table: rows - after[table][1] for table, (_names, rows) in before.items() if rows - after[table][1]}
        assert lost == {}
        assert scalar("SELECT to_regclass('workforce_worker') IS NOT NULL")
        assert (settings.STATIC_ROOT / "css" / "portal.css").is_file()
        sent = old.get_model("core", "ImportJob")._base_manager.get(pk=queued.pk)
        assert (sent.status, sent.dispatched) != ("queued", False)
        output = out.getvalue()
        assert "workforce.0001_initial" in output
        assert "已重新发送 1 个任务" in output
        assert "升级完成" in output
    finally:
        migrate(latest())  # whatever happened, the next tests get today's schema
