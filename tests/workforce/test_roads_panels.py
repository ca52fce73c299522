"""Roads and their chiefs beside the three heads: grids' coverage and roster pages show the roads'
card (a registry slot: grids imports nothing of workforce) to who reads roads, and the card lists
per street the roads, those with a chief and the vacancies; the area page's 书记项目 card; the home
widget of the projects late; the search finds a project by its title and a road by its name."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from workforce.models_secretaries import SecretaryMilestone

from .secretaries_cast import (  # noqa: F401  (fixtures)
    A1,
    STREET_A,
    STREET_B,
    community_a1_fixture,
    minzheng_fixture,
    secretaries_fixture,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["grids:coverage", "grids:roster"])
def test_the_coverage_and_roster_pages_carry_the_roads_card(secretaries, street_a, client_for, page):
    html = client_for(street_a).get(reverse(page, args=[STREET_A])).content.decode()

    assert reverse("workforce:roads_panel", args=[STREET_A]) in html and "街长、路长、巷长" in html


def test_a_grids_page_has_no_roads_card(secretaries, grid_a1, client_for):
    html = client_for(grid_a1).get(reverse("grids:coverage", args=["220104001001001"])).content.decode()

    assert "panel-workforce-lazy" not in html and '/roads/" hx-trigger' not in html


def test_the_roads_card_counts_the_vacancies_per_street(secretaries, city_org, client_for):
    response = client_for(city_org).get(reverse("workforce:roads_panel", args=["220104"]))

    streets = {row["area__code"]: (row["roads"], row["chiefs"], row["vacant"]) for row in response.context["streets"]}
    assert streets == {STREET_A: (2, 1, 1), STREET_B: (1, 1, 0)}
    assert [road.name for road in response.context["vacancies"]] == ["幸福巷"]
    assert "巷长空缺" in response.content.decode()


def test_the_roads_card_is_not_found_outside_the_street(secretaries, street_b, client_for):
    assert client_for(street_b).get(reverse("workforce:roads_panel", args=[STREET_A])).status_code == 404


def test_the_road_list_filters_the_vacancies_and_masks_the_chiefs_phone(secretaries, street_a, client_for):
    html = client_for(street_a).get(reverse("workforce:road_list") + "?vacant=true").content.decode()
    every = client_for(street_a).get(reverse("workforce:road_list")).content.decode()

    assert "幸福巷" in html and "人民大街" not in html and "空缺" in html
    assert "13912345678" not in every and "139****5678" in every


def test_the_area_page_loads_the_secretary_projects_card(secretaries, street_a, client_for):
    client = client_for(street_a)
    html = client.get(reverse("orgs:area_detail", args=[STREET_A])).content.decode()
    card = client.get(reverse("workforce:secretaries_area_panel", args=[STREET_A])).context

    assert reverse("workforce:secretaries_area_panel", args=[STREET_A]) in html
    assert (card["total"], card["late"], card["missing"]) == (2, 0, 1)  # A2 claimed none


def test_the_home_widget_lists_the_projects_late(secretaries, community_a1, client_for):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    SecretaryMilestone.objects.create(project=secretaries["project"], title="入户走访", due_on=yesterday)

    html = client_for(community_a1).get(reverse("core:home_widget", args=["workforce_secretary_projects_late"]))

    assert "滞后的书记项目" in html.content.decode() and "楼道微更新" in html.content.decode()


def test_the_search_finds_a_project_and_a_road(secretaries, street_a, client_for):
    client = client_for(street_a)

    assert "楼道微更新" in client.get(reverse("core:search") + "?q=楼道").content.decode()
    assert "人民大街" in client.get(reverse("core:search") + "?q=人民大街").content.decode()


def test_a_community_reads_the_roads_along_it_but_does_not_keep_them(secretaries, community_a1, client_for):
    client = client_for(community_a1)
    road, lane = secretaries["road"], secretaries["lane"]

    listed = client.get(reverse("workforce:road_list")).content.decode()

    assert "人民大街" in listed and "幸福巷" not in listed and "桂林路" not in listed
    assert client.get(reverse("workforce:road_detail", args=[road.pk])).status_code == 200
    assert client.get(reverse("workforce:road_detail", args=[lane.pk])).status_code == 404
    assert client.get(reverse("workforce:road_edit", args=[road.pk])).status_code == 404


def test_a_grid_worker_is_offered_no_secretary_project_a_grid_has_no_secretary(secretaries, grid_a1, client_for):
    from core.registry import registry

    labels = {str(item.label) for item in registry.menu_for(grid_a1)}
    overview = client_for(grid_a1).get(reverse("workforce:secretaries_overview"))
    listing = client_for(grid_a1).get(reverse("workforce:secretaryproject_list"))

    assert not labels & {"书记项目", "书记项目推进"} and "街长路长巷长" in labels  # the roads along its grid it reads
    assert (overview.status_code, listing.status_code) == (404, 404)
