"""The permission matrix of the API (issue 2 acceptance 3): /api/areas/ and /api/role-assignments/,
with session and token authentication alike.

anonymous → 401/403, in scope → 200/201, out of scope → 404, out-of-scope write → nothing saved.
"""

import re

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from orgs import tree
from orgs.choices import Role
from orgs.models import Area, RoleAssignment

from ..conftest import make_user

STREET_A = "220104001"
COMMUNITY_A1 = "220104001001"
COMMUNITY_A2 = "220104001002"
GRID_A1 = "220104001001001"
STREET_B = "220104002"
COMMUNITY_B1 = "220104002001"

STREET_A_CODES = [
    "220104001",
    "220104001001",
    "220104001001001",
    "220104001001001001",
    "22010400100100100101",
    "220104001001002",
    "220104001002",
]
STREET_B_CODES = ["220104002", "220104002001", "220104002001001"]


@pytest.fixture(params=["session", "token"])
def api_for(request):
    """An API client for a user, logged in by session or by token (each test runs with both)."""

    def make(user):
        client = APIClient()
        if request.param == "session":
            client.force_login(user)
        else:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


def all_pages(client, url):
    """Every object of a paginated list, following `next`."""
    results = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        results += response.json()["results"]
        url = response.json()["next"]
    return results


def area_url(code=None):
    return f"/api/areas/{code}/" if code else "/api/areas/"


def role_url(pk=None):
    return f"/api/role-assignments/{pk}/" if pk else "/api/role-assignments/"


# --- anonymous → 401/403 ------------------------------------------------------------------


@pytest.mark.parametrize(
    "method, url",
    [
        ("get", area_url()),
        ("get", area_url(STREET_A)),
        ("post", area_url()),
        ("patch", area_url(COMMUNITY_A1)),
        ("delete", area_url(COMMUNITY_A2)),
        ("get", role_url()),
        ("post", role_url()),
    ],
)
def test_it_refuses_an_anonymous_caller(method, url, areas, tree_snapshot):
    before = tree_snapshot()

    response = getattr(APIClient(), method)(
        url, {"code": "220104001009", "name": "匿名", "level": "community", "parent": STREET_A}, format="json"
    )

    assert response.status_code in (401, 403)
    assert tree_snapshot() == before


def test_it_refuses_an_anonymous_caller_a_role_assignment(grid_a1, tree_snapshot):
    assignment = RoleAssignment.objects.get(user=grid_a1)
    before = tree_snapshot()
    client = APIClient()

    assert client.get(role_url(assignment.pk)).status_code in (401, 403)
    assert client.delete(role_url(assignment.pk)).status_code in (401, 403)
    assert tree_snapshot() == before


def test_it_refuses_a_wrong_token(areas):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)

    assert client.get(area_url()).status_code in (401, 403)


# --- lists never hold what lies out of scope ------------------------------------------------


def test_the_area_list_holds_street_a_and_nothing_else(street_a, api_for):
    codes = [a["code"] for a in all_pages(api_for(street_a), area_url())]

    assert codes == STREET_A_CODES


def test_the_area_list_holds_street_b_and_nothing_else(street_b, api_for):
    codes = [a["code"] for a in all_pages(api_for(street_b), area_url())]

    assert codes == STREET_B_CODES


def test_the_area_list_within_another_street_is_empty(street_b, api_for):
    response = api_for(street_b).get(area_url() + "?within=" + STREET_A)

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_the_area_list_of_children_of_another_street_is_empty(street_b, api_for):
    response = api_for(street_b).get(area_url() + "?parent=" + STREET_A)

    assert response.json()["results"] == []


def test_the_city_org_department_lists_the_whole_city(city_org, api_for):
    codes = [a["code"] for a in all_pages(api_for(city_org), area_url())]

    assert codes == sorted(Area.objects.values_list("code", flat=True))


def test_the_role_list_holds_only_assignments_in_scope(city_org, street_a, grid_a1, street_b, api_for):
    mine = [r["username"] for r in all_pages(api_for(street_a), role_url())]
    theirs = [r["username"] for r in all_pages(api_for(street_b), role_url())]
    everybody = [r["username"] for r in all_pages(api_for(city_org), role_url())]

    assert sorted(mine) == ["grid_a1", "street_a"]
    assert theirs == ["street_b"]
    assert sorted(everybody) == ["city_org", "grid_a1", "street_a", "street_b"]


# --- retrieve: in scope → 200, out of scope → 404 -------------------------------------------


def test_it_shows_street_a_an_area_of_its_street_by_code(street_a, api_for):
    response = api_for(street_a).get(area_url(COMMUNITY_A1))

    assert response.status_code == 200
    assert response.json() == {
        "code": COMMUNITY_A1,
        "name": "A1社区",
        "level": "community",
        "parent": STREET_A,
        "depth": 3,
    }


@pytest.mark.parametrize("code", ["2201", "220104", STREET_A, COMMUNITY_A1, GRID_A1, "220104001999"])
def test_it_answers_404_for_an_area_outside_street_b(code, street_b, api_for):
    response = api_for(street_b).get(area_url(code))

    assert response.status_code == 404


def test_it_shows_a_role_assignment_in_scope(street_a, grid_a1, api_for):
    assignment = RoleAssignment.objects.get(user=grid_a1)

    response = api_for(street_a).get(role_url(assignment.pk))

    assert response.status_code == 200
    assert response.json()["area"] == GRID_A1
    assert response.json()["username"] == "grid_a1"


def test_it_answers_404_for_a_role_assignment_out_of_scope(street_b, grid_a1, api_for):
    assignment = RoleAssignment.objects.get(user=grid_a1)

    response = api_for(street_b).get(role_url(assignment.pk))

    assert response.status_code == 404


# --- area writes ------------------------------------------------------------------------------


def test_street_a_creates_a_community_in_its_street(street_a, api_for):
    response = api_for(street_a).post(
        area_url(), {"code": "220104001003", "name": "A3社区", "level": "community", "parent": STREET_A}, format="json"
    )

    assert response.status_code == 201, response.content
    assert Area.objects.get(code="220104001003").parent.code == STREET_A
    assert tree.check().ok


def test_the_city_org_department_creates_a_district(city_org, api_for):
    response = api_for(city_org).post(
        area_url(), {"code": "220105", "name": "二道区", "level": "district", "parent": "2201"}, format="json"
    )

    assert response.status_code == 201, response.content
    assert tree.check().ok


def test_street_b_cannot_create_an_area_under_street_a(street_b, api_for, tree_snapshot):
    before = tree_snapshot()

    response = api_for(street_b).post(
        area_url(), {"code": "220104001009", "name": "越权", "level": "community", "parent": STREET_A}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["parent"]  # "not found", as for a code that does not exist
    assert tree_snapshot() == before


def test_a_parent_out_of_scope_answers_like_a_parent_that_does_not_exist(street_b, api_for):
    """The answer must not tell street_b whether street A's code exists (DESIGN §2)."""
    client = api_for(street_b)
    row = {"code": "220104001009", "name": "越权", "level": "community"}

    hidden = client.post(area_url(), {**row, "parent": STREET_A}, format="json")
    missing = client.post(area_url(), {**row, "code": "220104009009", "parent": "220104009"}, format="json")

    assert hidden.status_code == missing.status_code
    assert hidden.json() == {"parent": [m.replace("220104009", STREET_A) for m in missing.json()["parent"]]}


def test_street_a_cannot_create_a_code_of_street_b_under_its_district(street_a, api_for, tree_snapshot):
    """The district is outside street A's scope: not found, nothing written."""
    before = tree_snapshot()

    response = api_for(street_a).post(
        area_url(), {"code": "220104003", "name": "越权街道", "level": "street", "parent": "220104"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["parent"]
    assert tree_snapshot() == before


def test_street_a_cannot_create_a_code_outside_its_parent(street_a, api_for, tree_snapshot):
    before = tree_snapshot()

    response = api_for(street_a).post(
        area_url(), {"code": "220104002009", "name": "越权", "level": "community", "parent": STREET_A}, format="json"
    )

    assert response.status_code == 400
    assert tree_snapshot() == before


def test_a_grid_worker_cannot_create_an_area_in_its_grid(grid_a1, api_for, tree_snapshot):
    before = tree_snapshot()

    response = api_for(grid_a1).post(
        area_url(), {"code": "220104001001001002", "name": "2栋", "level": "building", "parent": GRID_A1}, format="json"
    )

    assert response.status_code in (400, 404)
    assert tree_snapshot() == before


def test_only_a_superuser_creates_a_city(city_org, api_for, tree_snapshot):
    before = tree_snapshot()

    response = api_for(city_org).post(area_url(), {"code": "2202", "name": "吉林市", "level": "city"}, format="json")

    assert response.status_code == 400
    assert tree_snapshot() == before


def test_street_a_renames_a_community_of_its_street(street_a, api_for):
    response = api_for(street_a).patch(area_url(COMMUNITY_A1), {"name": "前进一社区"}, format="json")

    assert response.status_code == 200, response.content
    assert Area.objects.get(code=COMMUNITY_A1).name == "前进一社区"


def test_a_patch_cannot_change_the_code_or_the_parent(street_a, api_for, tree_snapshot):
    before = tree_snapshot()

    response = api_for(street_a).patch(
        area_url(COMMUNITY_A1), {"code": "220104002009", "parent": STREET_B}, format="json"
    )

    assert response.status_code == 200
    assert tree_snapshot() == before


@pytest.mark.parametrize("level", ["city", "street", "grid", "unit"])
def test_a_patch_cannot_give_an_area_a_level_out_of_place(level, street_a, api_for, tree_snapshot):
    """A1社区 lies under a street and above grids: only the community level fits between them."""
    before = tree_snapshot()

    response = api_for(street_a).patch(area_url(COMMUNITY_A1), {"level": level}, format="json")

    assert response.status_code == 400
    assert tree_snapshot() == before


def test_street_b_cannot_patch_an_area_of_street_a(street_b, api_for, tree_snapshot):
    before = tree_snapshot()

    response = api_for(street_b).patch(area_url(COMMUNITY_A1), {"name": "越权改名"}, format="json")

    assert response.status_code == 404
    assert tree_snapshot() == before


def test_street_a_cannot_patch_its_street_itself(street_a, api_for, tree_snapshot):
    before = tree_snapshot()

    response = api_for(street_a).patch(area_url(STREET_A), {"name": "改名街道"}, format="json")

    assert response.status_code == 404
    assert tree_snapshot() == before


def test_a_grid_worker_cannot_patch_its_grid(grid_a1, api_for, tree_snapshot):
    before = tree_snapshot()

    response = api_for(grid_a1).patch(area_url(GRID_A1), {"name": "改名"}, format="json")

    assert response.status_code == 404
    assert tree_snapshot() == before


def test_street_b_cannot_delete_an_area_of_street_a(street_b, api_for, tree_snapshot):
    before = tree_snapshot()

    response = api_for(street_b).delete(area_url(COMMUNITY_A2))

    assert response.status_code == 404
    assert tree_snapshot() == before


def test_street_a_deletes_a_leaf_of_its_street(street_a, api_for):
    response = api_for(street_a).delete(area_url(COMMUNITY_A2))

    assert response.status_code == 204
    assert not Area.objects.filter(code=COMMUNITY_A2).exists()
    assert tree.check().ok


def test_it_refuses_to_delete_an_area_with_records_under_it(street_a, grid_a1, api_for, tree_snapshot):
    before = tree_snapshot()

    response = api_for(street_a).delete(area_url(COMMUNITY_A1))

    assert response.status_code == 400
    assert "不能删除" in response.content.decode()
    assert tree_snapshot() == before


# --- role assignment writes -------------------------------------------------------------------


def test_the_city_org_department_grants_and_revokes_a_role(city_org, street_b, api_for):
    client = api_for(city_org)

    created = client.post(
        role_url(), {"user": street_b.pk, "area": COMMUNITY_A2, "role": Role.COMMUNITY_CADRE}, format="json"
    )

    assert created.status_code == 201, created.content
    assignment = RoleAssignment.objects.get(user=street_b, area__code=COMMUNITY_A2)
    assert client.delete(role_url(assignment.pk)).status_code == 204
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_the_org_department_of_street_b_cannot_grant_a_role_in_street_a(areas, api_for, tree_snapshot):
    org_b = make_user("org_b", Role.ORG_DEPARTMENT, areas[STREET_B])
    before = tree_snapshot()

    response = api_for(org_b).post(
        role_url(), {"user": org_b.pk, "area": STREET_A, "role": Role.STREET_CADRE}, format="json"
    )

    assert response.status_code in (400, 404)
    assert tree_snapshot() == before


def test_the_org_department_of_street_b_cannot_revoke_a_role_in_street_a(areas, grid_a1, api_for, tree_snapshot):
    org_b = make_user("org_b", Role.ORG_DEPARTMENT, areas[STREET_B])
    assignment = RoleAssignment.objects.get(user=grid_a1)
    before = tree_snapshot()

    response = api_for(org_b).delete(role_url(assignment.pk))

    assert response.status_code == 404
    assert tree_snapshot() == before


def test_a_street_cadre_cannot_grant_a_role_in_its_own_street(street_a, street_b, api_for, tree_snapshot):
    before = tree_snapshot()

    response = api_for(street_a).post(
        role_url(), {"user": street_b.pk, "area": COMMUNITY_A1, "role": Role.COMMUNITY_CADRE}, format="json"
    )

    assert response.status_code in (400, 404)
    assert tree_snapshot() == before


def test_a_street_cadre_cannot_revoke_a_role_in_its_own_street(street_a, grid_a1, api_for, tree_snapshot):
    assignment = RoleAssignment.objects.get(user=grid_a1)
    before = tree_snapshot()

    response = api_for(street_a).delete(role_url(assignment.pk))

    assert response.status_code == 404
    assert tree_snapshot() == before


def test_role_assignments_cannot_be_patched(city_org, grid_a1, api_for, tree_snapshot):
    assignment = RoleAssignment.objects.get(user=grid_a1)
    before = tree_snapshot()

    response = api_for(city_org).patch(role_url(assignment.pk), {"role": Role.ORG_DEPARTMENT}, format="json")

    assert response.status_code == 405
    assert tree_snapshot() == before


# --- schema and docs -----------------------------------------------------------------------


def test_the_schema_is_an_openapi_document(street_a, client_for):
    response = client_for(street_a).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/areas/{code}/" in schema["paths"]
    assert "/api/role-assignments/" in schema["paths"]


def test_the_schema_is_not_served_to_an_anonymous_visitor(areas):
    response = APIClient().get("/api/schema/")

    assert response.status_code in (401, 403)


def test_the_docs_page_works_offline(street_a, client_for):
    response = client_for(street_a).get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert any(asset.startswith("/static/") for asset in assets), assets
    assert not re.search(r"https?://(?!testserver[/\"'])", html), re.findall(r"https?://[^\s\"'<>]+", html)


def test_the_schema_speaks_chinese_titles_and_tags(street_a, client_for):
    schema = client_for(street_a).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    tags = {tag for path in schema["paths"].values() for operation in path.values() for tag in operation["tags"]}
    assert schema["info"]["title"] == "基层治理平台接口"
    assert {"区划", "角色授权", "人员", "任职", "三长覆盖"} <= tags
    assert not any(tag.isascii() for tag in tags)


def test_the_redoc_page_is_gone_and_the_docs_load_nothing_from_outside(city_org, client_for):
    client = client_for(city_org)

    assert client.get("/api/redoc/").status_code == 404
    docs = client.get("/api/docs/").content.decode()
    assert "https://" not in docs and "http://" not in docs.replace("http://testserver", "")
