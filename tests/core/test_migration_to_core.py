"""A database made before the kit migrates to it with nothing lost (issue #7, acceptance 4): the
import jobs and the personal-data access log move from orgs to core with every row, the grants
of the permission to see personal data follow it, and the change history stays."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE_THE_KIT = [
    ("orgs", "0003_personal_data_access_whose"),
    ("grids", "0003_post_holder_as_given"),
    ("core", None),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_jobs_access_log_permission_grants_and_history_survive_the_move_to_core():
    try:
        check_the_move_to_core()
    finally:
        migrate(latest())  # whatever happened, the next tests get today's schema


def check_the_move_to_core():
    old = migrate(BEFORE_THE_KIT)
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
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM orgs_areaevent")
        (events_before,) = cursor.fetchone()

    migrate(latest())
    call_command("migrate", verbosity=0)  # post_migrate: content types and permissions as a deploy makes them

    from core.models import ImportJob as NewImportJob
    from core.models import PersonalDataAccess as NewAccess
    from orgs.models import User as NewUser

    moved = NewImportJob.objects.get(pk=job.pk)
    assert (moved.filename, bytes(moved.content), moved.status, moved.summary) == (
        "花名册.xlsx",
        b"PK\x03\x04sheet",
        "done",
        {"new": 3},
    )
    assert NewAccess.objects.get(pk=access.pk).row_count == 1
    assert NewUser.objects.get(pk=cadre.pk).has_perm("core.view_personal_data")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM orgs_areaevent")
        assert cursor.fetchone()[0] == events_before >= 1
        cursor.execute("SELECT to_regclass('orgs_importjob'), to_regclass('orgs_personaldataaccess')")
        assert cursor.fetchone() == (None, None)
