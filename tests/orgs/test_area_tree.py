"""区划 opens as a tree (issue 15): the area list shows by default the user's scope root(s) with
their children, each node with its name, code, level, number of children and a link to its page,
and opens level by level — one query per opened level, never one per node, and only within the
user's scope (a street cadre sees its own street's subtree; its siblings never appear). Searching
or filtering shows the flat list, as before."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.testing import Page, PermissionMatrix
from tests.orgs.test_query_counts import two_hundred_more_areas

CITY, DISTRICT, STREET_A, STREET_B = "2201", "220104", "220104001", "220104002"
A1, GRID_A1, BUILDING = "220104001001", "220104001001001", "220104001001001001"


def children_url(code):
    return reverse("orgs:area_children", args=[code])


def node_codes(html):
    """The codes of the tree's nodes, in the order shown."""
    return re.findall(r'data-code="(\d+)"', html)


def test_the_city_sees_its_city_open_on_its_districts(city_org, client_for):
    response = client_for(city_org).get(reverse("orgs:area_list"))

    html = response.content.decode()
    assert node_codes(html) == [CITY, DISTRICT]
    assert "<table" not in html and "page_obj" not in response.context  # a tree, not the paged table
    assert f'data-children-url="{children_url(DISTRICT)}"' in html


def test_a_street_cadre_sees_its_own_street_and_never_a_sibling(street_a, client_for):
    html = client_for(street_a).get(reverse("orgs:area_list")).content.decode()

    assert node_codes(html) == [STREET_A, A1, "220104001002"]
    assert "桂林街道" not in html and STREET_B not in html
    assert "朝阳区" not in html  # the ancestors above the scope are no node either


def test_each_node_shows_its_name_code_level_children_and_link(street_a, client_for):
    html = client_for(street_a).get(reverse("orgs:area_list")).content.decode()

    node = html[html.index(f'data-code="{A1}"') :]
    node = node[: node.index("</li>")]
    assert f'href="{reverse("orgs:area_detail", args=[A1])}"' in node
    assert "A1社区" in node and A1 in node and "社区" in node
    assert "2 个下级" in node  # its two grids
    assert 'aria-expanded="false"' in node


def test_opening_a_node_lists_its_children_within_the_scope(street_a, client_for):
    response = client_for(street_a).get(children_url(A1))

    html = response.content.decode()
    assert response.status_code == 200
    assert node_codes(html) == [GRID_A1, "220104001001002"]
    assert "1 个下级" in html  # grid A1's building
    assert f'data-children-url="{children_url(GRID_A1)}"' in html


def test_a_node_out_of_scope_does_not_open(street_b, client_for):
    assert client_for(street_b).get(children_url(A1)).status_code == 404
    assert client_for(street_b).get(children_url(DISTRICT)).status_code == 404


def test_a_leaf_offers_nothing_to_open(street_a, client_for):
    html = client_for(street_a).get(children_url(BUILDING)).content.decode()

    assert node_codes(html) == ["22010400100100100101"]
    assert "area-toggle" not in html and "0 个下级" not in html


def test_opening_a_level_costs_the_same_queries_however_many_nodes(city_org, client_for):
    client = client_for(city_org)
    queries = {}
    for url in (children_url(STREET_A), children_url(GRID_A1), reverse("orgs:area_list")):
        client.get(url)
        with CaptureQueriesContext(connection) as small:
            client.get(url)
        queries[url] = len(small)

    two_hundred_more_areas()  # 10 more communities in street A, 110 more buildings in grid A1

    for url, before in queries.items():
        with CaptureQueriesContext(connection) as big:
            response = client.get(url)
        assert response.status_code == 200
        assert len(big) == before, url
        area_reads = [q["sql"] for q in big.captured_queries if 'FROM "orgs_area"' in q["sql"]]
        assert len(area_reads) <= 3, area_reads  # the area opened, its children (and, on the list, the roots)
    assert len(node_codes(client.get(children_url(STREET_A)).content.decode())) == 12


def test_searching_shows_the_flat_list(street_a, client_for):
    response = client_for(street_a).get(reverse("orgs:area_list"), {"q": "网格"})

    assert [area.code for area in response.context["object_list"]] == [GRID_A1, "220104001001002"]
    assert "<table" in response.content.decode()


def test_the_whole_list_is_one_click_away(street_a, client_for):
    html = client_for(street_a).get(reverse("orgs:area_list")).content.decode()
    assert "?view=list" in html

    response = client_for(street_a).get(reverse("orgs:area_list"), {"view": "list"})

    assert len(response.context["object_list"]) == 7  # street A and the six areas below it
    assert f'data-view="tree" href="{reverse("orgs:area_list")}"' in response.content.decode()  # back to the tree


def test_a_user_without_a_scope_sees_an_empty_tree(db, client_for):
    from tests.conftest import make_user

    nobody = make_user("nobody", None, None)

    response = client_for(nobody).get(reverse("orgs:area_list"))

    assert response.status_code == 200
    assert node_codes(response.content.decode()) == []


def test_a_superuser_sees_the_roots_of_the_tree(areas, client_for):
    from orgs.models import User

    admin = User.objects.create_superuser("root", password="x-very-long-password")

    html = client_for(admin).get(reverse("orgs:area_list")).content.decode()

    assert node_codes(html) == [CITY, DISTRICT]


class TestAreaTreeMatrix(PermissionMatrix):
    pages = [
        Page(
            "orgs:area_children",
            lambda o: children_url(A1),
            insider="street_a",
            outsider="street_b",
            max_queries=8,
        ),
    ]

    @pytest.fixture
    def objects(self, areas):
        return {}
