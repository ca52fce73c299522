"""The party side as street, community, grid and reporting-unit users meet it (issue #9)."""

from django.urls import reverse

from orgs.models import Area
from party import queries
from party.choices import OrgKind
from party.models import MemberTransfer, PartyMember, PartyOrganisation

from .conftest import GRID_A1, STREET_A, STREET_B, valid_id_number

VALID_ID = valid_id_number("22010419700101002")
BAD_ID = VALID_ID[:-1] + ("1" if VALID_ID[-1] != "1" else "2")  # the check digit is wrong


def names(response):
    return sorted(str(record) for record in response.context["object_list"])


# --- organisations ----------------------------------------------------------------------------------


def test_a_community_cadre_creates_a_grid_branch_under_its_committee(party, community_a1, client_for):
    client = client_for(community_a1)

    response = client.post(
        reverse("party:partyorganisation_add"),
        {
            "name": "A1社区第2网格党支部",
            "kind": OrgKind.GRID_BRANCH,
            "area": "220104001001002",
            "parent": party["community_a1"].pk,
        },
    )

    branch = PartyOrganisation.objects.get(name="A1社区第2网格党支部")
    assert response.status_code == 302 and response["Location"] == branch.get_absolute_url()
    assert (branch.area.code, branch.parent) == ("220104001001002", party["community_a1"])


def test_an_area_outside_the_scope_is_refused_by_its_code_in_chinese(party, community_a1, client_for):
    response = client_for(community_a1).post(
        reverse("party:partyorganisation_add"), {"name": "越权支部", "kind": OrgKind.BRANCH, "area": "220104002001001"}
    )

    assert response.status_code == 200
    assert "找不到“220104002001001”，或它不在您的管辖范围内" in response.content.decode()
    assert not PartyOrganisation.objects.filter(name="越权支部").exists()


def test_an_organisation_cannot_be_its_own_ancestor(party, street_a, client_for):
    response = client_for(street_a).post(
        reverse("party:partyorganisation_edit", args=[party["street_a"].pk]),
        {"name": "前进街道大工委", "kind": OrgKind.STREET_COMMITTEE, "area": STREET_A, "parent": party["grid_a1"].pk},
    )

    assert "上级党组织不能是它自己或它的下级" in response.content.decode()
    assert PartyOrganisation.objects.get(pk=party["street_a"].pk).parent is None


def test_the_edit_form_shows_the_area_by_its_code(party, street_a, client_for):
    html = (
        client_for(street_a).get(reverse("party:partyorganisation_edit", args=[party["grid_a1"].pk])).content.decode()
    )

    assert f'value="{GRID_A1}"' in html


def test_an_alliance_is_seen_by_every_street_it_links_and_kept_by_its_own(party, street_a, street_b, client_for):
    alliance = PartyOrganisation.objects.create(
        name="前进桂林区域党建联盟", kind=OrgKind.ALLIANCE, area=Area.objects.get(code=STREET_A)
    )
    alliance.covered_areas.add(Area.objects.get(code=STREET_B))

    assert client_for(street_b).get(alliance.get_absolute_url()).status_code == 200
    assert client_for(street_b).get(reverse("party:partyorganisation_edit", args=[alliance.pk])).status_code == 404
    assert client_for(street_a).get(reverse("party:partyorganisation_edit", args=[alliance.pk])).status_code == 200


def test_the_chart_draws_the_chain_from_the_street_down(party, street_a, client_for):
    response = client_for(street_a).get(reverse("party:party_chart", args=[STREET_A]))

    [(root, children)] = response.context["chart"]
    assert response.context["shallow"] is False
    assert root == party["street_a"]
    [(community, grids)] = children
    assert community == party["community_a1"] and [g for g, _ in grids] == [party["grid_a1"]]
    assert grids[0][0].member_count == 2
    assert "桂林" not in response.content.decode()


def test_the_list_counts_members_and_stays_in_scope(party, street_a, client_for):
    response = client_for(street_a).get(reverse("party:partyorganisation_list"))

    assert names(response) == ["A1社区大党委", "A1社区第1网格党支部", "前进街道大工委"]
    counts = {o.name: o.member_count for o in response.context["object_list"]}
    assert counts["A1社区第1网格党支部"] == 2


# --- members -----------------------------------------------------------------------------------------


def test_a_bad_id_number_is_refused_with_its_reason(party, community_a1, client_for):
    response = client_for(community_a1).post(
        reverse("party:partymember_add"),
        {
            "name": "错号",
            "organisation": party["grid_a1"].pk,
            "status": "full",
            "id_number": BAD_ID,
            "households_linked": 0,
        },
    )

    assert "校验位不正确" in response.content.decode()
    assert not PartyMember.objects.filter(name="错号").exists()


def test_a_member_is_listed_masked_to_a_cadre(party, street_a, client_for):
    html = client_for(street_a).get(reverse("party:partymember_list")).content.decode()

    assert "139****1111" in html and "13900001111" not in html
    assert "王党员" not in html


def test_a_transfer_moves_the_member_and_keeps_where_they_were(party, street_a, client_for):
    target = PartyOrganisation.objects.create(
        name="A1社区第2网格党支部", kind=OrgKind.GRID_BRANCH, area=Area.objects.get(code="220104001001002")
    )

    response = client_for(street_a).post(
        reverse("party:partymember_transfer", args=[party["zhang"].pk]),
        {"to_organisation": target.pk, "transferred_on": "2026-10-01", "note": "搬家"},
    )

    assert response.status_code == 302
    party["zhang"].refresh_from_db()
    assert party["zhang"].organisation == target
    transfer = MemberTransfer.objects.get(member=party["zhang"])
    assert (transfer.from_organisation, transfer.to_organisation) == (party["grid_a1"], target)
    assert (
        "A1社区第1网格党支部 → A1社区第2网格党支部"
        in client_for(street_a).get(party["zhang"].get_absolute_url()).content.decode()
    )


def test_a_transfer_offers_only_organisations_the_user_can_see(party, street_a, client_for):
    response = client_for(street_a).post(
        reverse("party:partymember_transfer", args=[party["zhang"].pk]),
        {"to_organisation": party["grid_b1"].pk, "transferred_on": "2026-10-01"},
    )

    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    party["zhang"].refresh_from_db()
    assert party["zhang"].organisation == party["grid_a1"]


def test_probationary_members_due_and_flowing_members_are_on_the_home_page(party, street_a, client_for):
    PartyMember.objects.filter(pk=party["zhang"].pk).update(is_flowing=True, flowed_to="上海市浦东新区")

    html = client_for(street_a).get("/").content.decode()

    assert "党员管理提醒" in html and "待转正" in html and "李预备" in html
    assert "流向 上海市浦东新区" in html


def test_the_party_pages_share_one_dropdown_of_the_menu_bar(party, street_a, unit_user, client_for):
    from core.context_processors import grouped

    html = client_for(street_a).get("/").content.decode()
    menu = html[html.index('id="portal-navbar"') : html.index("</nav>")]

    # One dropdown holds the party's pages (other apps have dropdowns of their own: 物业).
    assert menu.count(">党建</a>") == 1
    party_menu = menu[menu.index(">党建</a>") :]
    if "dropdown-toggle text-nowrap" in party_menu:
        party_menu = party_menu[: party_menu.index("dropdown-toggle text-nowrap")]
    for url in ("/party/organisations/", "/party/members/", "/party/meetings/", "/party/units/", "/party/in-service/"):
        assert f'href="{url}"' in party_menu
        assert menu.count(f'href="{url}"') == 1
    unit_menu = client_for(unit_user).get("/").content.decode()
    assert 'href="/party/in-service/"' in unit_menu and 'href="/party/members/"' not in unit_menu
    entries = [{"group": g, "label": n, "active": n == "b"} for g, n in (("", "x"), ("G", "a"), ("", "y"), ("G", "b"))]
    assert [(e["label"], [c["label"] for c in e.get("children", [])], e["active"]) for e in grouped(entries)] == [
        ("x", [], False),
        ("G", ["a", "b"], True),
        ("y", [], False),
    ]


def test_a_large_chart_stops_at_the_communities(party, street_a, client_for, monkeypatch):
    monkeypatch.setattr(queries, "CHART_LIMIT", 2)

    response = client_for(street_a).get(reverse("party:party_chart", args=[STREET_A]))

    [(root, [(community, grids)])] = response.context["chart"]
    assert (root, community, grids, response.context["shallow"]) == (party["street_a"], party["community_a1"], [], True)
    assert "请在各社区的党组织架构中查看" in response.content.decode()


def test_an_unset_choice_reads_in_chinese_in_forms_and_filters(party, street_a, grid_a1, client_for):
    form = client_for(street_a).get(reverse("party:meeting_add")).content.decode()
    listing = client_for(street_a).get(reverse("party:partymember_list")).content.decode()

    assert "---------" not in form and "请选择" in form
    assert "---------" not in listing and ">全部</option>" in listing
    menu = client_for(grid_a1).get("/").content.decode()
    assert 'href="/party/in-service/"' in menu and 'href="/party/units/"' not in menu  # no units to see


def test_the_form_and_the_api_clean_id_numbers_and_phones_alike(party, street_a, client_for):
    number = VALID_ID[:-1] + VALID_ID[-1].lower() if VALID_ID.endswith("X") else VALID_ID
    client = client_for(street_a)

    client.post(
        reverse("party:partymember_add"),
        {
            "name": "表单",
            "organisation": party["grid_a1"].pk,
            "status": "full",
            "households_linked": 0,
            "id_number": f" {number[:6]} {number[6:]} ",
            "phone": "+86 139 0000 7777",
        },
    )
    response = client.post(
        "/api/party-members/",
        {
            "name": "接口",
            "organisation": "A1社区第1网格党支部",
            "status": "full",
            "phone": "+86 139 0000 8888",
            "id_number": f"{BAD_ID}",
        },
        content_type="application/json",
    )

    form_member = PartyMember.objects.get(name="表单")
    assert (form_member.id_number, form_member.phone) == (VALID_ID, "13900007777")
    assert response.status_code == 400 and "校验位不正确" in response.content.decode()
    ok = client.post(
        "/api/party-members/",
        {"name": "接口", "organisation": "A1社区第1网格党支部", "status": "full", "phone": "+86 139 0000 8888"},
        content_type="application/json",
    )
    assert ok.status_code == 201 and PartyMember.objects.get(name="接口").phone == "13900008888"
