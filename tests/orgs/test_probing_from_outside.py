"""What an outsider could learn by probing (issue #6, findings 4 and 5): the users of the whole
installation, and which area codes exist outside the scope. Neither may leak."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.importing import preview
from orgs.choices import Role
from orgs.importers import AreaImporter
from orgs.models import RoleAssignment, User
from tests.conftest import make_user
from tests.grids.sheets import csv_bytes

AREA_HEADER = ["区划代码", "名称", "层级", "上级代码"]


@pytest.fixture
def api_for():
    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def org_b(areas):
    """The organisation department of street B: may grant roles in street B only."""
    return make_user("org_b", Role.ORG_DEPARTMENT, areas["220104002"])


# --- finding 4: users are listed only to granters, and only those they may see ---------------------


def test_the_browsable_role_form_lists_no_user_to_a_grid_worker(grid_a1, street_b, city_org, api_for):
    html = api_for(grid_a1).get("/api/role-assignments/", HTTP_ACCEPT="text/html").content.decode()

    for other in (street_b, city_org):
        assert f'value="{other.pk}"' not in html
        assert other.username not in html


def test_the_role_form_lists_only_the_users_of_the_granters_scope(
    areas, org_b, street_a, street_b, client_for, api_for
):
    # Issue #15 (21): the users strictly below the granter; street_b serves at org_b's own level,
    # which is the level above's to manage.
    community_b1 = make_user("community_b1", Role.COMMUNITY_CADRE, areas["220104002001"])
    page = client_for(org_b).get(reverse("orgs:role_create")).content.decode()
    api_form = api_for(org_b).get("/api/role-assignments/", HTTP_ACCEPT="text/html").content.decode()

    assert community_b1.username in page and street_b.username not in page
    for html in (page, api_form):
        assert community_b1.username in html
        assert street_a.username not in html


def test_a_foreign_user_and_a_missing_user_get_the_same_answer(org_b, street_a, api_for):
    client = api_for(org_b)
    row = {"area": "220104002001", "role": Role.COMMUNITY_CADRE}
    missing_pk = User.objects.order_by("-pk").first().pk + 1000

    foreign = client.post("/api/role-assignments/", {**row, "user": street_a.pk}, format="json")
    missing = client.post("/api/role-assignments/", {**row, "user": missing_pk}, format="json")

    assert foreign.status_code == missing.status_code == 400
    assert foreign.json() == {"user": [m.replace(str(missing_pk), str(street_a.pk)) for m in missing.json()["user"]]}
    assert not RoleAssignment.objects.filter(user=street_a, area__code="220104002001").exists()


def test_the_role_page_refuses_a_foreign_user(org_b, street_a, client_for):
    response = client_for(org_b).post(
        reverse("orgs:role_create"), {"user": street_a.pk, "area_code": "220104002001", "role": Role.COMMUNITY_CADRE}
    )

    assert response.status_code == 200  # the form again
    assert not RoleAssignment.objects.filter(user=street_a, area__code="220104002001").exists()


# --- finding 5: an out-of-scope code answers alike whether it exists or not ----------------------


def without(text, *codes):
    for code in codes:
        text = text.replace(code, "<code>")
    return text


@pytest.mark.parametrize(
    "existing, missing",
    [
        # a street of the district, a community and a grid of street B — against free codes
        ({"code": "220104002", "level": "street"}, {"code": "220104003", "level": "street"}),
        ({"code": "220104002001", "level": "community"}, {"code": "220104002009", "level": "community"}),
        ({"code": "220104002001001", "level": "grid"}, {"code": "220104002001009", "level": "grid"}),
    ],
)
@pytest.mark.parametrize("parent", [None, "220104001", "220104"])
def test_the_api_answers_an_out_of_scope_code_alike_whether_it_exists_or_not(
    areas, street_a, api_for, existing, missing, parent
):
    client = api_for(street_a)
    extra = {"parent": parent} if parent else {}

    taken = client.post("/api/areas/", {"name": "探测", **existing, **extra}, format="json")
    free = client.post("/api/areas/", {"name": "探测", **missing, **extra}, format="json")

    assert taken.status_code == free.status_code
    assert without(taken.content.decode(), existing["code"]) == without(free.content.decode(), missing["code"])


@pytest.mark.parametrize(
    "taken_row, free_row",
    [
        # the code itself out of scope
        (["220104002001", "探测", "社区", "220104002"], ["220104002009", "探测", "社区", "220104002"]),
        (["220104002001001", "探测", "网格", "220104002001"], ["220104002009001", "探测", "网格", "220104002009"]),
        # a code in scope whose parent is out of scope
        (["220104001001099", "探测", "网格", "220104002001"], ["220104001001099", "探测", "网格", "220104002009"]),
    ],
)
def test_the_area_import_preview_answers_alike_whether_an_out_of_scope_code_exists(
    areas, street_a, taken_row, free_row
):
    taken = preview(AreaImporter(street_a), csv_bytes([taken_row], header=AREA_HEADER)).summary()
    free = preview(AreaImporter(street_a), csv_bytes([free_row], header=AREA_HEADER)).summary()

    codes_taken = [c for c in taken_row if c.isdigit()]
    codes_free = [c for c in free_row if c.isdigit()]
    assert without(str(taken), *codes_taken) == without(str(free), *codes_free)
    assert taken["rejected"]
