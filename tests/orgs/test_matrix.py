"""The permission matrix (core/testing.py) of every page and endpoint of orgs and of the kit's
own pages (imports, reveal): anonymous → login, in scope → served, out of scope → 404 and
nothing written. The stories behind each page are in the other test modules."""

import pytest
from django.urls import reverse

from core.models import ExportJob, ImportJob
from core.testing import Page, PermissionMatrix
from orgs.choices import Role
from orgs.models import Area, RoleAssignment, User
from tests.conftest import make_user

CITY, DISTRICT, STREET_A, STREET_B = "2201", "220104", "220104001", "220104002"
COMMUNITY_A1, COMMUNITY_A2 = "220104001001", "220104001002"
CSV_A3 = "区划代码,名称,层级,上级代码\n220104001003,A3社区,社区,220104001\n".encode()


def tree_state(objects):
    return list(Area.objects.order_by("pk").values_list("pk", "code", "name", "level", "parent_id", "lft", "rght"))


def role_state(objects):
    return list(RoleAssignment.objects.order_by("pk").values_list("pk", "user_id", "area_id", "role"))


def user_state(objects):
    return list(User.objects.order_by("pk").values_list("pk", "password", "is_active"))


def job_state(objects):
    return ImportJob.objects.values_list("status", "dispatched").get(pk=objects["job"].pk)


@pytest.fixture
def org_b(areas):
    """The organisation department of street B: grants roles in street B only."""
    return make_user("org_b", Role.ORG_DEPARTMENT, areas[STREET_B])


@pytest.fixture
def revealer(city_org, grant_personal_data):
    grant_personal_data(city_org)
    return city_org


def url(name, *args):
    return lambda o: reverse(name, args=[a(o) if callable(a) else a for a in args])


class TestOrgsAndKitPagesMatrix(PermissionMatrix):
    pages = [
        Page("orgs:area_list", url("orgs:area_list"), insider="street_a", max_queries=12),
        # the old area search: to the menu bar's search (core:search), the query kept
        Page("orgs:area_search", lambda o: reverse("orgs:area_search") + "?q=A1", insider="street_a", ok=302),
        # the kit's choice picker (core.forms.ChoicePicker): the records of the user's scope named
        Page(
            "core:pick",
            lambda o: reverse("core:pick", args=["orgs.area"]) + "?name=area&action=view&area_q=A1",
            insider="street_a",
        ),
        Page(
            "orgs:area_pick",
            lambda o: reverse("orgs:area_pick") + "?name=residence&residence_q=A1&levels=community",
            insider="street_a",
        ),
        Page("orgs:area_detail", url("orgs:area_detail", STREET_A), insider="street_a", outsider="street_b"),
        Page("orgs:area_create", url("orgs:area_create", STREET_A), insider="street_a", outsider="street_b"),
        Page(
            "orgs:area_create",
            url("orgs:area_create", STREET_A),
            method="post",
            data=lambda o: {"code": "220104001009", "name": "越权", "level": "community"},
            outsider="street_b",
            state=tree_state,
        ),
        Page("orgs:area_edit", url("orgs:area_edit", COMMUNITY_A1), insider="street_a", outsider="street_b"),
        Page(
            "orgs:area_edit",
            url("orgs:area_edit", COMMUNITY_A1),
            method="post",
            data=lambda o: {"name": "越权", "level": "community"},
            outsider="street_b",
            state=tree_state,
        ),
        Page("orgs:area_move", url("orgs:area_move", COMMUNITY_A1), insider="street_a", outsider="street_b"),
        Page(
            "orgs:area_move",
            url("orgs:area_move", COMMUNITY_A1),
            method="post",
            data=lambda o: {"parent_code": STREET_B, "code": "220104002009"},
            outsider="street_b",
            state=tree_state,
        ),
        Page("orgs:area_delete", url("orgs:area_delete", COMMUNITY_A2), insider="street_a", outsider="street_b"),
        Page(
            "orgs:area_delete",
            url("orgs:area_delete", COMMUNITY_A2),
            method="post",
            outsider="street_b",
            state=tree_state,
        ),
        Page("orgs:area_export", url("orgs:area_export", STREET_A), insider="street_a", outsider="street_b"),
        Page("orgs:role_create", url("orgs:role_create"), insider="city_org", outsider="street_b"),
        Page(
            "orgs:role_create",
            url("orgs:role_create"),
            method="post",
            data=lambda o: {"user": o["grid_a1"].pk, "area_code": COMMUNITY_A1, "role": Role.COMMUNITY_CADRE},
            outsider="street_b",
            state=role_state,
        ),
        Page(
            "orgs:role_delete",
            url("orgs:role_delete", lambda o: o["assignment"].pk),
            insider="city_org",
            outsider="org_b",
        ),
        Page(
            "orgs:role_delete",
            url("orgs:role_delete", lambda o: o["assignment"].pk),
            method="post",
            outsider="org_b",
            state=role_state,
        ),
        Page("orgs:user_list", url("orgs:user_list"), insider="city_org", outsider="street_b", max_queries=12),
        Page("orgs:user_create", url("orgs:user_create"), insider="city_org", outsider="street_b"),
        Page(
            "orgs:area_pick",
            lambda o: reverse("orgs:area_pick") + "?name=area_code&area_code_q=网格&action=orgs.manage_roles",
            insider="city_org",
            outsider="street_b",
            max_queries=6,
        ),
        Page(
            "orgs:user_create",
            url("orgs:user_create"),
            method="post",
            data=lambda o: {
                "username": "intruder",
                "name": "越权",
                "role": Role.GRID_WORKER,
                "area_code": "220104001001001",
                "password1": "a-long-password-9",
                "password2": "a-long-password-9",
            },
            outsider="street_b",
            state=user_state,
        ),
        Page(
            "orgs:user_detail", url("orgs:user_detail", lambda o: o["grid_a1"].pk), insider="city_org", outsider="org_b"
        ),
        Page(
            "orgs:user_password",
            url("orgs:user_password", lambda o: o["grid_a1"].pk),
            insider="city_org",
            outsider="org_b",
        ),
        Page(
            "orgs:user_password",
            url("orgs:user_password", lambda o: o["grid_a1"].pk),
            method="post",
            data=lambda o: {"new_password1": "another-long-pw-7", "new_password2": "another-long-pw-7"},
            outsider="org_b",
            state=user_state,
        ),
        Page(
            "orgs:user_active", url("orgs:user_active", lambda o: o["grid_a1"].pk), insider="city_org", outsider="org_b"
        ),
        Page(
            "orgs:user_active",
            url("orgs:user_active", lambda o: o["grid_a1"].pk),
            method="post",
            outsider="org_b",
            state=user_state,
        ),
        # The kit's own pages: imports are the importing user's, the reveal is scoped and logged.
        Page("core:import_list", url("core:import_list"), insider="street_a"),
        Page("core:import_new", url("core:import_new", "areas"), insider="street_a", outsider="grid_a1"),
        Page("core:import_template", url("core:import_template", "areas"), insider="street_a", outsider="grid_a1"),
        Page(
            "core:import_detail",
            url("core:import_detail", lambda o: o["job"].pk),
            insider="street_a",
            outsider="street_b",
        ),
        Page(
            "core:import_progress",
            url("core:import_progress", lambda o: o["job"].pk),
            insider="street_a",
            outsider="street_b",
        ),
        Page(
            "core:import_rejected",
            url("core:import_rejected", lambda o: o["job"].pk),
            insider="street_a",
            outsider="street_b",
        ),
        Page(
            "core:import_changes",
            url("core:import_changes", lambda o: o["job"].pk),
            insider="street_a",
            outsider="street_b",
        ),
        Page(
            "core:import_confirm",
            url("core:import_confirm", lambda o: o["job"].pk),
            method="post",
            outsider="street_b",
            state=job_state,
        ),
        Page(
            "core:import_cancel",
            url("core:import_cancel", lambda o: o["job"].pk),
            method="post",
            outsider="street_b",
            state=job_state,
        ),
        Page(
            "core:export_detail",
            url("core:export_detail", lambda o: o["export"].pk),
            insider="street_a",
            outsider="street_b",
        ),
        Page(
            "core:export_progress",
            url("core:export_progress", lambda o: o["export"].pk),
            insider="street_a",
            outsider="street_b",
        ),
        Page(
            "core:export_download",
            url("core:export_download", lambda o: o["export"].pk),
            insider="street_a",
            outsider="street_b",
        ),
        Page(
            "core:reveal_personal_data",
            url("core:reveal_personal_data", "orgs.roleassignment", lambda o: o["assignment"].pk, "phone"),
            method="post",
            insider="revealer",
            outsider="street_b",
        ),
        # The API of orgs.
        Page("area-list", lambda o: "/api/areas/", insider="street_a", api=True, max_queries=8),
        Page("area-detail", lambda o: f"/api/areas/{STREET_A}/", insider="street_a", outsider="street_b", api=True),
        Page(
            "area-detail",
            lambda o: f"/api/areas/{COMMUNITY_A1}/",
            method="patch",
            data=lambda o: {"name": "越权"},
            outsider="street_b",
            api=True,
            state=tree_state,
        ),
        Page("roleassignment-list", lambda o: "/api/role-assignments/", insider="city_org", api=True, max_queries=8),
        Page(
            "roleassignment-detail",
            lambda o: f"/api/role-assignments/{o['assignment'].pk}/",
            insider="city_org",
            outsider="org_b",
            api=True,
        ),
        Page(
            "roleassignment-detail",
            lambda o: f"/api/role-assignments/{o['assignment'].pk}/",
            method="delete",
            outsider="org_b",
            api=True,
            state=role_state,
        ),
    ]

    @pytest.fixture
    def objects(self, areas, street_a, grid_a1):
        job = ImportJob.objects.create(
            kind="areas",
            user=street_a,
            filename="a3.csv",
            content=CSV_A3,
            summary={"rows": 1, "new": 1, "changed": 0, "unchanged": 0, "skipped": 0, "rejected": []},
            progress_total=1,
        )
        export = ExportJob.objects.create(
            user=street_a,
            path="/areas/",
            status="done",
            filename="区划.csv",
            content=b"a,b\n",
            content_type="text/csv",
        )
        return {
            "job": job,
            "export": export,
            "grid_a1": grid_a1,
            "assignment": RoleAssignment.objects.get(user=grid_a1),
        }
