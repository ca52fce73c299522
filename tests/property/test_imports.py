"""The imports of red property on the kit's flow (upload → preview → confirm): the housing bureau's
register of companies and a community's compounds, with Chinese reasons on the rows refused — a
wrong credit code, a company twice in the sheet, a compound outside the scope or on a grid of
another community — and nothing of those rows saved."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.identity import with_credit_check_character
from core.models import ImportJob
from property.choices import LedgerStatus, ManagementMode
from property.models import Compound, LedgerEntry, PropertyCompany
from tests.grids.sheets import csv_bytes

from .conftest import CODE_1, COMMUNITY_A1, COMMUNITY_B1, GRID_A1, GRID_B1

COMPANY_HEADERS = ["企业名称", "统一社会信用代码", "法定代表人", "联系电话", "资质等级", "注册地址", "服务小区"]
COMPOUND_HEADERS = ["小区名称", "所属社区", "网格编码", "户数", "管理模式", "物业企业", "合同开始日期", "合同截止日期"]
NEW_CODE = with_credit_check_character("91220104MA0000003")
OTHER_CODE = with_credit_check_character("91220104MA0000004")


def wrong(code):
    return code[:17] + ("0" if code[17] != "0" else "1")


def upload(client, kind, headers, rows):
    response = client.post(
        reverse("core:import_new", args=[kind]),
        {"file": SimpleUploadedFile("sheet.csv", csv_bytes(rows, header=headers), "text/csv")},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.filter(kind=kind).latest("pk")


def rejected(job):
    return [(r["row"], r["column"], r["reason"]) for r in job.summary["rejected"]]


def test_the_templates_have_the_registers_headers(zhujian, street_a, client_for):
    for user, kind, headers in (
        (zhujian, "property_companies", COMPANY_HEADERS),
        (street_a, "compounds", COMPOUND_HEADERS),
    ):
        response = client_for(user).get(reverse("core:import_template", args=[kind]))
        assert list(next(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))) == headers


def test_a_good_register_adds_new_companies_to_the_bureau_and_updates_its_own(estate, housing, zhujian, client_for):
    client = client_for(zhujian)
    rows = [
        ["长春红心物业服务有限公司", CODE_1, "王经理", "13900003333", "二级", "", "幸福家园"],  # changed: 资质等级
        ["新城物业有限公司", NEW_CODE, "刘总", "0431-88881234", "三级", "朝阳区XX路1号", ""],  # new
    ]

    job = upload(client, "property_companies", COMPANY_HEADERS, rows)
    assert (job.summary["new"], job.summary["changed"], rejected(job)) == (1, 1, [])
    client.post(reverse("core:import_confirm", args=[job.pk]))

    job.refresh_from_db()
    assert job.status == "done", job.error
    added = PropertyCompany.objects.get(credit_code=NEW_CODE)
    assert (added.name, added.department, added.phone) == ("新城物业有限公司", housing["chaoyang"], "0431-88881234")
    assert PropertyCompany.objects.get(credit_code=CODE_1).qualification == "二级"


def test_a_wrong_credit_code_is_refused_with_its_reason(estate, zhujian, client_for):
    rows = [
        ["新城物业有限公司", NEW_CODE, "", "", "", "", ""],
        ["错码物业有限公司", wrong(OTHER_CODE), "", "", "", "", ""],
    ]

    job = upload(client_for(zhujian), "property_companies", COMPANY_HEADERS, rows)

    assert job.summary["new"] == 1
    [(row, column, reason)] = rejected(job)
    assert (row, column) == (3, "统一社会信用代码") and "校验位不正确" in reason
    client_for(zhujian).post(reverse("core:import_confirm", args=[job.pk]), {"skip_invalid": "1"})
    assert not PropertyCompany.objects.filter(name="错码物业有限公司").exists()
    assert PropertyCompany.objects.filter(name="新城物业有限公司").exists()


def test_a_company_twice_in_the_sheet_is_refused_on_each_of_its_rows(estate, zhujian, client_for):
    rows = [
        ["新城物业有限公司", NEW_CODE, "刘总", "", "", "", ""],
        ["另一家物业有限公司", OTHER_CODE, "", "", "", "", ""],
        ["新城物业有限公司（重复）", NEW_CODE.lower(), "张总", "", "", "", ""],
    ]

    job = upload(client_for(zhujian), "property_companies", COMPANY_HEADERS, rows)

    assert [(row, column) for row, column, _reason in rejected(job)] == [
        (2, "统一社会信用代码"),
        (4, "统一社会信用代码"),
    ]
    assert all("在表中出现了不止一次" in reason for _row, _column, reason in rejected(job))
    assert job.summary["new"] == 1


def test_only_a_housing_bureau_registers_companies(estate, street_a, client_for):
    response = client_for(street_a).get(reverse("core:import_new", args=["property_companies"]))

    assert response.status_code == 404


def test_compounds_import_in_scope_and_refuse_what_lies_outside(estate, street_a, client_for):
    client = client_for(street_a)
    rows = [
        ["春华小区", COMMUNITY_A1, GRID_A1, "120", "专业物业", "长春红心物业服务有限公司", "2026-01-01", "2028-12-31"],
        ["无人管小区", COMMUNITY_A1, "", "40", "无物业", "", "", ""],
        ["越界小区", COMMUNITY_B1, "", "40", "社区代管", "", "", ""],  # street B's community
        ["错格小区", COMMUNITY_A1, GRID_B1, "40", "社区代管", "", "", ""],  # a grid of street B
        ["乱填小区", COMMUNITY_A1, "", "40", "物业托管", "", "", ""],  # not a mode
    ]

    job = upload(client, "compounds", COMPOUND_HEADERS, rows)

    assert job.summary["new"] == 2
    refusals = {}
    for row, column, reason in rejected(job):
        refusals.setdefault(row, {})[column] = reason
    assert sorted(refusals) == [4, 5, 6]
    assert "不存在或不在您的管辖范围内" in refusals[4]["所属社区"]
    assert GRID_B1 in refusals[5]["网格编码"]
    assert list(refusals[6]) == ["管理模式"] and "可填：专业物业、社区代管" in refusals[6]["管理模式"]

    client.post(reverse("core:import_confirm", args=[job.pk]), {"skip_invalid": "1"})

    job.refresh_from_db()
    assert job.status == "done", job.error
    spring = Compound.objects.get(name="春华小区")
    assert (spring.mode, spring.company, [a.code for a in spring.areas.all()]) == (
        ManagementMode.PROFESSIONAL,
        estate["company"],
        [GRID_A1],
    )
    assert LedgerEntry.objects.get(compound__name="无人管小区").status == LedgerStatus.OPEN
    assert not Compound.objects.filter(name__in=["越界小区", "错格小区", "乱填小区"]).exists()


def test_a_grid_of_a_sibling_community_is_refused_by_the_street_that_keeps_both(areas, estate, street_a, client_for):
    from orgs.models import Area

    Area.objects.create(code="220104001002001", name="A2第1网格", level="grid", parent=areas["220104001002"])

    job = upload(
        client_for(street_a),
        "compounds",
        COMPOUND_HEADERS,
        [["错格小区", COMMUNITY_A1, "220104001002001", "40", "社区代管", "", "", ""]],
    )

    [(row, column, reason)] = rejected(job)
    assert (row, column) == (2, "网格编码") and "不在A1社区内" in reason


def test_an_exported_compound_list_reimports_unchanged(estate, street_a, client_for):
    client = client_for(street_a)
    exported = client.get(reverse("property:compound_list"), {"export": "csv", "within": COMMUNITY_A1}).content

    response = client.post(
        reverse("core:import_new", args=["compounds"]),
        {"file": SimpleUploadedFile("export.csv", exported, "text/csv")},
    )

    assert response.status_code == 302
    job = ImportJob.objects.filter(kind="compounds").latest("pk")
    assert (job.summary["new"], job.summary["changed"], rejected(job)) == (0, 0, [])
    assert job.summary["unchanged"] == 3
