"""The menu bar's search (core.search, issue 16 §5): it finds every record an app registered
(core.registry.Searchable) — areas by name or code, departments, party organisations, party
members by name or by an ID number typed whole or as the portal masks it — and only in the
user's scope."""

import pytest
from django.urls import reverse

from core.identity import with_check_character
from core.personal_data import mask
from core.registry import registry
from core.testing import Page, PermissionMatrix
from orgs.choices import Role
from party.models import PartyMember, PartyOrganisation
from tests.conftest import make_user

COMMUNITY_A1, COMMUNITY_A2 = "220104001001", "220104001002"
ID_A1 = with_check_character("22010419800101001")


@pytest.fixture
def community_a1(areas):
    return make_user("community_a1", Role.COMMUNITY_CADRE, areas[COMMUNITY_A1])


@pytest.fixture
def members(areas):
    """A member called 王建国 in community A1 and another in its sibling A2."""
    found = {}
    for code, key in ((COMMUNITY_A1, "a1"), (COMMUNITY_A2, "a2")):
        organisation = PartyOrganisation.objects.create(
            name=f"{key.upper()}社区党委", kind="community_committee", area=areas[code]
        )
        found[key] = PartyMember.objects.create(
            name="王建国", organisation=organisation, id_number=ID_A1 if key == "a1" else ""
        )
    return found


def search(client, query):
    return client.get(reverse("core:search"), {"q": query}).content.decode()


SEARCH_QUERIES = 6 + len(registry.searchables)  # one query a registered model (core.search)


class TestSearchMatrix(PermissionMatrix):
    pages = [
        Page("core:search", lambda o: reverse("core:search") + "?q=A1", insider="street_a", max_queries=SEARCH_QUERIES)
    ]

    @pytest.fixture
    def objects(self, areas):
        return {}


def test_the_menu_bar_sends_its_search_to_the_search_of_every_registered_record(community_a1, client_for):
    home = client_for(community_a1).get("/").content.decode()

    assert f'action="{reverse("core:search")}"' in home
    assert 'placeholder="名称、代码或身份证号"' in home  # short enough for the menu bar's box


def test_a_community_cadre_finds_its_member_by_name_and_not_the_sibling_communitys(members, community_a1, client_for):
    page = search(client_for(community_a1), "王建国")

    assert members["a1"].get_absolute_url() in page and "A1社区党委" in page
    assert members["a2"].get_absolute_url() not in page and "A2社区党委" not in page


def test_the_street_finds_both_members_and_their_organisations(members, street_a, client_for):
    page = search(client_for(street_a), "王建国")
    organisations = search(client_for(street_a), "社区党委")

    assert members["a1"].get_absolute_url() in page and members["a2"].get_absolute_url() in page
    assert "A1社区党委" in organisations and "A2社区党委" in organisations


def test_an_id_number_is_found_whole_or_as_masked_never_by_a_fragment(members, community_a1, client_for):
    client = client_for(community_a1)
    url = members["a1"].get_absolute_url()

    assert url in search(client, ID_A1)
    assert url in search(client, mask(ID_A1))
    assert url not in search(client, ID_A1[6:14])  # the birth date inside it finds nobody


def test_areas_are_found_by_name_and_by_code_as_a_subtree_in_scope(areas, street_a, client_for):
    client = client_for(street_a)

    by_code = search(client, "220104001")
    by_name = search(client, "第1网格")

    assert areas[COMMUNITY_A1].get_absolute_url() in by_code and areas[COMMUNITY_A2].get_absolute_url() in by_code
    assert areas["220104001001001"].get_absolute_url() in by_name
    assert areas["220104002001001"].get_absolute_url() not in by_name  # street B's grid of the same name


def test_a_query_with_a_nul_is_refused_and_nothing_found_is_said_in_chinese(areas, street_a, client_for):
    client = client_for(street_a)

    nul = client.get(reverse("core:search"), {"q": "A1\x00"})
    nothing = search(client, "不存在的名字")

    assert nul.status_code == 400  # the portal's answer to a NUL in a query, not a server error
    assert "在您的管辖范围内没有找到“不存在的名字”。" in nothing
