"""The party side of the cast's tree: street A and street B each with their organisations, members,
a meeting, a reporting unit and an in-service member with a service."""

import datetime

import pytest
from django.utils import timezone

from orgs.choices import Role
from orgs.models import Area
from party.choices import MeetingKind, MemberStatus, OrgKind, ServiceTeam, UnitKind
from party.models import (
    InServiceMember,
    Meeting,
    PartyMember,
    PartyOrganisation,
    ReportingUnit,
    ServiceRecord,
    UnitRegistration,
)
from tests.conftest import make_user
from tests.grids.conftest import valid_id_number  # noqa: F401  (one helper for every test's ID numbers)

STREET_A, COMMUNITY_A1, GRID_A1 = "220104001", "220104001001", "220104001001001"
STREET_B, COMMUNITY_B1, GRID_B1 = "220104002", "220104002001", "220104002001001"


@pytest.fixture
def community_a1(areas):
    return make_user("community_a1", Role.COMMUNITY_CADRE, areas[COMMUNITY_A1])


@pytest.fixture
def unit_user(db):
    return make_user("unit_user", None, None)


def organisation(name, kind, code, parent=None):
    return PartyOrganisation.objects.create(name=name, kind=kind, area=Area.objects.get(code=code), parent=parent)


@pytest.fixture
def party(areas, unit_user):
    today = timezone.localdate()
    o = {}
    o["street_a"] = organisation("前进街道大工委", OrgKind.STREET_COMMITTEE, STREET_A)
    o["community_a1"] = organisation("A1社区大党委", OrgKind.COMMUNITY_COMMITTEE, COMMUNITY_A1, o["street_a"])
    o["grid_a1"] = organisation("A1社区第1网格党支部", OrgKind.GRID_BRANCH, GRID_A1, o["community_a1"])
    o["street_b"] = organisation("桂林街道大工委", OrgKind.STREET_COMMITTEE, STREET_B)
    o["grid_b1"] = organisation("B1社区第1网格党支部", OrgKind.GRID_BRANCH, GRID_B1, o["street_b"])
    o["zhang"] = PartyMember.objects.create(
        name="张党员",
        gender="male",
        organisation=o["grid_a1"],
        phone="13900001111",
        id_number=valid_id_number("22010419700101001"),
        joined_on=datetime.date(2000, 7, 1),
    )
    o["li"] = PartyMember.objects.create(
        name="李预备",
        organisation=o["grid_a1"],
        status=MemberStatus.PROBATIONARY,
        joined_on=today - datetime.timedelta(350),
    )
    o["wang"] = PartyMember.objects.create(
        name="王党员", organisation=o["grid_b1"], joined_on=datetime.date(2001, 7, 1)
    )
    o["meeting"] = Meeting.objects.create(
        organisation=o["grid_a1"], kind=MeetingKind.PARTY_DAY, topic="主题党日：清理楼道", expected=2
    )
    o["meeting"].attendees.add(o["zhang"])
    o["meeting_b"] = Meeting.objects.create(organisation=o["grid_b1"], kind=MeetingKind.PARTY_DAY, topic="B主题党日")
    o["unit"] = ReportingUnit.objects.create(
        name="市住建局", kind=UnitKind.AGENCY, area=Area.objects.get(code=STREET_A)
    )
    o["unit"].users.add(unit_user)
    o["registration"] = UnitRegistration.objects.create(
        unit=o["unit"], community=Area.objects.get(code=COMMUNITY_A1), agreement="共建协议"
    )
    o["unit_b"] = ReportingUnit.objects.create(
        name="市卫健委", kind=UnitKind.AGENCY, area=Area.objects.get(code=STREET_B)
    )
    UnitRegistration.objects.create(unit=o["unit_b"], community=Area.objects.get(code=COMMUNITY_B1))
    o["zhao"] = InServiceMember.objects.create(
        name="赵在职",
        unit=o["unit"],
        community=Area.objects.get(code=COMMUNITY_A1),
        grid=Area.objects.get(code=GRID_A1),
        team=ServiceTeam.RED,
        phone="13900002222",
    )
    o["qian"] = InServiceMember.objects.create(
        name="钱在职", unit=o["unit_b"], community=Area.objects.get(code=COMMUNITY_B1)
    )
    o["service"] = ServiceRecord.objects.create(member=o["zhao"], description="楼道清扫", hours=2)
    o["service_b"] = ServiceRecord.objects.create(member=o["qian"], description="义诊", hours=3)
    return o
