"""A compound's rules, the same in the form and the API: its grids and buildings lie in its own
community, a professional one names its company, and a compound is placed only in the user's scope."""

from django.urls import reverse

from orgs.models import Area
from property.choices import ManagementMode
from property.models import Compound

from .conftest import CODE_1, COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1, GRID_A1

GRID_A2 = COMMUNITY_A2 + "001"


def form(**values):
    return {
        "name": "新小区",
        "community": COMMUNITY_A1,
        "households": "100",
        "mode": ManagementMode.COMMUNITY,
        **values,
    }


def grid_of_a2(areas):
    """A grid of A2社区, the sibling community in street A."""
    return Area.objects.create(code=GRID_A2, name="A2第1网格", level="grid", parent=areas[COMMUNITY_A2])


def test_a_grid_of_another_community_is_refused_in_the_form(areas, estate, street_a, client_for):
    grid_of_a2(areas)

    response = client_for(street_a).post(reverse("property:compound_add"), form(areas=f"{GRID_A1} {GRID_A2}"))

    assert response.status_code == 200
    assert f"“A2第1网格”（{GRID_A2}）不在A1社区内" in response.content.decode()
    assert not Compound.objects.filter(name="新小区").exists()


def test_a_community_is_not_a_grid_or_a_building(estate, street_a, client_for):
    response = client_for(street_a).post(
        reverse("property:compound_add"), form(community=COMMUNITY_A1, areas=COMMUNITY_A1)
    )

    assert "是社区/村，小区只能覆盖网格和楼栋" in response.content.decode()
    assert not Compound.objects.filter(name="新小区").exists()


def test_the_api_refuses_a_grid_of_another_community_in_the_same_words(areas, estate, street_a, client_for):
    grid_of_a2(areas)

    response = client_for(street_a).post(
        "/api/compounds/",
        {"name": "新小区", "community": COMMUNITY_A1, "areas": [GRID_A2], "households": 10, "mode": "community"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "不在A1社区内" in response.json()["areas"][0]
    assert not Compound.objects.filter(name="新小区").exists()


def test_a_compound_outside_the_scope_is_refused_and_nothing_saved(estate, street_a, client_for):
    response = client_for(street_a).post(reverse("property:compound_add"), form(community=COMMUNITY_B1))

    assert response.status_code == 200
    assert "不在您的管辖范围内" in response.content.decode()
    assert not Compound.objects.filter(name="新小区").exists()


def test_a_professional_compound_names_its_company(estate, street_a, client_for):
    client = client_for(street_a)

    refused = client.post(reverse("property:compound_add"), form(mode=ManagementMode.PROFESSIONAL))
    saved = client.post(
        reverse("property:compound_add"),
        form(mode=ManagementMode.PROFESSIONAL, company=estate["company"].pk, areas=GRID_A1),
    )

    assert "专业物业的小区须选择物业企业" in refused.content.decode()
    assert saved.status_code == 302
    compound = Compound.objects.get(name="新小区")
    assert compound.company == estate["company"] and [a.code for a in compound.areas.all()] == [GRID_A1]


def test_a_company_of_another_districts_register_cannot_be_named(estate, street_a, client_for):
    response = client_for(street_a).post(
        reverse("property:compound_add"), form(mode=ManagementMode.PROFESSIONAL, company=estate["company_n"].pk)
    )

    assert response.status_code == 200
    assert not Compound.objects.filter(name="新小区").exists()


def test_the_api_names_the_company_by_its_credit_code(estate, street_a, client_for):
    response = client_for(street_a).post(
        "/api/compounds/",
        {"name": "新小区", "community": COMMUNITY_A1, "households": 10, "mode": "professional", "company": CODE_1},
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    assert Compound.objects.get(name="新小区").company == estate["company"]
