"""党群服务阵地's cast on the small tree (tests/conftest.py): community A1's cadre; 前进街道's centre
(600 m², all 五有: compliant), A1's station (150 m², no 管理制度: short of the area and one of the
五有), a post of A1's first grid (40 m², compliant), B1's station (compliant); A1's party branch with
meetings at its station's name (two this year, one last year, one elsewhere) and one of B1's; a
city-level site of A1 itself and a district-level one of A1's station. Imported by the venues' tests."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from orgs.choices import Role
from party.models import Meeting, PartyOrganisation
from tests.conftest import make_user
from workforce.models_venues import DemonstrationSite, SiteLevel, Venue, VenueLevel

A1, A2, B1, STREET_A, STREET_B, GRID_A1 = (
    "220104001001",
    "220104001002",
    "220104002001",
    "220104001",
    "220104002",
    "220104001001001",
)
ALL_FIVE = {"has_sign": True, "has_fixed_site": True, "has_facilities": True, "has_rules": True, "has_team": True}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def venue(area, level, name, floor, **five):
    return Venue.objects.create(area=area, level=level, name=name, floor_area=Decimal(floor), **{**ALL_FIVE, **five})


@pytest.fixture(name="community_a1")
def community_a1_fixture(areas):
    return make_user("community_a1", Role.COMMUNITY_CADRE, areas[A1])


@pytest.fixture(name="minzheng")
def minzheng_fixture(areas):
    """朝阳区民政局's user (职能部门): reads none of the venues."""
    from orgs.models import Department, DepartmentKind, RoleAssignment

    kind = DepartmentKind.objects.get_or_create(name="民政")[0]
    department = Department.objects.create(name="朝阳区民政局", kind=kind, area=areas["220104"])
    user = make_user("minzheng", None, None)
    RoleAssignment.objects.create(user=user, area=department.area, role=Role.DEPARTMENT, department=department)
    return user


@pytest.fixture(name="venues")
def venues_fixture(areas):
    today = timezone.localdate()
    centre = venue(areas[STREET_A], VenueLevel.CENTRE, "前进街道党群服务中心", "600")
    station = venue(areas[A1], VenueLevel.STATION, "A1社区党群服务站", "150", has_rules=False)
    post = venue(areas[GRID_A1], VenueLevel.POST, "A1第1网格红色驿站", "40")
    b1 = venue(areas[B1], VenueLevel.STATION, "B1社区党群服务站", "260")
    branch = PartyOrganisation.objects.create(name="A1社区党支部", kind="branch", area=areas[A1])
    b1_branch = PartyOrganisation.objects.create(name="B1社区党支部", kind="branch", area=areas[B1])
    this_year = [today, today]
    meetings = [
        Meeting.objects.create(
            organisation=branch, kind="general_meeting", topic="支部党员大会", held_on=day, place=station.name
        )
        for day in this_year
    ]
    Meeting.objects.create(
        organisation=branch,
        kind="general_meeting",
        topic="去年的党员大会",
        held_on=datetime.date(today.year - 1, 6, 1),
        place=station.name,
    )
    Meeting.objects.create(organisation=branch, kind="party_lecture", topic="党课", held_on=today, place="社区活动室")
    Meeting.objects.create(
        organisation=b1_branch, kind="general_meeting", topic="B1党员大会", held_on=today, place=station.name
    )
    city_site = DemonstrationSite.objects.create(
        area=areas[A1], level=SiteLevel.CITY, theme="红色物业", year=2025, document_number="市组通〔2025〕12号"
    )
    venue_site = DemonstrationSite.objects.create(
        area=areas[A1],
        venue=post,
        level=SiteLevel.DISTRICT,
        theme="网格治理",
        year=2024,
        document_number="区组通〔2024〕3号",
    )
    return {
        "centre": centre,
        "station": station,
        "post": post,
        "b1": b1,
        "branch": branch,
        "b1_branch": b1_branch,
        "meetings": meetings,
        "city_site": city_site,
        "venue_site": venue_site,
    }
