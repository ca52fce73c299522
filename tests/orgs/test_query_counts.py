"""The area pages cost a fixed number of queries, whatever the size of the tree (STYLE rule 8,
DESIGN §1: never one query per node).

Each story measures a page on the cast's small tree, grows the tree by 200 areas at every
level (new districts, streets, communities, grids and buildings, some under the very areas
the pages show), and measures again: the count must be the same, and under a bound.
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.registry import registry
from orgs import tree
from orgs.models import Area

CITY = "2201"
STREET_A = "220104001"
GRID_A1 = "220104001001001"

# Measured: 9 for the area page (session, user, role assignments, the area, its children, their
# descendant counts, the breadcrumb, the assignments, the history), 5 for the list, 4 for the
# search. The bounds leave room for the history's users and the personal-data permission, and
# for the menu's questions about the user (a grid worker's 我的网格, a unit account's 服务记录) and
# the menu bar's count of unread notices (one query, core/context_processors.notices). The panels
# other apps register on it (property's, services' lists, whistles and requests) load after the
# page (htmx) and cost it nothing: 16 measured at most (the city organisation department's page).
AREA_PAGE_MAX_QUERIES = 16
LIST_MAX_QUERIES = 8
# The menu bar's search: one query a registered model (core.search), as its matrix bounds it, beside
# the request's own seven (session, user, roles, the menu's questions, the notices' count).
SEARCH_MAX_QUERIES = 7 + len(registry.searchables)


def two_hundred_more_areas():
    """200 areas spread over every level of the cast's tree, loaded in one bulk write."""
    rows = []
    for d in range(81, 86):  # 5 districts, each with 5 streets
        district = f"2201{d}"
        rows.append(tree.AreaRow(district, f"新区{d}", "district", CITY))
        rows += [tree.AreaRow(f"{district}{s:03}", f"新街道{d}-{s}", "street", district) for s in range(1, 6)]
    for c in range(3, 13):  # 10 communities in street A, each with 5 grids
        community = f"{STREET_A}{c:03}"
        rows.append(tree.AreaRow(community, f"A{c}社区", "community", STREET_A))
        rows += [tree.AreaRow(f"{community}{g:03}", f"第{g}网格", "grid", community) for g in range(1, 6)]
    rows += [tree.AreaRow(f"{GRID_A1}{b:03}", f"{b}栋", "building", GRID_A1) for b in range(2, 112)]
    assert len(rows) == 200
    with transaction.atomic():
        tree.bulk_load(rows)
    assert tree.check().ok


def queries_of(client, url):
    """The number of queries of one GET of `url`, after a first GET has warmed the caches."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("code", [CITY, STREET_A, GRID_A1])
def test_the_area_page_costs_the_same_queries_on_a_bigger_tree(code, city_org, street_a, grid_a1, client_for):
    client = client_for(city_org)
    url = reverse("orgs:area_detail", args=[code])
    small = queries_of(client, url)

    two_hundred_more_areas()

    big = queries_of(client, url)
    assert big == small
    assert big <= AREA_PAGE_MAX_QUERIES


@pytest.mark.parametrize("code", [CITY, STREET_A, GRID_A1])
def test_the_area_page_stays_under_its_query_bound(
    code, city_org, street_a, grid_a1, client_for, django_assert_max_num_queries
):
    client = client_for(city_org)
    url = reverse("orgs:area_detail", args=[code])
    client.get(url)
    two_hundred_more_areas()

    with django_assert_max_num_queries(AREA_PAGE_MAX_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
    assert Area.objects.count() == 212


@pytest.mark.parametrize("who", ["city_org", "street_a"])
def test_the_area_list_costs_the_same_queries_on_a_bigger_tree(who, request, client_for):
    client = client_for(request.getfixturevalue(who))
    url = reverse("orgs:area_list") + "?view=list"  # the flat list (the tree: tests/orgs/test_area_tree.py)
    small = queries_of(client, url)
    fits_one_page = client.get(url).context["paginator"].count <= 50

    two_hundred_more_areas()

    big = queries_of(client, url)
    # A list that fits its first page is counted by its rows (core.paging); a longer one adds its
    # COUNT, one query whatever its length.
    assert big == small + (1 if fits_one_page else 0)
    assert big <= LIST_MAX_QUERIES
    assert len(client.get(url).context["object_list"]) == 50  # a full page on the bigger tree


@pytest.mark.parametrize("query", ["网格", "社区", "2201", "A1"])
def test_the_search_costs_the_same_queries_on_a_bigger_tree(query, city_org, client_for):
    client = client_for(city_org)
    url = reverse("core:search") + "?q=" + query  # the old area search sends its bookmarks there
    small = queries_of(client, url)

    two_hundred_more_areas()

    big = queries_of(client, url)
    assert big == small
    assert big <= SEARCH_MAX_QUERIES


def test_the_search_of_a_street_cadre_stays_under_its_query_bound(street_a, client_for, django_assert_max_num_queries):
    client = client_for(street_a)
    url = reverse("core:search") + "?q=网格"
    two_hundred_more_areas()
    client.get(url)

    with django_assert_max_num_queries(SEARCH_MAX_QUERIES):
        response = client.get(url)

    (areas,) = [group for group in response.context["groups"] if group.model_label == "orgs.area"]
    assert len(areas.results) == response.context["most"]
    assert areas.truncated
