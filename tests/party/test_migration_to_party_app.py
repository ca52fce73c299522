"""A database made while the party was part of orgs migrates to the party app with nothing lost
(issue 16 §1), and back: the rows stay in their orgs_ tables, the history triggers keep writing
(under the party's names forward, under orgs' back), and what names the models by app label —
content types with the permissions granted on them and the state changes, the personal-data
access log's model labels — follows them both ways."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("orgs", "0009_department_kinds_seeded"), ("party", None)]


def migrate(targets):
    """Migrate to `targets`; the models as every applied migration leaves them (core's too)."""
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


@pytest.mark.django_db(transaction=True)
def test_party_rows_history_grants_and_labels_survive_the_move_to_the_party_app_and_back():
    try:
        check_the_move()
    finally:
        migrate(latest())  # whatever happened, the next tests get today's schema


def check_the_move():
    old = migrate(BEFORE)
    User = old.get_model("orgs", "User")
    Area = old.get_model("orgs", "Area")
    Organisation = old.get_model("orgs", "PartyOrganisation")
    Member = old.get_model("orgs", "PartyMember")
    Unit = old.get_model("orgs", "ReportingUnit")
    Access = old.get_model("core", "PersonalDataAccess")
    StateChange = old.get_model("core", "StateChange")
    ContentType = old.get_model("contenttypes", "ContentType")
    Permission = old.get_model("auth", "Permission")

    cadre = User.objects.create(username="shequ", password="x")
    account = User.objects.create(username="danwei", password="x")
    street = Area.objects.create(code="220104001", name="前进街道", level="street", lft=1, rght=2, tree_id=1, depth=0)
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
    old_triggers = triggers_on("orgs_partymember")
    assert len(old_triggers) == 2

    migrate(latest())
    call_command("migrate", verbosity=0)  # post_migrate: content types and permissions as a deploy makes them

    from core.models import PersonalDataAccess
    from core.models import StateChange as NewStateChange
    from orgs.models import User as NewUser
    from party.models import PartyMember, PartyMemberEvent, ReportingUnit

    moved = PartyMember.objects.get(pk=member.pk)
    assert (moved.name, moved.organisation.name, moved.phone) == ("张三", "前进街道党工委", "13900000001")
    assert list(ReportingUnit.objects.get(pk=unit.pk).users.values_list("username", flat=True)) == ["danwei"]
    assert PartyMember._meta.db_table == "orgs_partymember"
    assert PartyMemberEvent.objects.filter(pgh_obj=moved).count() == events
    new_triggers = triggers_on("orgs_partymember")
    assert len(new_triggers) == 2 and not set(new_triggers) & set(old_triggers)  # renamed after party's models
    moved.name = "张三丰"
    moved.save()
    assert PartyMemberEvent.objects.filter(pgh_obj=moved).order_by("-pgh_id").first().name == "张三丰"
    assert NewUser.objects.get(pk=cadre.pk).has_perm("party.view_partymember")
    assert PersonalDataAccess.objects.get(pk=access.pk).model == "party.PartyMember"
    assert NewStateChange.objects.get(pk=change.pk).content_type.app_label == "party"
    assert scalar("SELECT count(*) FROM django_content_type WHERE app_label = 'orgs' AND model = 'partymember'") == 0

    back = migrate(BEFORE)

    assert back.get_model("orgs", "PartyMember").objects.get(pk=member.pk).name == "张三丰"
    assert back.get_model("core", "PersonalDataAccess").objects.get(pk=access.pk).model == "orgs.PartyMember"
    grant = back.get_model("orgs", "User").user_permissions.through.objects.get(user_id=cadre.pk)
    assert (grant.permission.content_type.app_label, grant.permission.codename) == ("orgs", "view_partymember")
    assert back.get_model("core", "StateChange").objects.get(pk=change.pk).content_type.app_label == "orgs"
    assert sorted(triggers_on("orgs_partymember")) == sorted(old_triggers)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE orgs_partymember SET name = '张三' WHERE id = %s", [member.pk])
    assert scalar("SELECT count(*) FROM orgs_partymemberevent") == events + 2  # orgs' trigger writes again
