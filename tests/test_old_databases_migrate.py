"""Databases made by earlier versions migrate with nothing lost, and back: one trip through the
portal's past, since every migration back and forth takes a minute of the suite.

1. Made before the kit (issue #7, acceptance 4): the import jobs and the personal-data access
   log move from orgs to core with every row, the grants of the permission to see personal data
   follow it, and the change history stays.
2. Made before departments were records (issue 16 §3): every role assignment is kept, the kinds
   are seeded, and a department role granted before keeps an empty department — nothing is
   invented for it — shown as 未指定部门 until a 组织部 regrants it; and back.
3. Made while the party was part of orgs (issue 16 §1): the rows stay in their orgs_ tables, the
   history triggers keep writing (under the party's names forward, under orgs' back), and what
   names the models by app label — content types with the permissions granted on them and the
   state changes, the personal-data access log's model labels — follows them both ways.

The test has a database of its own, made from the first migration up to before the kit (a few
seconds: going back there from today unapplied every later migration of every app, a minute and a
half), then forward through each of these versions, each adding its rows as it then could, then to
today (checking the moves to core and to the party app), then back to before the party app
(checking that way too); the worker's test database is left as it was."""

from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from orgs.models import office_label

BEFORE_THE_KIT = [("orgs", "0003_personal_data_access_whose"), ("grids", "0003_post_holder_as_given"), ("core", None)]
BEFORE_DEPARTMENTS = [
    ("orgs", "0007_meeting_details_absences_photos_committee_service_deletions"),
    ("kitapp", "0002_notice"),
]
WITH_DEPARTMENTS = [("orgs", "0009_department_kinds_seeded")]
BEFORE_THE_PARTY_APP = [("orgs", "0009_department_kinds_seeded"), ("party", None)]


def migrate(targets):
    """Migrate to `targets`; the models as every applied migration leaves them."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    applied = set(executor.loader.applied_migrations)
    graph = executor.loader.graph
    leaves = [node for node in applied if not graph.node_map[node].children & applied]
    return executor.loader.project_state(leaves).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def scalar(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def triggers_on(table):
    """The pgtrigger triggers installed on `table`, by name."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname LIKE 'pgtrigger_%%' ORDER BY 1",
            [table],
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def database_of_its_own(django_db_setup, django_db_blocker):
    """The test's connection on a new, empty database of its own for the test's length: the worker's
    test database is neither emptied nor migrated back and forth (the tests after it find it as the
    template made it, its seeded rows included, without a last trip forward through every migration)."""
    from django.contrib.contenttypes.models import ContentType

    from tests.template_db import admin_connection, quoted

    original = connection.settings_dict["NAME"]
    name = original + "_old"
    with django_db_blocker.unblock():
        with admin_connection() as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {quoted(name)} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {quoted(name)}")
        connection.close()
        connection.settings_dict["NAME"] = name
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict["NAME"] = original
            ContentType.objects.clear_cache()  # ids of the other database's content types
            with admin_connection() as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {quoted(name)} WITH (FORCE)")


@pytest.mark.slow
def test_databases_from_before_the_kit_departments_and_the_party_app_migrate_with_nothing_lost_and_back(
    database_of_its_own,
):
    empty_database()  # no extension either, whatever template1 carries
    kit = made_before_the_kit()
    made_before_departments_and_migrated_to_them_and_back()
    party = made_before_the_party_app()

    migrate(latest())
    call_command("migrate", verbosity=0)  # post_migrate: content types and permissions as a deploy makes them

    check_the_move_to_core(kit)
    check_the_move_to_the_party_app(party)
    check_the_party_moved_back(party)


def deployed(old):
    """The content types and permissions of the models of `old`, as that version's deploy made them
    after migrating (post_migrate, on the historical models): what its rows point at. Returns `old`."""
    emit_post_migrate_signal(0, False, connection.alias, apps=old, plan=[])
    return old


def empty_database():
    """No table, no trigger function, no extension: as a new database before its first migration."""
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")


# --- 1. before the kit ------------------------------------------------------------------------


def made_before_the_kit():
    old = deployed(migrate(BEFORE_THE_KIT))
    User = old.get_model("orgs", "User")
    Area = old.get_model("orgs", "Area")
    ImportJob = old.get_model("orgs", "ImportJob")
    Access = old.get_model("orgs", "PersonalDataAccess")
    ContentType = old.get_model("contenttypes", "ContentType")
    Permission = old.get_model("auth", "Permission")

    cadre = User.objects.create(username="shequ", password="x")
    user_type, _ = ContentType.objects.get_or_create(app_label="orgs", model="user")
    permission, _ = Permission.objects.get_or_create(
        content_type=user_type, codename="view_personal_data", defaults={"name": "可查看完整的手机号和身份证号"}
    )
    cadre.user_permissions.add(permission)
    job = ImportJob.objects.create(
        kind="roster", user=cadre, filename="花名册.xlsx", content=b"PK\x03\x04sheet", status="done", summary={"new": 3}
    )
    access = Access.objects.create(user=cadre, model="grids.Person", object_id="7", field="phone", row_count=1)
    Area.objects.create(code="2201", name="长春市", level="city", lft=1, rght=2, tree_id=1, depth=0)
    events = scalar("SELECT array_agg(pgh_id ORDER BY pgh_id) FROM orgs_areaevent")
    assert len(events) >= 1
    return SimpleNamespace(cadre=cadre, job=job, access=access, area_events=events)


def check_the_move_to_core(kit):
    from core.models import ImportJob, PersonalDataAccess
    from orgs.models import User

    moved = ImportJob.objects.get(pk=kit.job.pk)
    assert (moved.filename, bytes(moved.content), moved.status, moved.summary) == (
        "花名册.xlsx",
        b"PK\x03\x04sheet",
        "done",
        {"new": 3},
    )
    assert PersonalDataAccess.objects.get(pk=kit.access.pk).row_count == 1
    assert User.objects.get(pk=kit.cadre.pk).has_perm("core.view_personal_data")
    assert scalar("SELECT count(*) FROM orgs_areaevent WHERE pgh_id = ANY(%s)", [kit.area_events]) == len(
        kit.area_events
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('orgs_importjob'), to_regclass('orgs_personaldataaccess')")
        assert cursor.fetchone() == (None, None)


# --- 2. before departments were records ---------------------------------------------------------


def made_before_departments_and_migrated_to_them_and_back():
    old = deployed(migrate(BEFORE_DEPARTMENTS))
    User = old.get_model("orgs", "User")
    Area = old.get_model("orgs", "Area")
    RoleAssignment = old.get_model("orgs", "RoleAssignment")
    city = Area.objects.get(code="2201")  # made before the kit
    city.rght = 4
    city.save()
    district = Area.objects.create(
        code="220104", name="朝阳区", level="district", parent=city, lft=2, rght=3, tree_id=1, depth=1
    )
    bureau = RoleAssignment.objects.create(
        user=User.objects.create(username="zhujian"), area=district, role="department"
    )
    org = RoleAssignment.objects.create(user=User.objects.create(username="zuzhibu"), area=city, role="org_department")

    new = migrate(WITH_DEPARTMENTS)
    assignments = new.get_model("orgs", "RoleAssignment").objects
    kinds = new.get_model("orgs", "DepartmentKind").objects

    assert sorted(assignments.values_list("pk", "role", "department_id")) == sorted(
        [(bureau.pk, "department", None), (org.pk, "org_department", None)]
    )
    assert kinds.count() == 12 and kinds.order_by("order").first().name == "住建"
    assert office_label("department", "朝阳区", "") == "朝阳区职能部门（未指定部门）"

    back = migrate(BEFORE_DEPARTMENTS)
    assert back.get_model("orgs", "RoleAssignment").objects.count() == 2


# --- 3. while the party was part of orgs ----------------------------------------------------------


def before_the_party_app():
    """orgs as it was before the party app, the kit (core) as today."""
    return BEFORE_THE_PARTY_APP + [node for node in latest() if node[0] == "core"]


def made_before_the_party_app():
    old = deployed(migrate(before_the_party_app()))
    User = old.get_model("orgs", "User")
    Area = old.get_model("orgs", "Area")
    Organisation = old.get_model("orgs", "PartyOrganisation")
    Member = old.get_model("orgs", "PartyMember")
    Unit = old.get_model("orgs", "ReportingUnit")
    Access = old.get_model("core", "PersonalDataAccess")
    StateChange = old.get_model("core", "StateChange")
    ContentType = old.get_model("contenttypes", "ContentType")
    Permission = old.get_model("auth", "Permission")

    cadre = User.objects.create(username="zhibu", password="x")
    account = User.objects.create(username="danwei", password="x")
    street = Area.objects.create(code="220104001", name="前进街道", level="street", lft=1, rght=2, tree_id=2, depth=0)
    organisation = Organisation.objects.create(name="前进街道党工委", kind="street_committee", area=street)
    member = Member.objects.create(name="张三", organisation=organisation, phone="13900000001")
    unit = Unit.objects.create(name="长春市住房和城乡建设局", kind="agency", area=street)
    unit.users.add(account)
    member_type, _ = ContentType.objects.get_or_create(app_label="orgs", model="partymember")
    permission, _ = Permission.objects.get_or_create(
        content_type=member_type, codename="view_partymember", defaults={"name": "Can view 党员"}
    )
    cadre.user_permissions.add(permission)
    access = Access.objects.create(
        user=cadre, model="orgs.PartyMember", object_id=str(member.pk), field="phone", row_count=1
    )
    change = StateChange.objects.create(
        content_type=member_type, object_id=member.pk, transition="t", label="测试", to_state="b", user=cadre
    )
    events = scalar("SELECT count(*) FROM orgs_partymemberevent")
    assert events == 1  # the insert, written by orgs' trigger
    triggers = triggers_on("orgs_partymember")
    assert len(triggers) == 2
    return SimpleNamespace(
        cadre=cadre, member=member, unit=unit, access=access, change=change, events=events, triggers=triggers
    )


def check_the_move_to_the_party_app(party):
    from core.models import PersonalDataAccess, StateChange
    from orgs.models import User
    from party.models import PartyMember, PartyMemberEvent, ReportingUnit

    moved = PartyMember.objects.get(pk=party.member.pk)
    assert (moved.name, moved.organisation.name, moved.phone) == ("张三", "前进街道党工委", "13900000001")
    assert list(ReportingUnit.objects.get(pk=party.unit.pk).users.values_list("username", flat=True)) == ["danwei"]
    assert PartyMember._meta.db_table == "orgs_partymember"
    assert PartyMemberEvent.objects.filter(pgh_obj=moved).count() == party.events
    new_triggers = triggers_on("orgs_partymember")
    assert len(new_triggers) == 2 and not set(new_triggers) & set(party.triggers)  # renamed after party's models
    moved.name = "张三丰"
    moved.save()
    assert PartyMemberEvent.objects.filter(pgh_obj=moved).order_by("-pgh_id").first().name == "张三丰"
    assert User.objects.get(pk=party.cadre.pk).has_perm("party.view_partymember")
    assert PersonalDataAccess.objects.get(pk=party.access.pk).model == "party.PartyMember"
    assert StateChange.objects.get(pk=party.change.pk).content_type.app_label == "party"
    assert scalar("SELECT count(*) FROM django_content_type WHERE app_label = 'orgs' AND model = 'partymember'") == 0


def check_the_party_moved_back(party):
    back = migrate(before_the_party_app())

    assert back.get_model("orgs", "PartyMember").objects.get(pk=party.member.pk).name == "张三丰"
    assert back.get_model("core", "PersonalDataAccess").objects.get(pk=party.access.pk).model == "orgs.PartyMember"
    grant = back.get_model("orgs", "User").user_permissions.through.objects.get(user_id=party.cadre.pk)
    assert (grant.permission.content_type.app_label, grant.permission.codename) == ("orgs", "view_partymember")
    assert back.get_model("core", "StateChange").objects.get(pk=party.change.pk).content_type.app_label == "orgs"
    assert sorted(triggers_on("orgs_partymember")) == sorted(party.triggers)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE orgs_partymember SET name = '张三' WHERE id = %s", [party.member.pk])
    assert scalar("SELECT count(*) FROM orgs_partymemberevent") == party.events + 2  # orgs' trigger writes again
