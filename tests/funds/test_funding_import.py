"""The finance office's sheets on the kit's import flow: allocations with amounts written "1,234.50"
or in a 金额（万元） column (×10,000), a re-import updating the row its community, year, type and
source name; expenditures found by 凭证号, their allocation by community, type and the year of their
date. Refused with the row and a Chinese reason: an unknown community, a bad amount, spending beyond
the balance, a large amount not confirmed (万元 typed as 元)."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import ImportJob
from funds.models_funding import Allocation, Expenditure
from tests.grids.sheets import csv_bytes

from .funding_cast import A1, B1, community_a1_fixture, funds_fixture  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def upload(client, kind, header, rows):
    response = client.post(
        reverse("core:import_new", args=[kind]),
        {"file": SimpleUploadedFile("财务.csv", csv_bytes(rows, header=header), "text/csv")},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.filter(kind=kind).latest("pk")


def rejected(job):
    return {r["row"]: (r["column"], r["reason"]) for r in job.summary["rejected"]}


def confirm(client, job):
    client.post(reverse("core:import_confirm", args=[job.pk]), {"skip_invalid": "1"})
    job.refresh_from_db()
    assert job.status == "done", job.error


def test_allocations_in_yuan_or_wan_and_the_bad_rows_told(funds, street_a, client_for):
    year = str(funds["operating"].year)
    client = client_for(street_a)
    header = ["社区代码", "年度", "经费类型", "来源", "金额（元）", "金额（万元）", "大额确认", "备注"]
    rows = [
        [A1, year, "党建工作经费", "街道", "20,000.00", "", "", ""],
        ["220104001002", year, "社区运转经费", "区级", "", "5", "", "万元列"],
        [A1, year, "社区运转经费", "区级", "60,000", "", "", "追加后"],  # updates the existing one
        ["999999999999", year, "社区运转经费", "区级", "50000", "", "", ""],
        [B1, year, "党建工作经费", "街道", "20000", "", "", ""],  # street B's community
        ["220104001002", year, "党建工作经费", "街道", "两万", "", "", ""],
        ["220104001002", year, "服务群众专项经费", "市级", "1000000", "", "", ""],  # 100 万 typed, not confirmed
        ["220104001002", year, "服务群众专项经费", "区级", "300000", "", "是", "确认的大额"],
    ]

    job = upload(client, "funds_allocations", header, rows)

    assert (job.summary["new"], job.summary["changed"]) == (3, 1)
    reasons = rejected(job)
    assert set(reasons) == {5, 6, 7, 8}
    assert reasons[5][0] == "社区代码" and "不在您的管辖范围内" in reasons[5][1]
    assert reasons[6][0] == "社区代码"
    assert reasons[7][0] == "金额（元）" and "不是数字" in reasons[7][1]
    assert "万元当作元" in reasons[8][1] and "大额确认" in reasons[8][1]

    confirm(client, job)
    assert Allocation.objects.get(area__code=A1, fund_type="party").amount == Decimal("20000.00")
    assert Allocation.objects.get(area__code="220104001002", fund_type="operating").amount == Decimal("50000.00")
    funds["operating"].refresh_from_db()
    assert funds["operating"].amount == Decimal("60000.00")
    assert Allocation.objects.get(area__code="220104001002", source="district", fund_type="service").amount == Decimal(
        "300000.00"
    )


def test_expenditures_within_the_balance_and_the_rest_refused(funds, community_a1, client_for):
    year = funds["operating"].year
    client = client_for(community_a1)
    header = ["凭证号", "社区代码", "经费类型", "来源", "支出日期", "金额（元）", "用途", "项目"]
    rows = [
        ["PZ-001", A1, "社区运转经费", "区级", f"{year}-04-01", "1,234.50", "办公用品", ""],
        ["PZ-002", A1, "服务群众专项经费", "", f"{year}-04-02", "2,000", "助餐点食材", "老年助餐点"],
        ["PZ-003", A1, "社区运转经费", "区级", f"{year}-04-03", "60,000.00", "超出余额", ""],
        ["PZ-004", A1, "党建工作经费", "", f"{year}-04-04", "100", "没有拨付", ""],
        ["PZ-005", A1, "社区运转经费", "区级", f"{year}-04-05", "-10", "负数", ""],
        ["PZ-006", B1, "社区运转经费", "区级", f"{year}-04-06", "10", "别的街道", ""],
    ]

    job = upload(client, "funds_expenditures", header, rows)

    assert job.summary["new"] == 2
    reasons = rejected(job)
    assert set(reasons) == {4, 5, 6, 7}
    assert "余额为 48,765.50 元" in reasons[4][1]  # 50,000 less the sheet's own first row
    assert "没有党建工作经费的拨付记录" in reasons[5][1]
    assert "大于零" in reasons[6][1]
    assert "不在您的管辖范围内" in reasons[7][1]

    confirm(client, job)
    spent = Expenditure.objects.get(voucher_number="PZ-002")
    assert (spent.amount, spent.project, spent.status) == (Decimal("2000.00"), funds["project"], "draft")
    assert Expenditure.objects.get(voucher_number="PZ-001").area.code == A1
    assert not Expenditure.objects.filter(voucher_number__in=["PZ-003", "PZ-004", "PZ-005", "PZ-006"]).exists()
