"""Where the two committees appear beyond their own pages, each only to who may read them: the menu
bar's search (a member by name, or by ID number whole or masked as the portal shows it), the area
page's lazy card, the home tile of elections due and the menu group 两委与书记."""

import pytest
from django.urls import reverse

from core.personal_data import mask
from core.search import find

from .committees_cast import A1, PEOPLE, committees_fixture, community_a1_fixture  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def members_found(user, text):
    return [
        record
        for group in find(user, text)
        if group.searchable.model._meta.label == "workforce.CommitteeMember"
        for record, _detail in group.results
    ]


def test_the_search_finds_a_member_by_name_and_id_number_in_scope(committees, street_a, street_b, grid_a1):
    assert {m.name for m in members_found(street_a, "丙")} == set()  # one character names nothing
    assert {m.pk for m in members_found(street_a, "甲乙")} == set()
    committees["bing"].name = "丙丙"
    committees["bing"].save()
    assert [m.pk for m in members_found(street_a, "丙丙")] == [committees["bing"].pk]
    assert [m.pk for m in members_found(street_a, mask(PEOPLE["丁"][0]))] == [committees["ding"].pk]
    assert [m.pk for m in members_found(street_a, PEOPLE["丁"][0])] == [committees["ding"].pk]
    assert members_found(street_a, PEOPLE["丁"][0][:10]) == []  # never by a fragment
    assert members_found(street_b, "丙丙") == [] and members_found(grid_a1, "丙丙") == []


def test_the_area_page_leaves_the_card_a_place_for_readers_only(committees, street_a, grid_a1, client_for):
    url = reverse("orgs:area_detail", args=[A1])
    panel = reverse("workforce:committees_area_panel", args=[A1])
    assert panel in client_for(street_a).get(url).content.decode()
    assert panel not in client_for(grid_a1).get(url).content.decode()
    card = client_for(street_a).get(panel).content.decode()
    assert "一肩挑" in card and "甲" in card and "下次换届" in card


def test_the_home_tile_and_the_menu_for_readers_only(committees, street_a, city_org, grid_a1, client_for):
    from core.registry import registry

    widget = next(w for w in registry.widgets if w.name == "workforce_elections_due")
    response = client_for(city_org).get(reverse("home"))
    assert widget.visible(response.wsgi_request)
    assert {t.pk for t in widget.context(response.wsgi_request)["rows"]} == {
        committees["party"].pk,
        committees["residents"].pk,
        committees["b1"].pk,
    }
    assert "两委班子" in response.content.decode() and "两委与书记" in response.content.decode()
    response = client_for(grid_a1).get(reverse("home"))
    assert not widget.visible(response.wsgi_request)
    assert "两委班子" not in response.content.decode()
