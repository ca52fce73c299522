"""双向认领 is declared everywhere the kit looks: its menu entries in the one 项目与经费 group, its
panels and home widgets registered, its figures registered with the assessment and computed for
every area of a level in one query each, and the widgets' tiles for the street, the project's
keepers and the unit's account."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.registry import registry
from funds import indicators_projects as indicators
from funds import projects_flow as flow
from funds.models import Project, ProviderKind
from funds.models_projects import Demand
from funds.views_projects import demands_for_unit, projects_late, unclaimed_in_street

from .projects_cast import *  # noqa: F403  (the cast's fixtures)
from .projects_cast import COMMUNITY_A1, GRID_A1


class Asked:
    def __init__(self, user):
        self.user = user


def test_the_menu_entries_panels_widgets_and_sources_are_registered():
    entries = {str(item.label): str(item.group) for item in registry.menu}
    assert {entries[label] for label in ("需求清单", "资源清单", "项目")} == {"项目与经费"}
    assert {"funds.demand", "funds.resource", "funds.project"} <= set(registry.panels)
    assert {"funds_unclaimed", "funds_late", "funds_to_claim"} <= {w.name for w in registry.widgets}
    keys = set(registry.indicator_sources)
    assert {"funds.demands_claimed", "funds.days_to_claim", "funds.claimed_in_time", "funds.projects_closed"} <= keys


def test_the_claim_rate_and_days_to_claim_for_every_area_of_a_level_in_one_query(areas, danwei, demands, units):
    today = timezone.localdate()
    Demand.objects.filter(pk=demands["a1"].pk).update(posted_at=timezone.now() - datetime.timedelta(days=4))
    flow.claim_demand(demands["a1"], danwei, flow.set_provider(Project(), ProviderKind.UNIT, unit=units["zhujian"]))

    with CaptureQueriesContext(connection) as queries:
        rates = indicators.claimed(["street", "community"], today - datetime.timedelta(days=30), today)
    days = indicators.days_to_claim("community", today - datetime.timedelta(days=30), today)
    in_time = indicators.claimed_in_time("community", today - datetime.timedelta(days=30), today)

    assert len(queries) == 1
    assert rates[areas["220104001"].pk] == (1, 3)  # of street A's three demands, one claimed
    assert rates[areas[COMMUNITY_A1].pk] == (1, 2)
    assert rates[areas["220104002"].pk] == (0, 1)
    assert days[areas[COMMUNITY_A1].pk] == (4, 1)  # claimed four days after it was posted
    assert in_time[areas[COMMUNITY_A1].pk] == (1, 1)  # within FUNDS_UNCLAIMED_DAYS (14)


def test_projects_closed_of_those_due_in_the_period(areas, community_a1):
    today = timezone.localdate()
    due = today - datetime.timedelta(days=3)
    late = Project.objects.create(area=areas[GRID_A1], title="逾期项目", started_on=due, due_on=due)
    Project.objects.create(area=areas[GRID_A1], title="已结项", started_on=due, due_on=due, status="closed")

    figures = indicators.projects_closed("community", today - datetime.timedelta(days=30), today)

    assert figures[areas[COMMUNITY_A1].pk] == (1, 2)
    tile = projects_late(Asked(community_a1))
    assert [row.title for row in tile["rows"]] == [late.title]


def test_the_home_tiles_of_the_street_and_the_unit(settings, street_a, danwei, demands):
    settings.FUNDS_UNCLAIMED_DAYS = 10
    Demand.objects.filter(pk=demands["a2"].pk).update(posted_at=timezone.now() - datetime.timedelta(days=11))

    street = unclaimed_in_street(Asked(street_a))
    unit = demands_for_unit(Asked(danwei))

    assert (street["title"], [row.title for row in street["rows"]]) == ("超过 10 天未认领的需求", ["儿童课后托管"])
    assert sorted(row.title for row in unit["rows"]) == ["楼道照明维修", "独居老人助餐"]
    assert demands_for_unit(Asked(street_a)) is None
    assert Decimal(street["count"]) == 1


def test_the_tiles_and_the_area_card_render_for_their_users(client_for, street_a, danwei, demands):
    from django.urls import reverse

    Demand.objects.filter(pk=demands["a2"].pk).update(posted_at=timezone.now() - datetime.timedelta(days=30))

    street_tile = client_for(street_a).get(reverse("core:home_widget", args=["funds_unclaimed"]))
    unit_tile = client_for(danwei).get(reverse("core:home_widget", args=["funds_to_claim"]))
    area_page = client_for(street_a).get(reverse("orgs:area_detail", args=["220104001"]))
    card = client_for(street_a).get(reverse("funds:projects_area_panel", args=["220104001"]))

    assert "儿童课后托管" in street_tile.content.decode()
    assert "独居老人助餐" in unit_tile.content.decode()
    assert reverse("funds:projects_area_panel", args=["220104001"]) in area_page.content.decode()
    assert "超过 14 天未认领" in card.content.decode()
    assert "儿童课后托管" in card.content.decode()


def test_a_reporting_units_page_shows_its_resources_and_projects(
    client_for, street_a, danwei, demands, resource, units
):
    flow.claim_demand(demands["a1"], danwei, flow.set_provider(Project(), ProviderKind.UNIT, unit=units["zhujian"]))

    page = client_for(street_a).get(units["zhujian"].get_absolute_url()).content.decode()
    own = client_for(danwei).get(units["zhujian"].get_absolute_url()).content.decode()

    assert "资源与项目（双向认领）" in page
    assert "志愿维修服务" in page and "独居老人助餐" in page
    assert "独居老人助餐" in own and "志愿维修服务" not in own  # the unit reads its project, not the resources
