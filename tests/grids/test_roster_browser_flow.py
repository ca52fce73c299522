"""The street-A cadre's roster import in the browser (issue 3, acceptance 1): upload → preview
with exactly the bad rows by Excel row number → download those rows with their reasons →
fix and upload again → confirm → (eager) Celery job → report; the roster page lists the
people, and its export re-imports without changing anything."""

import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.models import ImportJob
from grids.models import HeadAssignment, Person

from .sheets import GRID_A1, GRID_A2, make_id, save, with_wrong_check_digit

NEW_URL = "/imports/roster/new/"
HEADER = "区 街道 社区 网格编码 网格名称 楼栋 单元 职务 姓名 性别 联系电话 身份证号 政治面貌 备注".split()
LI_NA_ID = make_id(2, gender="女")
# Excel row → the cells from 网格编码 on; 区/街道/社区 merged down rows 3–8, 网格编码/网格名称 per grid.
ROWS = {
    3: [GRID_A1, "第1网格", "", "", "网格长", "张伟", "男", 13904310001, make_id(1), "中共党员", ""],
    4: ["", "", "", "", "专职网格员", "李娜", "女", 13904310002, with_wrong_check_digit(LI_NA_ID), "群众", ""],
    5: ["", "", "2号楼", "", "楼栋长", "王强", "男", "13904310003", make_id(3), "群众", '=HYPERLINK("#","x")'],
    6: ["", "", "02", "1单元", "单元长", "刘洋", "女", 13904310004, make_id(4, gender="女"), "中共党员", ""],
    7: [GRID_A2, "第2网格", "", "", "网格长", "陈静", "女", 13904310005, make_id(5, gender="女"), "中共预备党员", ""],
    8: ["", "", "", "", "社区书记", "徐涛", "男", 13904310006, "", "群众", ""],
}
BAD_ROWS = [
    (4, "身份证号", f"身份证号“{with_wrong_check_digit(LI_NA_ID)}”校验位不正确，请核对。"),
    (8, "职务", "职务“社区书记”无法识别，应为网格长、楼栋长、单元长、网格员或十联户长。"),
]
FIXES = {4: {8: LI_NA_ID}, 8: {4: "十联户长"}}  # Excel row → {index in ROWS: the right value}


def sheet(fixed=False):
    workbook = Workbook()
    ws = workbook.active
    ws["A1"] = "前进街道A1社区网格人员花名册"
    ws.merge_cells("A1:N1")
    ws.append(HEADER)
    for number, cells in ROWS.items():
        cells = list(cells)
        if fixed:
            for index, value in FIXES.get(number, {}).items():
                cells[index] = value
        ws.append((["朝阳区", "前进街道", "A1社区"] if number == 3 else ["", "", ""]) + cells)
        if str(cells[-1]).startswith("="):
            ws.cell(row=number, column=14).data_type = "s"  # the 备注 typed as text, not a formula
    for column in "ABC":
        ws.merge_cells(f"{column}3:{column}8")
    for column in "DE":
        ws.merge_cells(f"{column}3:{column}6")
        ws.merge_cells(f"{column}7:{column}8")
    ws.freeze_panes = "A3"
    return save(workbook)


def upload(client, data, name="A1社区花名册.xlsx"):
    response = client.post(NEW_URL, {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[:3000]
    job = ImportJob.objects.latest("pk")
    assert response.url == job.get_absolute_url()
    return job


def counts(html):
    return {key: int(n) for key, n in re.findall(r'data-count="(\w+)">(\d+)<', html)}


def rejected_rows(html):
    table = html.split('class="table table-sm table-compact mb-0 rejected-rows"', 1)
    if len(table) == 1:
        return []
    return [
        (int(row), column, reason)
        for row, column, reason in re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", table[1])
    ]


def confirm(client, job):
    return client.post(reverse("core:import_confirm", kwargs={"pk": job.pk}), follow=True)


def xlsx_rows(content):
    sheet = load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.fixture
def cadre(street_a, client_for):
    return client_for(street_a)


def test_the_upload_page_opens_for_the_street_cadre(cadre):
    response = cadre.get(NEW_URL)

    assert response.status_code == 200
    assert "导入人员名册" in response.content.decode()


def test_the_preview_shows_the_counts_and_exactly_the_bad_rows(cadre, roster_state):
    before = roster_state()

    job = upload(cadre, sheet())
    html = cadre.get(job.get_absolute_url()).content.decode()

    assert job.status == "previewed"
    assert counts(html) == {"rows": 6, "new": 4, "changed": 0, "unchanged": 0, "skipped": 0, "rejected": 2}
    assert rejected_rows(html) == BAD_ROWS
    assert roster_state() == before


def test_the_bad_rows_download_as_an_xlsx_with_their_reasons(cadre):
    job = upload(cadre, sheet())

    response = cadre.get(reverse("core:import_rejected", kwargs={"pk": job.pk}))

    assert response.status_code == 200
    rows = xlsx_rows(response.content)
    assert rows[0] == [*HEADER, "原行号", "错误原因"]
    assert [(r[HEADER.index("姓名")], r[-2]) for r in rows[1:]] == [("李娜", 4), ("徐涛", 8)]
    assert [r[-1] for r in rows[1:]] == [f"{column}：{reason}" for _, column, reason in BAD_ROWS]
    assert {r[3] for r in rows[1:]} == {GRID_A1, GRID_A2}  # the merged grid codes, filled down


def test_confirming_with_bad_rows_writes_nothing(cadre, roster_state):
    before = roster_state()
    job = upload(cadre, sheet())

    html = confirm(cadre, job).content.decode()

    assert "有未通过校验的行" in html
    job.refresh_from_db()
    assert job.status == "previewed"
    assert roster_state() == before


def test_the_fixed_sheet_imports_and_the_roster_lists_the_people(cadre, street_a):
    upload(cadre, sheet())
    job = upload(cadre, sheet(fixed=True))
    html = cadre.get(job.get_absolute_url()).content.decode()
    assert counts(html) == {"rows": 6, "new": 6, "changed": 0, "unchanged": 0, "skipped": 0, "rejected": 0}
    assert rejected_rows(html) == []

    html = confirm(cadre, job).content.decode()

    job.refresh_from_db()
    assert job.status == "done", job.error
    assert job.report["new"] == 6 and job.report["rejected"] == []
    assert (job.progress_done, job.progress_total) == (6, 6)
    assert "导入完成：新增 6 条，修改 0 条。" in html
    roster = cadre.get("/grids/220104001/roster/")
    assert roster.status_code == 200
    page = roster.content.decode()
    for name in ("张伟", "李娜", "王强", "刘洋", "陈静", "徐涛"):
        assert name in page
    assert HeadAssignment.objects.get(person__name="王强").note == '=HYPERLINK("#","x")'


@pytest.fixture
def reveals_personal_data(street_a):
    street_a.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    return street_a


def test_the_exported_roster_reimports_without_changing_anything(cadre, reveals_personal_data, roster_state):
    confirm(cadre, upload(cadre, sheet(fixed=True)))
    before = roster_state()

    export = cadre.get("/grids/220104001/roster/?export=xlsx")

    assert export.status_code == 200
    exported = xlsx_rows(export.content)
    assert len(exported) == 1 + 6
    assert "13904310001" in [str(r[10]) for r in exported]  # whole numbers, not masked
    job = upload(cadre, export.content, name="网格人员_220104001.xlsx")
    assert (job.summary["new"], job.summary["changed"], job.summary["unchanged"]) == (0, 0, 6)
    assert job.summary["rejected"] == []
    confirm(cadre, job)  # nothing to import: the confirm is refused, and nothing changes
    job.refresh_from_db()
    assert job.status == "previewed"
    assert roster_state() == before


def test_an_export_with_masked_numbers_reimports_unchanged_and_overwrites_nothing(cadre, roster_state):
    confirm(cadre, upload(cadre, sheet(fixed=True)))
    before = roster_state()

    export = cadre.get("/grids/220104001/roster/?export=xlsx")
    assert "139****0001" in [str(r[10]) for r in xlsx_rows(export.content)]  # masked for this cadre
    job = upload(cadre, export.content, name="人员名册_220104001.xlsx")

    # A masked cell that equals the mask of the number on record means "unchanged".
    assert (job.summary["new"], job.summary["changed"], job.summary["rejected"]) == (0, 0, [])
    assert job.summary["unchanged"] == 6
    assert roster_state() == before
    assert Person.objects.get(name="张伟").phone == "13904310001"


def test_confirming_the_valid_rows_only_writes_them_and_keeps_the_bad_ones_downloadable(cadre):
    job = upload(cadre, sheet())

    response = cadre.post(reverse("core:import_confirm", kwargs={"pk": job.pk}), {"skip_invalid": "1"}, follow=True)

    job.refresh_from_db()
    assert job.status == "done", job.error
    assert counts(response.content.decode())["new"] == 4
    assert sorted(Person.objects.values_list("name", flat=True)) == sorted(["张伟", "王强", "刘洋", "陈静"])
    assert rejected_rows(response.content.decode()) == BAD_ROWS
    download = cadre.get(reverse("core:import_rejected", kwargs={"pk": job.pk}))
    assert [r[HEADER.index("姓名")] for r in xlsx_rows(download.content)[1:]] == ["李娜", "徐涛"]
