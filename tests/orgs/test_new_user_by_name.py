"""Issue #15, defect 10: a new user's area is picked by name, among the areas where the granter may
grant the role (no code to copy from the area pages), and a reporting unit's account (报到单位账号)
is created from user management too, for a unit of the granter's scope."""

import pytest
from django.urls import reverse

from orgs.choices import Role
from orgs.models import Area, RoleAssignment, User
from party.choices import UnitKind
from party.models import ReportingUnit
from tests.conftest import make_user

CREATE = "/users/new/"
CHOICES = "/areas/pick/"  # the area picker's results (orgs:area_pick)
# What the form's picker sends with what is typed: its field, the levels where some role fits, its scope.
PICKER = {"name": "area_code", "levels": "city,district,street,community,grid", "action": "orgs.manage_roles"}


@pytest.fixture
def org_b(areas):
    """An organisation department over street B: it grants below street B only."""
    return make_user("org_b", Role.ORG_DEPARTMENT, areas["220104002"])


@pytest.fixture
def units(areas):
    return {
        "a": ReportingUnit.objects.create(name="市住建局", kind=UnitKind.AGENCY, area=areas["220104001"]),
        "b": ReportingUnit.objects.create(name="市卫健委", kind=UnitKind.AGENCY, area=areas["220104002"]),
    }


def new_user(**overrides):
    return {
        "username": "wangge_a12",
        "name": "赵新",
        "phone": "13812345678",
        "role": Role.GRID_WORKER,
        "password1": "first-login-pw-77",
        "password2": "first-login-pw-77",
        **overrides,
    }


def test_the_form_asks_for_the_area_by_name_not_by_code(areas, city_org, client_for):
    html = client_for(city_org).get(CREATE).content.decode()

    assert "按名称搜索后复制" not in html and "管辖区划代码" not in html
    assert 'name="area_code_q"' in html and f'hx-get="{CHOICES}"' in html


def test_typing_a_name_finds_the_areas_of_the_granters_scope(areas, city_org, client_for):
    html = client_for(city_org).get(CHOICES, {**PICKER, "area_code_q": "前进"}).content.decode()

    assert "前进街道" in html and 'value="220104001"' in html


def test_the_areas_found_are_only_those_where_the_granter_may_grant(areas, org_b, client_for):
    html = client_for(org_b).get(CHOICES, {**PICKER, "area_code_q": "网格"}).content.decode()

    assert 'value="220104002001001"' in html  # street B's grid
    assert 'value="220104001001001"' not in html  # street A's: not org_b's
    assert 'value="220104002"' not in html  # its own street: the level above's to grant


def test_the_areas_found_fit_the_role(areas, city_org, client_for):
    html = client_for(city_org).get(CHOICES, {**PICKER, "area_code_q": "A1", "role": Role.GRID_WORKER}).content.decode()
    communities = client_for(city_org).get(CHOICES, {**PICKER, "area_code_q": "A1", "role": Role.COMMUNITY_CADRE})

    assert 'value="220104001001"' not in html  # A1社区 is no grid
    assert 'value="220104001001"' in communities.content.decode()


def test_someone_who_grants_nothing_finds_nothing(areas, street_a, client_for):
    assert client_for(street_a).get(CHOICES, {**PICKER, "area_code_q": "网格"}).status_code == 404


def test_a_picked_area_creates_the_user_with_the_role_there(areas, city_org, client_for):
    response = client_for(city_org).post(CREATE, new_user(area_code="220104001001002"))

    assert response.status_code == 302
    user = User.objects.get(username="wangge_a12")
    assert list(user.role_assignments.values_list("role", "area__code")) == [(Role.GRID_WORKER, "220104001001002")]


def test_without_a_script_a_name_that_finds_one_area_is_enough(areas, city_org, client_for):
    response = client_for(city_org).post(CREATE, new_user(area_code_q="第2网格"))

    assert response.status_code == 302
    assert RoleAssignment.objects.get(user__username="wangge_a12").area.code == "220104001001002"


def test_without_a_script_a_name_that_finds_several_lists_them_to_pick(areas, city_org, client_for):
    response = client_for(city_org).post(CREATE, new_user(area_code_q="第1网格"))

    html = response.content.decode()
    assert response.status_code == 200 and "请在搜索结果中点选一个区划" in html
    assert 'value="220104001001001"' in html and 'value="220104002001001"' in html
    assert not User.objects.filter(username="wangge_a12").exists()


def test_a_unit_account_is_created_for_a_unit_of_the_scope(areas, city_org, units, client_for):
    client = client_for(city_org)

    response = client.post(CREATE, new_user(username="danwei_zj", role="unit_account", unit=units["a"].pk))

    user = User.objects.get(username="danwei_zj")
    assert response.status_code == 302
    assert list(user.reporting_units.all()) == [units["a"]] and not user.role_assignments.exists()
    listing = client.get(reverse("orgs:user_list")).content.decode()
    assert "danwei_zj" in listing and "报到单位账号 · 市住建局" in listing
    detail = client.get(reverse("orgs:user_detail", args=[user.pk])).content.decode()
    assert reverse("orgs:user_password", args=[user.pk]) in detail  # managed like every other user


def test_a_unit_outside_the_scope_is_refused(areas, org_b, units, client_for):
    response = client_for(org_b).post(CREATE, new_user(username="danwei_x", role="unit_account", unit=units["a"].pk))

    assert response.status_code == 200
    assert not User.objects.filter(username="danwei_x").exists()
    assert units["a"].users.count() == 0


def test_the_role_choices_offer_the_unit_account_and_only_roles_below_the_granter(
    areas, city_org, org_b, units, client_for
):
    city = client_for(city_org).get(CREATE).content.decode()
    street_org = client_for(org_b).get(CREATE).content.decode()

    assert 'value="unit_account"' in city and "报到单位账号" in city
    assert f'value="{Role.ORG_DEPARTMENT}"' in city  # over a district
    assert f'value="{Role.ORG_DEPARTMENT}"' not in street_org and f'value="{Role.STREET_CADRE}"' not in street_org
    assert f'value="{Role.GRID_WORKER}"' in street_org


def test_an_area_of_the_form_stays_picked_when_the_form_comes_back(areas, city_org, client_for):
    response = client_for(city_org).post(CREATE, new_user(area_code="220104001001002", password2="other-pw-88"))

    html = response.content.decode()
    assert 'value="220104001001002" checked' in html
    assert Area.objects.get(code="220104001001002").name in html


def test_the_role_form_picks_the_area_by_name_too(areas, city_org, street_a, client_for):
    client = client_for(city_org)

    html = client.get(reverse("orgs:role_create"), {"area": "220104001", "user": street_a.pk}).content.decode()
    other = make_user("jiedao_new", Role.GRID_WORKER, areas["220104001001001"])
    client.post(reverse("orgs:role_create"), {"user": other.pk, "role": Role.STREET_CADRE, "area_code_q": "前进街道"})

    assert 'name="area_code_q"' in html and 'value="220104001" checked' in html
    assert RoleAssignment.objects.filter(user=other, area__code="220104001", role=Role.STREET_CADRE).exists()


def test_a_name_shared_by_many_areas_is_narrowed_by_the_parents_name(areas, city_org, client_for):
    html = client_for(city_org).get(CHOICES, {**PICKER, "area_code_q": "B1社区 第1网格"}).content.decode()

    assert 'value="220104002001001"' in html
    assert 'value="220104001001001"' not in html  # A1社区's 第1网格
