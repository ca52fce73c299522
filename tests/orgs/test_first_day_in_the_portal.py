"""What a new user met on the first day (issue #7, defects 1–8): each role's own start page and
menu, breadcrumbs that never lead to "页面不存在", destructive actions that ask first, user
management in the portal, lists that sort and filter in one style, and a runtime without the
test tools."""

from pathlib import Path

import pytest
from django.urls import reverse

from orgs.choices import Role
from orgs.models import RoleAssignment, User
from tests.conftest import PASSWORD, make_user

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- 1. breadcrumb --------------------------------------------------------------------------


def test_the_breadcrumb_shows_ancestors_outside_the_scope_as_text(areas, grid_a1, client_for):
    html = page(client_for(grid_a1), reverse("orgs:area_detail", args=["220104001001001001"]))

    assert 'href="/areas/220104001001001/"' in html  # the own grid: a link
    assert 'href="/areas/220104001001/"' not in html  # the community above: text only
    assert "A1社区" in html and "长春市" in html


def test_the_city_sees_every_ancestor_as_a_link(areas, city_org, client_for):
    html = page(client_for(city_org), reverse("orgs:area_detail", args=["220104001001001"]))

    for code in ("2201", "220104", "220104001", "220104001001"):
        assert f'href="/areas/{code}/"' in html


# --- 2. destructive actions ask first --------------------------------------------------------


def test_nobody_can_revoke_their_own_last_role(areas, client_for):
    # Issue #15 (21): a district's own role lies at its own level, out of its reach (404); only a
    # superuser reaches its own role, and is told it cannot revoke the last one.
    district = make_user("chaoyang_zzb", Role.ORG_DEPARTMENT, areas["220104"])
    admin = make_user("admin_with_a_role", Role.ORG_DEPARTMENT, areas["2201"], is_superuser=True)
    own, admins = RoleAssignment.objects.get(user=district), RoleAssignment.objects.get(user=admin)

    refused = client_for(district).post(reverse("orgs:role_delete", args=[own.pk]))
    asked = client_for(admin).get(reverse("orgs:role_delete", args=[admins.pk]))
    posted = client_for(admin).post(reverse("orgs:role_delete", args=[admins.pk]), follow=True)

    assert refused.status_code == 404
    assert asked.status_code == 302
    assert "不能撤销您自己唯一的角色授权" in posted.content.decode()
    assert RoleAssignment.objects.filter(pk__in=[own.pk, admins.pk]).count() == 2


def test_the_area_page_offers_no_revoke_button_on_the_users_own_role(areas, city_org, client_for):
    own = RoleAssignment.objects.get(user=city_org)

    html = page(client_for(city_org), reverse("orgs:area_detail", args=["2201"]))

    assert reverse("orgs:role_delete", args=[own.pk]) not in html


# --- 3 and 4. each role's start page and menu ------------------------------------------------


@pytest.fixture
def demo_roles(areas, city_org, street_a, grid_a1):
    community = make_user("shequ", Role.COMMUNITY_CADRE, areas["220104001001"])
    department = make_user("zhujian", Role.DEPARTMENT, areas["220104"])
    admin = User.objects.create_superuser("admin", password=PASSWORD)
    return {
        "city_org": city_org,
        "street_a": street_a,
        "community": community,
        "grid_a1": grid_a1,
        "department": department,
        "admin": admin,
    }


@pytest.mark.parametrize(
    "who, shown, hidden",
    [
        ("city_org", ["我的管辖范围", "区划", "用户", "接口文档", "“三长”覆盖"], ["我的网格", "“三长”空缺"]),
        ("street_a", ["我的管辖范围", "区划", "导入记录", "“三长”空缺"], ["我的网格", "接口文档", ">用户<"]),
        ("community", ["我的管辖范围", "导入记录", "“三长”空缺"], ["我的网格", "接口文档"]),
        ("grid_a1", ["我的管辖范围", "我的网格"], ["接口文档", ">用户<", "“三长”覆盖"]),
        # A functional department reads the tree and its own work: no roster, no party (issue 18).
        ("department", ["我的管辖范围", "区划"], ["导入记录", "我的网格", "接口文档", "“三长”覆盖", "/party/members/"]),
        ("admin", ["系统管理员", "长春市", "区划", "用户", "接口文档", "导入记录"], ["尚未被分配管辖范围"]),
    ],
)
def test_each_role_starts_on_its_own_page_with_only_what_it_can_use(who, shown, hidden, demo_roles, client_for):
    html = page(client_for(demo_roles[who]), reverse("home"))

    for text in shown:
        assert text in html, text
    for text in hidden:
        assert text not in html, text
    assert "修改密码" in html


def test_a_user_with_no_role_is_told_whom_to_ask(areas, client_for):
    html = page(client_for(make_user("nobody", None, None)), reverse("home"))

    assert "您尚未被分配管辖范围，请联系组织部管理员。" in html


def test_the_home_page_lists_recent_changes_in_scope_only(areas, street_a, street_b, client_for):
    from orgs import tree
    from orgs.models import Area

    Area(code="220104002009", name="B新社区", level="community", parent=areas["220104002"]).save()
    del tree  # the save went through the tree's one write path

    assert "B新社区" in page(client_for(street_b), reverse("home"))
    assert "B新社区" not in page(client_for(street_a), reverse("home"))


def test_a_user_changes_the_own_password(areas, street_a, client_for):
    client = client_for(street_a)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "a-new-long-pw-42", "new_password2": "a-new-long-pw-42"},
    )

    assert response.status_code == 302
    street_a.refresh_from_db()
    assert street_a.check_password("a-new-long-pw-42")


# --- 6. user management ------------------------------------------------------------------------


def new_user(**overrides):
    return {
        "username": "wangge_a12",
        "name": "赵新",
        "phone": "13812345678",
        "role": Role.GRID_WORKER,
        "area_code": "220104001001002",
        "password1": "first-login-pw-77",
        "password2": "first-login-pw-77",
        **overrides,
    }


def test_an_org_department_creates_a_user_with_a_role_in_its_scope(areas, city_org, client_for):
    response = client_for(city_org).post(reverse("orgs:user_create"), new_user())

    user = User.objects.get(username="wangge_a12")
    assert response.status_code == 302
    assert user.get_full_name() == "赵新" and user.check_password("first-login-pw-77")
    assert list(user.role_assignments.values_list("role", "area__code")) == [(Role.GRID_WORKER, "220104001001002")]


def test_a_role_is_refused_at_a_level_where_it_makes_no_sense(areas, city_org, client_for):
    response = client_for(city_org).post(reverse("orgs:user_create"), new_user(area_code="220104001"))

    assert response.status_code == 200
    assert "只能授予在网格一级" in response.content.decode()
    assert not User.objects.filter(username="wangge_a12").exists()


def test_the_api_refuses_a_role_at_the_wrong_level_too(areas, city_org, street_b, client_for):
    response = client_for(city_org).post(
        "/api/role-assignments/",
        {"user": street_b.pk, "area": "2201", "role": Role.GRID_WORKER},
        content_type="application/json",
    )

    assert response.status_code == 400 and "只能授予在网格一级" in response.content.decode()


def test_an_org_department_resets_a_password_and_deactivates_a_user_of_its_scope(areas, city_org, grid_a1, client_for):
    client = client_for(city_org)

    client.post(
        reverse("orgs:user_password", args=[grid_a1.pk]),
        {"new_password1": "reset-long-pw-55", "new_password2": "reset-long-pw-55"},
    )
    asked = client.get(reverse("orgs:user_active", args=[grid_a1.pk]))
    client.post(reverse("orgs:user_active", args=[grid_a1.pk]))

    grid_a1.refresh_from_db()
    assert grid_a1.check_password("reset-long-pw-55")
    assert "确定停用吗" in asked.content.decode()
    assert not grid_a1.is_active


def test_a_granter_cannot_manage_a_user_who_also_serves_outside_its_scope(areas, client_for):
    district_b = make_user("org_b", Role.ORG_DEPARTMENT, areas["220104002"])
    both = make_user("both", Role.COMMUNITY_CADRE, areas["220104002001"])
    RoleAssignment.objects.create(user=both, area=areas["220104001001"], role=Role.COMMUNITY_CADRE)

    detail = page(client_for(district_b), reverse("orgs:user_detail", args=[both.pk]))

    assert reverse("orgs:user_password", args=[both.pk]) not in detail
    assert client_for(district_b).get(reverse("orgs:user_password", args=[both.pk])).status_code == 404


# --- 7. lists sort, filter in one style ---------------------------------------------------------


def test_the_area_list_sorts_by_a_column_and_styles_its_filters(areas, city_org, client_for):
    client = client_for(city_org)

    html = page(client, reverse("orgs:area_list"), sort="-name")

    assert 'class="sort-link"' in html
    assert html.index("长春市") < html.index("A1社区")  # descending names: 长 before A
    assert 'class="form-select form-select-sm"' in html and 'class="form-control form-control-sm"' in html


# --- 8. the runtime does not ship the test tools ---------------------------------------------------


def test_the_runtime_requirements_hold_no_test_or_lint_tool():
    runtime = (BASE_DIR / "requirements.txt").read_text()
    development = (BASE_DIR / "requirements-dev.txt").read_text()

    for tool in ("pytest", "playwright", "ruff", "hypothesis", "import-linter"):
        assert f"\n{tool}" not in runtime
        assert f"\n{tool}" in development
    assert "-r requirements.txt" in development
