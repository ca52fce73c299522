"""经费's cast on the small tree (tests/conftest.py): community A1's cadre, this year's allocations of
A1 (运转 50,000 from the district, 服务群众 100,000 from the city) and B1's (运转 50,000), a project of
A1 and one of B1 (created directly: the projects' half is not needed), an approved expenditure and a
draft of A1, and a published notice and a draft one of A1. Imported by the funding tests."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from funds.funding_flow import EXPENDITURES, NOTICES
from funds.models import Project
from funds.models_funding import Allocation, Expenditure, FundNotice, FundSource, FundType
from orgs.choices import Role
from tests.conftest import make_user

A1, A2, B1, STREET_A, STREET_B = "220104001001", "220104001002", "220104002001", "220104001", "220104002"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def pdf(name="发票.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


def this_year():
    return timezone.localdate().year


def spend(allocation, amount, project=None, purpose="楼道照明改造", **more):
    return Expenditure.objects.create(
        allocation=allocation,
        project=project,
        amount=Decimal(amount),
        spent_on=datetime.date(allocation.year, 3, 10),
        purpose=purpose,
        **more,
    )


@pytest.fixture(name="community_a1")
def community_a1_fixture(areas):
    return make_user(
        "community_a1", Role.COMMUNITY_CADRE, areas[A1], first_name="小红", last_name="李", phone="13800001111"
    )


@pytest.fixture(name="community_b1")
def community_b1_fixture(areas):
    return make_user("community_b1", Role.COMMUNITY_CADRE, areas[B1])


@pytest.fixture(name="funds")
def funds_fixture(areas, street_a, community_a1):
    year = this_year()
    operating = Allocation.objects.create(
        area=areas[A1], year=year, fund_type=FundType.OPERATING, source=FundSource.DISTRICT, amount=Decimal("50000.00")
    )
    service = Allocation.objects.create(
        area=areas[A1], year=year, fund_type=FundType.SERVICE, source=FundSource.CITY, amount=Decimal("100000.00")
    )
    b1 = Allocation.objects.create(
        area=areas[B1], year=year, fund_type=FundType.OPERATING, source=FundSource.DISTRICT, amount=Decimal("50000.00")
    )
    project = Project.objects.create(area=areas[A1], title="老年助餐点", started_on=datetime.date(year, 2, 1))
    b1_project = Project.objects.create(area=areas[B1], title="B1楼道改造", started_on=datetime.date(year, 2, 1))
    approved = spend(service, "30000.50", project, purpose="助餐点厨具", voucher=pdf())
    EXPENDITURES.take("approve", {"pk": approved.pk}, street_a)
    draft = spend(service, "1200.00", project, purpose="助餐点餐具")
    notice = FundNotice.objects.create(area=areas[A1], year=year, title="A1社区第一期经费公示")
    NOTICES.take("publish", {"pk": notice.pk}, community_a1)
    draft_notice = FundNotice.objects.create(area=areas[A1], year=year, title="A1社区草稿公示")
    return {
        "operating": operating,
        "service": service,
        "b1": b1,
        "project": project,
        "b1_project": b1_project,
        "approved": Expenditure.objects.get(pk=approved.pk),
        "draft": draft,
        "notice": FundNotice.objects.get(pk=notice.pk),
        "draft_notice": draft_notice,
    }


@pytest.fixture(name="minzheng")
def minzheng_fixture(areas):
    """朝阳区民政局's user (职能部门): reads none of the funds."""
    from orgs.models import Department, DepartmentKind, RoleAssignment

    kind = DepartmentKind.objects.get_or_create(name="民政")[0]
    department = Department.objects.create(name="朝阳区民政局", kind=kind, area=areas["220104"])
    user = make_user("minzheng", None, None)
    RoleAssignment.objects.create(user=user, area=department.area, role=Role.DEPARTMENT, department=department)
    return user
