"""The roster as street offices live it (issue #8): what a real sheet and a real cadre hit."""

import pytest
from django.urls import reverse

from grids.models import HeadAssignment
from orgs.choices import Role
from tests.conftest import make_user

from .sheets import GRID_A1, HEADERS, csv_bytes, import_sheet, line, make_id, preview_sheet, rejected

SEQ_HEADERS = ["序号", *HEADERS]


def numbered(rows):
    return [[str(n), *row] for n, row in enumerate(rows, 1)]


# --- 1. a 合计 row is skipped, whatever column holds the word ----------------------------------


@pytest.mark.parametrize("label", ["合计", "合 计", "总计", "小计：", " 共计 "])
def test_a_total_row_labelled_in_the_number_column_is_skipped_not_rejected(areas, street_a, label):
    rows = numbered(
        [
            line(GRID_A1, "网格长", "张伟", phone="13904310001", id_number=make_id(1)),
            line(GRID_A1, "网格员", "李娜", phone="13904310002", id_number=make_id(2)),
        ]
    )
    # 序号 holds the label, 姓名 the cached value of =COUNTA(…), everything else blank.
    rows.append([label, "", "", "", "", "", "", "", "", "2", "", "", "", "", ""])

    plan = preview_sheet(street_a, csv_bytes(rows, header=SEQ_HEADERS))

    assert rejected(plan) == []
    assert (plan.summary()["new"], plan.summary()["skipped"]) == (2, 1)


def test_a_skipped_total_row_is_never_filled_down_nor_downloaded(areas, street_a):
    from core.importing import rejected_rows_xlsx
    from grids.importers import RosterImporter

    rows = numbered([line(GRID_A1, "书记", "郑明", phone="13904310013")])  # an unknown post: rejected
    rows.append(["合计", "", "", "", "", "", "", "", "", "1", "", "", "", "", ""])
    data = csv_bytes(rows, header=SEQ_HEADERS)

    plan = preview_sheet(street_a, data)
    download = rejected_rows_xlsx(RosterImporter(street_a), data, plan.summary()["rejected"])

    assert [r for r, *_ in rejected(plan)] == [2]
    from io import BytesIO

    from openpyxl import load_workbook

    sheet_rows = list(load_workbook(BytesIO(download)).active.iter_rows(values_only=True))
    assert len(sheet_rows) == 2  # the header and the one rejected row, no 合计 row filled down


# --- 11. one name for the feature everywhere ------------------------------------------------------


def test_the_import_and_the_roster_name_the_feature_alike(areas, street_a, client_for):
    client = client_for(street_a)

    roster = client.get(reverse("grids:roster", args=["220104001"])).content.decode()
    upload = client.get(reverse("core:import_new", args=["roster"])).content.decode()
    imports = client.get(reverse("core:import_list")).content.decode()

    for html in (roster, upload, imports):
        assert "人员名册" in html
        assert "网格人员" not in html and "花名册" not in html.replace("人员名册", "")


# --- 9. the grid head is chosen by the community ---------------------------------------------------


def test_a_grid_worker_cannot_replace_nor_relieve_the_own_grids_head(cast_roster, grid_a1, client_for):
    client = client_for(grid_a1)
    head = HeadAssignment.objects.get(person=cast_roster["张伟"], post="grid_head")

    form = client.get(reverse("grids:appoint", args=[GRID_A1])).content.decode()
    replaced = client.post(
        reverse("grids:appoint", args=[GRID_A1]), {"post": "grid_head", "name": "冒名", "phone": "13600000000"}
    )
    relieved = client.post(reverse("grids:relieve", args=[head.pk]))
    api = client.post(
        "/api/head-assignments/",
        {"area": GRID_A1, "post": "grid_head", "name": "冒名", "phone_number": "13600000000"},
        content_type="application/json",
    )

    assert 'value="grid_head"' not in form and 'value="grid_worker"' in form
    assert replaced.status_code == 200 and relieved.status_code == 404 and api.status_code == 400
    assert "网格长由社区任免" in api.content.decode()
    head.refresh_from_db()
    assert head.end_date is None
    assert not HeadAssignment.objects.filter(person__name="冒名").exists()


def test_a_grid_worker_still_keeps_the_rest_of_the_own_grid(cast_roster, grid_a1, client_for):
    response = client_for(grid_a1).post(
        reverse("grids:appoint", args=[GRID_A1]), {"post": "grid_worker", "name": "新网格员", "phone": "13600000001"}
    )

    assert response.status_code == 302
    assert HeadAssignment.objects.filter(person__name="新网格员", area__code=GRID_A1).exists()


def test_a_grid_workers_sheet_cannot_replace_the_grid_head(cast_roster, grid_a1):
    sheet = csv_bytes([line(GRID_A1, "网格长", "冒名", phone="13600000000")])

    plan = preview_sheet(grid_a1, sheet)

    assert [(row, column) for row, column, _ in rejected(plan)] == [(2, "职务")]
    assert "网格长由社区任免" in rejected(plan)[0][2]


def test_the_community_still_replaces_the_grid_head(cast_roster, areas, client_for):
    community = make_user("shequ_a1", Role.COMMUNITY_CADRE, areas["220104001001"])

    response = client_for(community).post(
        reverse("grids:appoint", args=[GRID_A1]), {"post": "grid_head", "name": "新网格长", "phone": "13600000002"}
    )

    assert response.status_code == 302
    assert HeadAssignment.objects.current().get(area__code=GRID_A1, post="grid_head").person.name == "新网格长"


# --- 12. the default upload limit admits a real city's roster ---------------------------------------


def test_a_sheet_of_21_megabytes_is_not_refused_for_its_size(areas, street_a):
    import io
    import os
    import zipfile

    from .sheets import xlsx_bytes

    buffer = io.BytesIO(xlsx_bytes([line(GRID_A1, "网格长", "张伟", phone="13904310001")]))
    with zipfile.ZipFile(buffer, "a") as archive:  # a picture in the workbook: the file passes 21 MB
        archive.writestr("xl/media/image1.png", os.urandom(22 * 1024 * 1024), compress_type=zipfile.ZIP_STORED)
    data = buffer.getvalue()
    assert len(data) > 21 * 1024 * 1024

    plan = preview_sheet(street_a, data)

    assert plan.summary()["new"] == 1


# --- 13. a bulk write leaves statistics behind ----------------------------------------------------------


def test_a_bulk_import_analyses_the_tables_it_wrote_before_it_commits(areas, street_a, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.ANALYZE_AFTER_ROWS = 3
    rows = [line(GRID_A1, "网格员", f"网格员{n}", phone=f"1360000{n:04d}") for n in range(4)]

    with CaptureQueriesContext(connection) as queries:
        import_sheet(street_a, csv_bytes(rows))

    analysed = [q["sql"] for q in queries if q["sql"].startswith("ANALYZE")]
    assert analysed == ["ANALYZE grids_person, grids_headassignment"]


# --- 3 and 4. rejections grouped by reason; nothing to import, nothing to confirm ------------------


def upload_roster(client, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.models import ImportJob

    client.post(reverse("core:import_new", args=["roster"]), {"file": SimpleUploadedFile("名册.csv", data)})
    return ImportJob.objects.order_by("-pk").first()


def test_many_rows_of_one_error_are_one_line_above_the_real_mistakes(areas, street_a, client_for):
    client = client_for(street_a)
    unknown = [line("220104001001009", "网格员", f"网格员{n}", phone=f"1360000{n:04d}") for n in range(40)]
    mistakes = [line(GRID_A1, "书记", "郑明", phone="13904310013")]

    job = upload_roster(client, csv_bytes([*unknown, *mistakes]))
    html = client.get(job.get_absolute_url()).content.decode()

    groups = html[html.index("rejection-groups") : html.index("rejected-details")]
    assert groups.count("list-group-item") == 2
    assert "40 行" in groups and "1 行" in groups
    assert groups.index("40 行") < groups.index("1 行")
    assert "如第 2、3、4、5、6 行 等" in groups


def test_a_file_with_no_valid_row_offers_no_confirmation(areas, street_a, client_for):
    client = client_for(street_a)

    job = upload_roster(client, csv_bytes([line(GRID_A1, "书记", "郑明", phone="13904310013")]))
    html = client.get(job.get_absolute_url()).content.decode()
    client.post(reverse("core:import_confirm", args=[job.pk]), {"skip_invalid": "1"})

    assert "没有可以导入的数据" in html and "确认导入" not in html
    job.refresh_from_db()
    assert job.status == "previewed"


def test_a_sheet_of_another_street_gets_one_message_naming_where_it_belongs(areas, street_a, client_for):
    client = client_for(street_a)
    rows = [
        line("220104002001001", "网格员", f"网格员{n}", phone=f"1360000{n:04d}", street="桂林街道") for n in range(30)
    ]

    job = upload_roster(client, csv_bytes(rows))
    html = client.get(job.get_absolute_url()).content.decode()

    assert job.summary["message"] == "此表属于桂林街道第1网格，不在您的管辖范围内，请确认上传的文件。"
    assert html.count("此表属于") == 1


# --- 10. vacancies read as paths and link to where they can be filled ------------------------------------


def test_a_vacancy_reads_as_a_path_and_links_for_the_org_department(cast_roster, city_org, client_for):
    html = client_for(city_org).get(reverse("grids:coverage", args=["2201"]), {"level": "grid"}).content.decode()

    gaps = html[html.index('class="list-group list-group-flush gaps"') :]
    assert "A1社区 › 第2网格" in gaps  # grid A2's head was relieved: a vacancy
    assert reverse("grids:roster", args=["220104001001002"]) in gaps
    assert reverse("grids:appoint", args=["220104001001002"]) not in gaps  # the city cannot appoint


def test_a_district_without_grids_says_so(areas, city_org, client_for):
    from orgs.models import Area

    Area(code="220105", name="二道区", level="district", parent=areas["2201"]).save()

    html = client_for(city_org).get(reverse("grids:coverage", args=["220105"])).content.decode()

    assert "尚无网格" in html and "没有空缺" not in html


# --- 8. a level agrees with its code's width ----------------------------------------------------------


def test_a_unit_with_a_grid_length_code_is_refused_everywhere(areas, street_a, client_for):
    from core.importing import preview
    from orgs.importers import AreaImporter

    from .sheets import csv_bytes as sheet

    client = client_for(street_a)
    page = client.post(
        reverse("orgs:area_create", args=["220104001001"]),
        {"code": "220104001001009", "name": "9单元", "level": "unit"},
    )
    api = client.post(
        "/api/areas/",
        {"code": "220104001001009", "name": "9单元", "level": "unit", "parent": "220104001001"},
        content_type="application/json",
    )
    imported = preview(
        AreaImporter(street_a),
        sheet([["220104001001009", "9单元", "单元", "220104001001"]], header=["区划代码", "名称", "层级", "上级代码"]),
    ).summary()

    for text in (page.content.decode(), api.content.decode(), imported["rejected"][0]["reason"]):
        assert "“单元”一级的区划代码应为 20 位" in text
    assert not areas["220104001001"].children.filter(code="220104001001009").exists()


def test_a_unit_page_offers_no_child_to_create(areas, street_a, client_for):
    html = client_for(street_a).get(reverse("orgs:area_detail", args=["22010400100100100101"])).content.decode()
    create = client_for(street_a).get(reverse("orgs:area_create", args=["22010400100100100101"]))

    assert "新建下级区划" not in html
    assert create.status_code == 404


def test_the_widths_are_configurable_and_checked(monkeypatch):
    import pytest as _pytest
    from django.core.exceptions import ImproperlyConfigured

    from config.env import env_code_widths

    levels = ("city", "district", "street", "community", "grid", "building", "unit")
    monkeypatch.setenv("AREA_CODE_WIDTHS", "4,6,9,12,14,17,19")
    assert env_code_widths("AREA_CODE_WIDTHS", levels, "")["grid"] == 14
    monkeypatch.setenv("AREA_CODE_WIDTHS", "off")
    assert env_code_widths("AREA_CODE_WIDTHS", levels, "4") == {}
    monkeypatch.setenv("AREA_CODE_WIDTHS", "4,6,9")
    with _pytest.raises(ImproperlyConfigured):
        env_code_widths("AREA_CODE_WIDTHS", levels, "")


# --- 5. the preview says who is relieved, and which names disagree with the tree ---------------------


def test_the_preview_names_each_head_relieved_and_who_takes_over(cast_roster, street_a):
    sheet = csv_bytes(
        [line(GRID_A1, "网格长", "新网格长", phone="13600000002", grid_name="第1网格", community="A1社区")]
    )

    summary = preview_sheet(street_a, sheet).summary()

    assert summary["changed"] == 1
    assert [w["reason"] for w in summary["warnings"]] == ["张伟将离任网格长，由新网格长接任。"]


def test_the_preview_warns_of_a_grid_or_community_name_that_disagrees_with_the_code(cast_roster, street_a):
    sheet = csv_bytes(
        [line(GRID_A1, "网格员", "新网格员", phone="13600000003", grid_name="第2网格", community="A2社区")]
    )

    summary = preview_sheet(street_a, sheet).summary()

    assert summary["new"] == 1 and summary["rejected"] == []
    reasons = sorted(w["reason"] for w in summary["warnings"])
    assert reasons == [
        "社区“A2社区”与系统中网格 220104001001001 所属的“A1社区”不一致，将按网格编码导入。",
        "网格名称“第2网格”与系统中编码 220104001001001 的网格“第1网格”不一致，将按网格编码导入。",
    ]


# --- 7. a head appointed from a future date covers from that date ---------------------------------------


def test_a_future_appointment_is_scheduled_and_leaves_the_vacancy_until_then(areas, street_a, client_for):
    import datetime

    from grids import coverage

    future = datetime.date(2030, 1, 1)
    client = client_for(street_a)
    client.post(
        reverse("grids:appoint", args=["220104001001002"]),
        {"post": "grid_head", "name": "未来网格长", "phone": "13600000004", "start_date": future.isoformat()},
    )

    grid = areas["220104001001002"]
    assert HeadAssignment.objects.get(person__name="未来网格长").start_date == future
    assert coverage.coverage(grid).level("grid").covered == 0  # still vacant today
    assert grid in coverage.gaps(grid)
    roster = client.get(reverse("grids:roster", args=["220104001001002"])).content.decode()
    assert "待到任" in roster


def test_the_head_replaced_from_a_future_date_still_covers_until_then(cast_roster, street_a):
    import datetime

    from grids import coverage, roster
    from orgs.models import Area

    grid = Area.objects.get(code=GRID_A1)
    person = roster.find_or_create_person(name="接任者", phone="13600000005")
    roster.appoint(grid, "grid_head", person, start_date=datetime.date(2030, 1, 1))

    assert coverage.coverage(grid).level("grid").covered == 1  # 张伟 serves until 2030
    assert grid not in coverage.gaps(grid)


# --- 2. export → edit → re-import, for a user who sees numbers masked --------------------------------


def test_a_masked_number_that_is_not_the_one_on_record_is_rejected_clearly(cast_roster, street_a):
    sheet = csv_bytes([line(GRID_A1, "网格长", "张伟", phone="139****9999")])  # 张伟's phone ends in 5678

    plan = preview_sheet(street_a, sheet)

    [(row, column, reason)] = rejected(plan)
    assert (row, column) == (2, "联系电话")
    assert "隐藏了中间位的号码（139****9999）" in reason and "请填写完整号码" in reason


def test_the_everyday_loop_export_fix_three_rows_upload_shows_exactly_those_changes(cast_roster, areas, client_for):
    import io

    from openpyxl import load_workbook

    from core.models import ImportJob

    community = make_user("shequ_a1", Role.COMMUNITY_CADRE, areas["220104001001"])
    client = client_for(community)
    export = client.get(reverse("grids:roster", args=["220104001001"]), {"export": "xlsx"})
    workbook = load_workbook(io.BytesIO(export.content))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    name_at, phone_at = header.index("姓名"), header.index("联系电话")
    rows = list(sheet.iter_rows(min_row=2))
    by_name = {row[name_at].value: row for row in rows}
    by_name["陈静"][phone_at].value = "13700000001"  # two new phones
    by_name["王芳"][phone_at].value = "13700000002"
    head = by_name["张伟"]  # and a new grid head
    head[name_at].value, head[phone_at].value = "新网格长", "13700000003"
    head[header.index("身份证号")].value = ""
    buffer = io.BytesIO()
    workbook.save(buffer)

    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        reverse("core:import_new", args=["roster"]), {"file": SimpleUploadedFile("名册.xlsx", buffer.getvalue())}
    )
    job = ImportJob.objects.get(user=community)

    assert job.summary["rejected"] == []
    assert (job.summary["new"], job.summary["changed"]) == (0, 3)
    assert "张伟将离任网格长，由新网格长接任。" in [w["reason"] for w in job.summary["warnings"]]
    client.post(reverse("core:import_confirm", args=[job.pk]))
    roster = client.get(reverse("grids:roster", args=["220104001001"])).content.decode()
    assert "新网格长" in roster and "137****0001" in roster and "137****0002" in roster


# --- 6. a sheet that is the complete roster of its grids relieves whom it no longer lists ---------------


def test_a_complete_roster_relieves_the_unlisted_after_listing_them_first(cast_roster, street_a, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.models import ImportJob

    client = client_for(street_a)
    # Grid A1 holds 张伟 (head), 陈静 (worker), 王芳 (building 1) and 李娜 (unit 1); the sheet keeps
    # only 张伟 and 王芳.
    sheet = csv_bytes(
        [
            line(GRID_A1, "网格长", "张伟", phone="13912345678"),
            line(GRID_A1, "楼栋长", "王芳", phone="13900000002", building="1栋"),
        ]
    )

    client.post(
        reverse("core:import_new", args=["roster"]),
        {"file": SimpleUploadedFile("名册.csv", sheet), "complete": "on"},
    )
    job = ImportJob.objects.get(user=street_a)
    page = client.get(job.get_absolute_url()).content.decode()

    assert sorted(r["name"] for r in job.summary["relieved"]) == ["李娜", "陈静"]
    assert page.index("确认后将离任") < page.index("确认导入")
    client.post(reverse("core:import_confirm", args=[job.pk]))
    current = HeadAssignment.objects.current().filter(area__code__startswith=GRID_A1)
    assert sorted(current.values_list("person__name", flat=True)) == ["张伟", "王芳"]
    assert HeadAssignment.objects.get(person__name="陈静").end_date is not None


def test_without_the_option_nobody_is_relieved_by_leaving_them_out(cast_roster, street_a):
    sheet = csv_bytes([line(GRID_A1, "网格长", "张伟", phone="13912345678")])

    import_sheet(street_a, sheet)

    assert HeadAssignment.objects.current().filter(area__code__startswith=GRID_A1).count() == 4
