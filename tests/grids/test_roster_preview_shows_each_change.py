"""Issue 15, item 8: the import preview shows what confirming changes, row by row — whose phone
changes from what to what (masked), who is appointed where, who is relieved where — not only
counts; a city-size file keeps the first rows of each kind, counts the rest and offers the full
list as a download."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.models import ImportJob

from .sheets import GRID_A1, csv_bytes, line, make_id, preview_sheet


def upload(client, data, **options):
    response = client.post(
        reverse("core:import_new", args=["roster"]), {"file": SimpleUploadedFile("名册.csv", data), **options}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.latest("pk")
    return job, client.get(job.get_absolute_url()).content.decode()


def test_a_changed_phone_is_shown_masked_from_the_old_number_to_the_new(cast_roster, street_a, client_for):
    sheet = csv_bytes(
        [
            line(GRID_A1, "专职网格员", "陈静", phone="13700000001", status="共青团员"),
            line(GRID_A1, "楼栋长", "王芳", phone="13700000002", building="1栋", status="群众"),
            line(GRID_A1, "单元长", "李娜", phone="13900000003", building="1栋", unit="1", status="中共预备党员"),
        ]
    )

    job, page = upload(client_for(street_a), sheet)

    changed = job.summary["details"]["changed"]
    assert [(e["row"], e["who"], e["changes"]) for e in changed] == [
        (2, "陈静", [["联系电话", "139****0005", "137****0001"]]),
        (3, "王芳", [["联系电话", "139****0002", "137****0002"]]),
    ]
    assert changed[1]["what"] == [["职务", "楼栋长"], ["区划", "A1社区第1网格 · 1栋"]]
    assert job.summary["changed"] == 2 and job.summary["unchanged"] == 1  # the counts stay
    assert "139****0005" in page and "137****0001" in page
    assert "13700000001" not in page and "13900000005" not in page
    assert page.index("137****0001") < page.index("确认导入")


def test_a_replaced_head_shows_who_leaves_and_who_takes_over_where(cast_roster, street_a, client_for):
    sheet = csv_bytes([line(GRID_A1, "网格长", "新网格长", phone="13700000003")])

    job, page = upload(client_for(street_a), sheet)

    [entry] = job.summary["details"]["changed"]
    assert entry["who"] == "新网格长"
    assert entry["what"] == [["职务", "网格长"], ["区划", "A1社区第1网格"]]
    assert entry["changes"] == [["网格长", "张伟", "新网格长"]]
    assert "张伟" in page and "新网格长" in page


def test_a_new_post_names_its_holder_and_its_unit_with_the_building(cast_roster, street_a):
    sheet = csv_bytes([line(GRID_A1, "单元长", "周敏", phone="13700000004", building="1栋", unit="2")])

    summary = preview_sheet(street_a, sheet).summary()

    assert summary["new"] == 1
    assert summary["details"]["new"] == [
        {
            "row": 2,
            "who": "周敏",
            "what": [["职务", "单元长"], ["区划", "A1社区第1网格 · 1栋2单元"], ["联系电话", "137****0004"]],
            "changes": [],
        }
    ]


def test_an_unchanged_masked_number_is_no_change_and_a_hidden_difference_says_so(cast_roster, street_a):
    # 陈静 is on record with 13900000005: the export's mask means "as on record"; 王芳's new number
    # 13911110002 has the mask of her old 13900000002.
    sheet = csv_bytes(
        [
            line(GRID_A1, "专职网格员", "陈静", phone="139****0005", status="共青团员"),
            line(GRID_A1, "楼栋长", "王芳", phone="13911110002", building="1栋", status="群众"),
        ]
    )

    summary = preview_sheet(street_a, sheet).summary()

    assert [(e["who"], e["changes"]) for e in summary["details"]["changed"]] == [
        ("王芳", [["联系电话", "139****0002", "139****0002（中间几位不同）"]])
    ]
    assert summary["unchanged"] == 1


def test_a_changed_political_status_and_name_are_shown_in_words(cast_roster, street_a, id_number):
    sheet = csv_bytes([line(GRID_A1, "网格长", "张 伟强", phone="13912345678", id_number=id_number(1), status="群众")])

    [entry] = preview_sheet(street_a, sheet).summary()["details"]["changed"]

    # The fixture registered 张伟 without a gender: the ID number tells it, and that is a change too.
    assert entry["changes"] == [["姓名", "张伟", "张伟强"], ["性别", "", "男"], ["政治面貌", "中共党员", "群众"]]


def test_the_relieved_are_named_with_their_post_and_the_unit_with_its_building(cast_roster, street_a, client_for):
    sheet = csv_bytes([line(GRID_A1, "网格长", "张伟", phone="13912345678")])

    job, page = upload(client_for(street_a), sheet, complete="on")

    assert sorted((r["name"], r["post"], r["area"]) for r in job.summary["relieved"]) == [
        ("李娜", "单元长", "A1社区第1网格 · 1栋1单元"),
        ("王芳", "楼栋长", "A1社区第1网格 · 1栋"),
        ("陈静", "网格员", "A1社区第1网格"),
    ]
    assert "A1社区第1网格 · 1栋1单元" in page


def test_a_long_sheet_lists_the_first_hundred_counts_the_rest_and_downloads_them_all(areas, street_a, client_for):
    client = client_for(street_a)
    rows = [line(GRID_A1, "十联户长", f"户长{n:03d}", phone=f"137{n:08d}", id_number=make_id(n)) for n in range(130)]

    job, page = upload(client, csv_bytes(rows))

    assert job.summary["new"] == 130
    assert len(job.summary["details"]["new"]) == 100
    assert "还有 30 条未列出" in page
    download = client.get(reverse("core:import_changes", args=[job.pk]))
    lines = list(load_workbook(io.BytesIO(download.content)).active.iter_rows(values_only=True))
    assert lines[0][:4] == ("类别", "行号", "人员/对象", "说明")
    assert [line[2] for line in lines[1:]] == [f"户长{n:03d}" for n in range(130)]
    assert all("137****" in line[3] for line in lines[1:])


@pytest.mark.parametrize("status", ["done", "cancelled"])
def test_the_full_list_is_only_for_a_preview_awaiting_confirmation(areas, street_a, client_for, status):
    client = client_for(street_a)
    job, _page = upload(client, csv_bytes([line(GRID_A1, "十联户长", "户长", phone="13700000001")]))
    ImportJob.objects.filter(pk=job.pk).update(status=status)

    assert client.get(reverse("core:import_changes", args=[job.pk])).status_code == 404


def test_nobody_else_downloads_a_cadres_full_list(areas, street_a, street_b, client_for):
    job, _page = upload(client_for(street_a), csv_bytes([line(GRID_A1, "十联户长", "户长", phone="13700000001")]))

    assert client_for(street_b).get(reverse("core:import_changes", args=[job.pk])).status_code == 404
