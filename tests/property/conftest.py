"""The property side of the cast's tree: 朝阳区's housing bureau (zhujian) and 南关区's (the
outsider of the department role), a company registered in 朝阳区 serving a compound in street A
and one in street B, and in street A a compound without management on the ledger, an owners'
committee, a consultation and a checklist."""

import datetime

import pytest
from django.core.files.base import ContentFile

from core.identity import with_credit_check_character
from orgs.choices import Role
from orgs.models import Area, Department, DepartmentKind, RoleAssignment
from property.choices import LedgerStatus, ManagementMode
from property.models import (
    Checklist,
    CommitteeMember,
    Compound,
    Consultation,
    LedgerEntry,
    OwnersCommittee,
    PropertyCompany,
)
from tests.conftest import make_user

DISTRICT, STREET_A, COMMUNITY_A1, GRID_A1 = "220104", "220104001", "220104001001", "220104001001001"
COMMUNITY_A2, STREET_B, COMMUNITY_B1, GRID_B1 = "220104001002", "220104002", "220104002001", "220104002001001"
NANGUAN = "220102"

CODE_1 = with_credit_check_character("91220104MA0000001")  # 朝阳区's register
CODE_2 = with_credit_check_character("91220104MA0000002")
CODE_N = with_credit_check_character("91220102MA0000009")  # 南关区's


def housing_kind():
    return DepartmentKind.objects.get_or_create(name="住建")[0]


def department_user(username, department):
    user = make_user(username, None, None)
    RoleAssignment.objects.create(user=user, area=department.area, role=Role.DEPARTMENT, department=department)
    return user


@pytest.fixture
def nanguan(areas):
    return Area.objects.create(code=NANGUAN, name="南关区", level="district", parent=areas["2201"])


@pytest.fixture
def housing(areas, nanguan):
    kind = housing_kind()
    return {
        "chaoyang": Department.objects.create(
            name="朝阳区住房和城乡建设局", short_name="朝阳区住建局", kind=kind, area=areas[DISTRICT]
        ),
        "nanguan": Department.objects.create(
            name="南关区住房和城乡建设局", short_name="南关区住建局", kind=kind, area=nanguan
        ),
    }


@pytest.fixture
def zhujian(housing):
    """The housing bureau's user of 朝阳区 (职能部门)."""
    return department_user("zhujian", housing["chaoyang"])


@pytest.fixture
def nanguan_housing(housing):
    """南关区's housing bureau: keeps companies too, but not 朝阳区's."""
    return department_user("nanguan_zhujian", housing["nanguan"])


@pytest.fixture
def community_a1(areas):
    return make_user("community_a1", Role.COMMUNITY_CADRE, areas[COMMUNITY_A1])


def evidence():
    return ContentFile(b"%PDF-1.4\n% agreement\n", name="agreement.pdf")


@pytest.fixture
def estate(areas, housing):
    """The records of every story, by name."""
    o = {}
    o["company"] = PropertyCompany.objects.create(
        name="长春红心物业服务有限公司",
        credit_code=CODE_1,
        legal_representative="王经理",
        phone="13900003333",
        qualification="一级",
        department=housing["chaoyang"],
    )
    o["company_n"] = PropertyCompany.objects.create(
        name="南关物业有限公司", credit_code=CODE_N, department=housing["nanguan"]
    )
    o["compound"] = Compound.objects.create(
        name="幸福家园",
        community=areas[COMMUNITY_A1],
        households=320,
        mode=ManagementMode.PROFESSIONAL,
        company=o["company"],
        contract_start=datetime.date(2025, 1, 1),
        contract_end=datetime.date(2027, 12, 31),
    )
    o["compound"].areas.set([areas[GRID_A1]])
    o["compound_b"] = Compound.objects.create(
        name="桂林小区", community=areas[COMMUNITY_B1], households=200, mode=ManagementMode.PROFESSIONAL,
        company=o["company"],
    )  # fmt: skip
    # Without management: on the ledger; then 社区代管 assigned and the evidence uploaded, ready for 销号.
    o["bare"] = Compound.objects.create(name="老旧小区", community=areas[COMMUNITY_A1], mode=ManagementMode.NONE)
    o["entry"] = LedgerEntry.objects.get(compound=o["bare"])
    o["bare"].mode = ManagementMode.COMMUNITY
    o["bare"].save()
    o["entry"].responsible = "李书记"
    o["entry"].evidence = evidence()
    o["entry"].evidence_name = "代管协议.pdf"
    o["entry"].save()
    # A compound whose entry was closed: it may be reopened.
    o["done"] = Compound.objects.create(name="已清零小区", community=areas[COMMUNITY_A1], mode=ManagementMode.OWNERS)
    o["closed"] = LedgerEntry.objects.create(
        compound=o["done"], deadline=datetime.date(2026, 12, 31), status=LedgerStatus.CLOSED
    )
    o["committee"] = OwnersCommittee.objects.create(
        compound=o["compound"],
        name="幸福家园业委会",
        term_start=datetime.date(2022, 1, 1),
        term_end=datetime.date(2027, 1, 1),
    )
    o["member"] = CommitteeMember.objects.create(committee=o["committee"], name="赵主任", is_party_member=True)
    o["consultation"] = Consultation.objects.create(
        compound=o["compound"], topic="停车位划线", participants="社区党委、业委会、物业", decision="划线"
    )
    o["checklist"] = Checklist.objects.create(compound=o["compound"], quarter="2026Q4", greening=True)
    return o
