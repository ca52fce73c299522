"""A database made before departments were records migrates with every role assignment kept
(issue 16 §3): the kinds are seeded, and a department role granted before keeps an empty
department — nothing is invented for it — shown as 未指定部门 until a 组织部 regrants it; and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from orgs.models import office_label

BEFORE = [("orgs", "0007_meeting_details_absences_photos_committee_service_deletions"), ("kitapp", "0002_notice")]
AFTER = [("orgs", "0009_department_kinds_seeded")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_old_role_assignments_survive_and_the_department_roles_wait_for_their_department():
    try:
        check_the_migration()
    finally:
        migrate(latest())  # whatever happened, the next tests get today's schema


def check_the_migration():
    old = migrate(BEFORE)
    User = old.get_model("orgs", "User")
    Area = old.get_model("orgs", "Area")
    RoleAssignment = old.get_model("orgs", "RoleAssignment")
    city = Area.objects.create(code="2201", name="长春市", level="city", lft=1, rght=4, tree_id=1, depth=0)
    district = Area.objects.create(
        code="220104", name="朝阳区", level="district", parent=city, lft=2, rght=3, tree_id=1, depth=1
    )
    bureau = RoleAssignment.objects.create(
        user=User.objects.create(username="zhujian"), area=district, role="department"
    )
    org = RoleAssignment.objects.create(user=User.objects.create(username="zuzhibu"), area=city, role="org_department")

    new = migrate(AFTER)
    assignments = new.get_model("orgs", "RoleAssignment").objects
    kinds = new.get_model("orgs", "DepartmentKind").objects

    assert sorted(assignments.values_list("pk", "role", "department_id")) == sorted(
        [(bureau.pk, "department", None), (org.pk, "org_department", None)]
    )
    assert kinds.count() == 12 and kinds.order_by("order").first().name == "住建"
    assert office_label("department", "朝阳区", "") == "朝阳区职能部门（未指定部门）"

    back = migrate(BEFORE)
    assert back.get_model("orgs", "RoleAssignment").objects.count() == 2
