"""The cast of the two-way claim on the tests' tree (tests/conftest.py): 市住建局, a reporting unit
of street A whose in-service member 赵在职 reports to community A1 (grid A1, the red team), with its
own account `danwei`; 市卫健委 of street B with 钱在职 in B1 and its account `danwei_b`; demands of
grid A1, community A2 and community B1; 市住建局's resource of 10 人次 serving street A; community
A1's cadre and 朝阳区民政局's user (a functional department). Fixtures are imported by the test
modules (`from .projects_cast import *`)."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from funds.models import ProviderKind
from funds.models_projects import Demand, Resource, Urgency
from orgs.choices import Role
from orgs.models import Department, DepartmentKind, RoleAssignment
from party.choices import OrgKind, ServiceTeam, UnitKind
from party.models import InServiceMember, PartyOrganisation, ReportingUnit, ServiceRecord, UnitRegistration
from tests.conftest import make_user

STREET_A, COMMUNITY_A1, GRID_A1, COMMUNITY_A2 = "220104001", "220104001001", "220104001001001", "220104001002"
STREET_B, COMMUNITY_B1 = "220104002", "220104002001"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def evidence(name="结项照片.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def community_a1(areas):
    return make_user("community_a1", Role.COMMUNITY_CADRE, areas[COMMUNITY_A1])


@pytest.fixture
def minzheng(areas):
    kind = DepartmentKind.objects.get_or_create(name="民政")[0]
    department = Department.objects.create(name="朝阳区民政局", kind=kind, area=areas["220104"])
    user = make_user("minzheng", None, None)
    RoleAssignment.objects.create(user=user, area=department.area, role=Role.DEPARTMENT, department=department)
    return user


@pytest.fixture
def units(areas):
    zhujian = ReportingUnit.objects.create(name="市住建局", kind=UnitKind.AGENCY, area=areas[STREET_A])
    weijian = ReportingUnit.objects.create(name="市卫健委", kind=UnitKind.AGENCY, area=areas[STREET_B])
    UnitRegistration.objects.create(unit=weijian, community=areas[COMMUNITY_B1])
    zhao = InServiceMember.objects.create(
        name="赵在职",
        unit=zhujian,
        community=areas[COMMUNITY_A1],
        grid=areas[GRID_A1],
        team=ServiceTeam.RED,
        phone="13900002222",
    )
    qian = InServiceMember.objects.create(name="钱在职", unit=weijian, community=areas[COMMUNITY_B1])
    return {"zhujian": zhujian, "weijian": weijian, "zhao": zhao, "qian": qian}


@pytest.fixture
def danwei(units):
    user = make_user("danwei", None, None, last_name="市住建局")
    units["zhujian"].users.add(user)
    return user


@pytest.fixture
def danwei_b(units):
    user = make_user("danwei_b", None, None)
    units["weijian"].users.add(user)
    return user


@pytest.fixture
def organisation(areas):
    return PartyOrganisation.objects.create(
        name="A1社区大党委", kind=OrgKind.COMMUNITY_COMMITTEE, area=areas[COMMUNITY_A1]
    )


@pytest.fixture
def demands(areas):
    def demand(code, title, **more):
        return Demand.objects.create(area=areas[code], title=title, people=12, **more)

    return {
        "a1": demand(GRID_A1, "独居老人助餐", urgency=Urgency.URGENT, description="每日午餐送餐上门"),
        "a1_community": demand(COMMUNITY_A1, "楼道照明维修"),
        "a2": demand(COMMUNITY_A2, "儿童课后托管"),
        "b1": demand(COMMUNITY_B1, "健康义诊"),
    }


@pytest.fixture
def resource(areas, units):
    record = Resource(
        area=areas[STREET_A],
        title="志愿维修服务",
        description="水电维修，每次两人",
        quantity=Decimal("10"),
        measure="人次",
        available_from=timezone.localdate(),
        available_to=timezone.localdate() + datetime.timedelta(days=90),
        provider_kind=ProviderKind.UNIT,
        unit=units["zhujian"],
        provider_label="市住建局",
    )
    record.save()
    record.serves.add(areas[STREET_A])
    return record


@pytest.fixture
def service(units):
    return ServiceRecord.objects.create(member=units["zhao"], description="为独居老人送餐", hours=Decimal("2.5"))
