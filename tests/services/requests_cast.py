"""The requests' side of the cast (imported by the requests' tests as fixtures): street A's
categories and routing table — 环境卫生 at grid A1 goes to the grid, 物业管理 to community A1 under it
but to the street elsewhere (the deeper rule wins), 占道经营 to 朝阳区城管执法局 — and a request of each
state at building 1 of grid A1, received by grid A1's worker."""

import pytest

from services.models_requests import RequestCategory, ResidentRequest, RoutingRule
from services.requests_flow import receive

from .conftest import COMMUNITY_A1, STREET_A

GRID_A1, BUILDING_1, GRID_A2 = "220104001001001", "220104001001001001", "220104001001002"


@pytest.fixture
def categories(areas, departments):
    street = areas[STREET_A]
    made = {
        name: RequestCategory.objects.create(area=street, name=name, time_limit=days)
        for name, days in (("环境卫生", 3), ("物业管理", 7), ("占道经营", 3))
    }
    RoutingRule.objects.create(area=areas[GRID_A1], category=made["环境卫生"], responsible_area=areas[GRID_A1])
    RoutingRule.objects.create(area=street, category=made["物业管理"], responsible_area=street)
    RoutingRule.objects.create(
        area=areas[COMMUNITY_A1], category=made["物业管理"], responsible_area=areas[COMMUNITY_A1]
    )
    RoutingRule.objects.create(
        area=street, category=made["占道经营"], responsible_department=departments["chaoyang_other"]
    )
    made["b_category"] = RequestCategory.objects.create(area=areas["220104002"], name="环境卫生", time_limit=3)
    return made


def new_request(areas, category, user, place=BUILDING_1, **more):
    record = ResidentRequest(
        area=areas[place],
        category=category,
        description="楼道堆放杂物无人清理",
        resident_name="王先生",
        resident_phone="13900001111",
        **more,
    )
    return receive(record, user)


@pytest.fixture
def a_request(areas, categories, grid_a1):
    return new_request(areas, categories["环境卫生"], grid_a1)
