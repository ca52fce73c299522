"""The demo's year of funds on the small tree: each community with grids gets this year's allocations
at the seeds' figures, spending against them with a voucher file — never beyond an allocation — most
approved, and its notices published with their snapshot; a project of the projects' half is used
where there is one, else the demo makes a few."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.db.models import Sum
from django.utils import timezone

from core.registry import registry
from funds.demo_funding import fill_demo_funding
from funds.models import Project
from funds.models_funding import Allocation, Expenditure, FundNotice

from .funding_cast import A1, B1

pytestmark = pytest.mark.django_db


def test_a_year_of_funds_at_the_seeds_figures(areas, street_a):
    existing = Project.objects.create(area=areas[A1], title="已有项目", started_on=datetime.date(2026, 1, 5))

    said = fill_demo_funding("small")

    year = timezone.localdate().year
    assert "已建立经费" in said
    figures = dict(Allocation.objects.filter(area__code=A1, year=year).values_list("fund_type", "amount"))
    assert figures["operating"] == Decimal("50000.00") and figures["party"] == Decimal("20000.00")
    assert figures["service"] in (Decimal("100000.00"), Decimal("80000.00"))
    assert Allocation.objects.filter(area__code=B1).count() == 3
    assert not Allocation.objects.filter(area__code="220104001002").exists()  # A2 has no grids: not filled
    for allocation in Allocation.objects.annotate(spent=Sum("expenditures__amount")):
        assert Decimal("0") < allocation.spent <= allocation.amount
    spent = Expenditure.objects.filter(area__code=A1)
    assert spent.filter(status="approved").exists() and spent.exclude(voucher="").count() == spent.count()
    assert default_storage.exists(spent.first().voucher.name)
    assert set(Project.objects.filter(area__code=A1)) == {existing}  # A1's project used, none added
    assert Project.objects.filter(area__code=B1).count() == 2  # B1 had none: the demo made two
    assert spent.filter(project=existing).exists()
    for allocation in Allocation.objects.filter(area__code__in=[A1, B1]):  # bills of differing amounts
        amounts = list(allocation.expenditures.values_list("amount", flat=True))
        assert len(amounts) < 2 or len(set(amounts)) > 1, allocation
    notices = FundNotice.objects.filter(area__code__in=[A1, B1])
    assert notices.exists() and not notices.exclude(status="published").exists()
    assert all(notice.snapshot["year"] == year and notice.changes for notice in notices)


def test_the_demo_runs_after_the_service_lists(areas):
    fillers = registry.demo_fillers
    assert fillers.index(fill_demo_funding) > fillers.index(next(f for f in fillers if f.__module__ == "services.demo"))
