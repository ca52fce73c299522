"""Issue #15: one area picker and one way of naming places. The new user's area and a party member's
residence are picked by the same widget from the same endpoint (orgs:area_pick); the residence,
like the user's area, is picked without a script too (a name that names one place is enough,
several come back listed); the roster and the residence name places from one module."""

import pytest
from django.urls import reverse

from orgs.choices import Role
from orgs.models import Area
from party.models import PartyMember
from tests.conftest import make_user
from tests.grids.test_roster_loop_in_the_browser import log_in

UNIT_A1 = "22010400100100100101"
BUILDING_A1 = "220104001001001001"


def member_form(member, **fields):
    return {
        "name": member.name,
        "organisation": member.organisation_id,
        "status": "full",
        "households_linked": 0,
        "ethnicity": "汉族",
        **fields,
    }


def test_the_user_form_and_the_member_form_use_one_picker_from_one_endpoint(party, city_org, street_a, client_for):
    user_form = client_for(city_org).get(reverse("orgs:user_create")).content.decode()
    residence_form = (
        client_for(street_a).get(reverse("party:partymember_edit", args=[party["zhang"].pk])).content.decode()
    )

    for html, field in ((user_form, "area_code"), (residence_form, "residence")):
        assert "data-area-picker" in html and f'hx-get="{reverse("orgs:area_pick")}"' in html
        assert f'name="{field}_q"' in html


def test_without_a_script_a_residence_named_once_is_taken(party, street_a, client_for):
    zhang = party["zhang"]

    response = client_for(street_a).post(
        reverse("party:partymember_edit", args=[zhang.pk]), member_form(zhang, residence_q="第1网格1栋1单元")
    )

    assert response.status_code == 302
    assert PartyMember.objects.get(pk=zhang.pk).residence.code == UNIT_A1


def test_without_a_script_a_residence_naming_several_places_lists_them_to_pick(party, street_a, client_for):
    zhang = party["zhang"]

    response = client_for(street_a).post(
        reverse("party:partymember_edit", args=[zhang.pk]), member_form(zhang, residence_q="1栋")
    )

    html = response.content.decode()
    assert response.status_code == 200 and "请在搜索结果中点选一个区划" in html
    assert f'value="{BUILDING_A1}"' in html and f'value="{UNIT_A1}"' in html
    assert PartyMember.objects.get(pk=zhang.pk).residence is None


def test_the_residence_keeps_to_the_users_scope_without_a_script_too(party, street_b, client_for):
    li = PartyMember.objects.create(name="王居民", organisation=party["grid_b1"], status="full")

    response = client_for(street_b).post(
        reverse("party:partymember_edit", args=[li.pk]), member_form(li, residence_q="A1社区第1网格1栋1单元")
    )

    assert response.status_code == 200 and "请在搜索结果中点选一个区划" in response.content.decode()
    assert PartyMember.objects.get(pk=li.pk).residence is None


def test_the_places_found_say_their_street_so_that_two_of_one_name_are_told_apart(areas, city_org, client_for):
    query = {"name": "area_code", "area_code_q": "第1网格", "levels": "grid", "action": "orgs.manage_roles"}

    html = client_for(city_org).get(reverse("orgs:area_pick"), query).content.decode()

    street_a, street_b = Area.objects.get(code="220104001").name, Area.objects.get(code="220104002").name
    assert f"{street_a} · A1社区 · 网格" in html and f"{street_b} · B1社区 · 网格" in html


def test_one_module_names_places_for_the_roster_and_the_residence(areas):
    from orgs.places import place_label, place_name, place_names

    unit = Area.objects.select_related("parent__parent__parent").get(code=UNIT_A1)

    assert place_name(unit) == "1栋1单元" and place_label(unit) == "1栋1单元（A1社区 · 第1网格）"
    assert place_name(unit.parent) == "第1网格1栋" and place_name(unit.parent.parent) == "A1社区第1网格"
    assert place_names([UNIT_A1]) == {UNIT_A1: "A1社区第1网格 · 1栋1单元"}


@pytest.mark.browser
@pytest.mark.slow
def test_the_new_users_area_picked_is_said_as_the_residence_is(transactional_db, areas, live_server, browser):
    from playwright.sync_api import expect

    make_user("org_city", Role.ORG_DEPARTMENT, areas["2201"])
    page = log_in(browser, live_server.url, "org_city")

    page.goto(f"{live_server.url}/users/new/")
    page.get_by_label("角色").select_option(label="网格员")
    page.get_by_label("管辖区划").press_sequentially("A1社区 第2", delay=50)
    page.get_by_role("radio", name="第2网格").check()

    expect(page.locator("[data-picked-label]")).to_have_text("第2网格（A1社区）")
