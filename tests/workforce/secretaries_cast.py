"""书记项目、述职评议与街路巷's cast on the small tree (tests/conftest.py): community A1's cadre; A1's
project of this year (its evidence uploaded, its one milestone done), street A's own project, B1's
project; A1's 述职评议 of last year; a road of street A along A1 and grid A1, and a vacant lane;
street B's road. Imported by the secretaries' and roads' tests."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from orgs.choices import Role
from tests.conftest import make_user
from workforce.models_secretaries import Road, RoadKind, SecretaryMilestone, SecretaryProject, SecretaryReport

A1, A2, B1, GRID_A1, STREET_A, STREET_B = (
    "220104001001",
    "220104001002",
    "220104002001",
    "220104001001001",
    "220104001",
    "220104002",
)
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def pdf(name="材料.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


def this_year():
    return timezone.localdate().year


def project(area, title="楼道微更新", **more):
    year = this_year()
    values = {
        "area": area,
        "secretary": "李红",
        "year": year,
        "title": title,
        "goal": "年内完成十个楼道改造",
        "started_on": datetime.date(year, 1, 1),
        "ends_on": datetime.date(year, 12, 31),
        **more,
    }
    return SecretaryProject.objects.create(**values)


@pytest.fixture(name="community_a1")
def community_a1_fixture(areas):
    return make_user("community_a1", Role.COMMUNITY_CADRE, areas[A1])


@pytest.fixture(name="district_org")
def district_org_fixture(areas):
    return make_user("district_org", Role.ORG_DEPARTMENT, areas["220104"])


@pytest.fixture(name="minzheng")
def minzheng_fixture(areas):
    return make_user("minzheng", Role.DEPARTMENT, areas["220104"])


@pytest.fixture(name="secretaries")
def secretaries_fixture(areas, street_a, street_b, community_a1):
    year = this_year()
    a1 = project(areas[A1], evidence=pdf())
    milestone = SecretaryMilestone.objects.create(
        project=a1,
        title="制定实施方案",
        due_on=datetime.date(year, 1, 1),
        done_on=datetime.date(year, 1, 1),
        evidence=pdf("方案.pdf"),
    )
    street = project(areas[STREET_A], title="一街一品党建品牌", secretary="张强")
    b1 = project(areas[B1], title="B1邻里议事会", secretary="王芳")
    report = SecretaryReport.objects.create(
        area=areas[A1],
        year=year - 1,
        secretary="李红",
        reported_on=datetime.date(year, 1, 15),
        voters=40,
        good=30,
        fairly_good=6,
        fair=3,
        poor=1,
    )
    road = Road.objects.create(
        area=areas[STREET_A], name="人民大街", kind=RoadKind.STREET, chief_name="赵刚", chief_phone="13912345678"
    )
    road.along.set([areas[A1], areas[GRID_A1]])
    lane = Road.objects.create(area=areas[STREET_A], name="幸福巷", kind=RoadKind.LANE)
    b_road = Road.objects.create(area=areas[STREET_B], name="桂林路", kind=RoadKind.ROAD, chief_name="钱进")
    return {
        "project": a1,
        "milestone": milestone,
        "street_project": street,
        "b1_project": b1,
        "report": report,
        "road": road,
        "lane": lane,
        "b_road": b_road,
    }
