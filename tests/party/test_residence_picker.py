"""A member's residence is picked by name, not typed as a code, and shown with its building
(issue #15, finding 27): typing "1栋1单元" lists that unit of the user's scope as "1栋1单元" with
its grid and community; a click chooses it; the member's page says "1栋1单元（A1社区 · 第1网格）"."""

import pytest
from django.urls import reverse

from orgs.models import Area
from orgs.places import place_label
from party.models import PartyMember
from tests.conftest import make_user
from tests.grids.test_roster_loop_in_the_browser import log_in

UNIT_A1 = "22010400100100100101"


def test_the_picker_finds_a_unit_by_building_and_unit_in_the_users_scope(party, community_a1, street_b, client_for):
    mine = client_for(community_a1).get(
        reverse("orgs:area_pick"), {"name": "residence", "residence_q": "1栋1单元", "levels": "building,unit"}
    )
    theirs = client_for(street_b).get(
        reverse("orgs:area_pick"), {"name": "residence", "residence_q": "1栋1单元", "levels": "building,unit"}
    )

    html = mine.content.decode()
    assert f'value="{UNIT_A1}"' in html
    assert "1栋1单元" in html and "A1社区 · 第1网格" in html
    assert UNIT_A1 not in theirs.content.decode() and "没有找到" in theirs.content.decode()


def test_the_picker_narrows_by_grid_and_keeps_to_the_levels_asked(party, community_a1, client_for):
    client = client_for(community_a1)

    by_grid = client.get(
        reverse("orgs:area_pick"), {"name": "residence", "residence_q": "第1网格 1栋", "levels": "building,unit"}
    ).content.decode()
    by_grid_only = client.get(
        reverse("orgs:area_pick"), {"name": "residence", "residence_q": "第1网格", "levels": "unit"}
    ).content.decode()

    assert 'value="220104001001001001"' in by_grid and f'value="{UNIT_A1}"' in by_grid
    assert 'value="220104001001001"' not in by_grid_only  # the grid itself is not a unit


def test_the_members_page_shows_the_unit_with_its_building(party, community_a1, client_for):
    PartyMember.objects.filter(pk=party["zhang"].pk).update(residence=Area.objects.get(code=UNIT_A1))

    html = client_for(community_a1).get(party["zhang"].get_absolute_url()).content.decode()

    assert "1栋1单元（A1社区 · 第1网格）" in html


def test_a_residence_is_a_home_not_a_street_by_the_form_the_api_and_the_import(party, street_a, client_for):
    from .test_member_import import member_row, sheet, upload

    client = client_for(street_a)
    zhang = party["zhang"]
    by_api = client.patch(
        f"/api/party-members/{zhang.pk}/", {"residence": "220104001"}, content_type="application/json"
    )
    by_form = client.post(
        reverse("party:partymember_edit", args=[zhang.pk]),
        {
            "name": zhang.name,
            "organisation": zhang.organisation_id,
            "status": "full",
            "households_linked": 0,
            "ethnicity": "汉族",
            "residence": "220104001",
        },
    )
    row = member_row("钱居民", "A1社区第1网格党支部", "", 居住区划代码="220104001")
    by_import = upload(client, sheet([row])).summary["rejected"]

    assert by_api.status_code == 400 and "居住地须是网格、楼栋或单元" in by_api.json()["residence"][0]
    assert "居住地须是网格、楼栋或单元" in by_form.content.decode()
    assert [r["reason"] for r in by_import] == ["居住地“220104001”不是您管辖范围内的网格、楼栋或单元。"]
    assert PartyMember.objects.get(pk=zhang.pk).residence is None


def test_a_place_is_named_as_people_say_it(areas):
    assert place_label(areas[UNIT_A1]) == "1栋1单元（A1社区 · 第1网格）"
    assert place_label(areas["220104001001001001"]) == "1栋（A1社区 · 第1网格）"
    assert place_label(areas["220104001001001"]) == "第1网格（A1社区）"


@pytest.mark.browser
@pytest.mark.slow
def test_a_community_cadre_picks_a_members_home_by_typing_its_building_and_unit(
    transactional_db, areas, live_server, browser
):
    from playwright.sync_api import expect

    from orgs.choices import Role
    from party.choices import OrgKind
    from party.models import PartyOrganisation

    make_user("shequ_a1", Role.COMMUNITY_CADRE, areas["220104001001"])
    branch = PartyOrganisation.objects.create(
        name="A1社区第1网格党支部", kind=OrgKind.GRID_BRANCH, area=areas["220104001001001"]
    )
    page = log_in(browser, live_server.url, "shequ_a1")

    page.goto(f"{live_server.url}/party/members/add/?organisation={branch.pk}")
    page.get_by_label("姓名").fill("李居民")
    page.get_by_label("居住地").fill("1栋1单元")
    match = page.locator(".area-choice", has_text="1栋1单元")
    expect(match).to_contain_text("A1社区 · 第1网格")
    match.click()
    expect(page.locator("[data-picked-label]")).to_have_text("1栋1单元（A1社区 · 第1网格）")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()

    expect(page.locator("h1")).to_have_text("李居民")
    expect(page.locator("dd", has_text="1栋1单元")).to_have_text("1栋1单元（A1社区 · 第1网格）")
    assert PartyMember.objects.get(name="李居民").residence.code == UNIT_A1

    # Editing shows the choice made, and clearing it empties the residence.
    page.get_by_role("link", name="编辑").click()
    expect(page.locator("[data-picked-label]")).to_have_text("1栋1单元（A1社区 · 第1网格）")
    page.get_by_text("清除", exact=True).click()
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    assert PartyMember.objects.get(name="李居民").residence is None
