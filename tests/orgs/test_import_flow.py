"""The browser import flow for the area tree: upload → preview with per-row errors → confirm →
background job (eager in tests) → report; all-or-nothing unless the user skips bad rows."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.models import ImportJob
from orgs import tree
from orgs.models import Area

HEADER = ["区划代码", "名称", "层级", "上级代码"]
VALID_ROWS = [
    ["220104002002", "B2社区", "社区", "220104002"],
    ["220104002002001", "B2第1网格", "网格", "220104002002"],
]
BAD_ROW = ["220105001", "某街道", "街道", "220105"]  # its parent exists nowhere
NEW_URL = reverse("core:import_new", kwargs={"kind": "areas"})


def xlsx_upload(rows, name="区划.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def upload(client, rows):
    """Upload a file; returns the job it created."""
    response = client.post(NEW_URL, {"file": xlsx_upload(rows)})
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.latest("pk")
    assert response.url == job.get_absolute_url()
    return job


def confirm(client, job, **data):
    return client.post(reverse("core:import_confirm", kwargs={"pk": job.pk}), data, follow=True)


def counts(html):
    return {key: int(n) for key, n in re.findall(r'data-count="(\w+)">(\d+)<', html)}


def area_codes():
    return set(Area.objects.values_list("code", flat=True))


@pytest.fixture
def city_client(city_org, client_for):
    return client_for(city_org)


def test_the_upload_page_opens_for_the_city_org_department(city_client):
    response = city_client.get(NEW_URL)

    assert response.status_code == 200
    assert "上传并预检" in response.content.decode()


def test_the_preview_lists_the_rejected_row_with_its_excel_row_number_and_reason(city_client):
    job = upload(city_client, [*VALID_ROWS, BAD_ROW])

    html = city_client.get(job.get_absolute_url()).content.decode()

    assert job.status == "previewed"
    assert counts(html) == {"rows": 3, "new": 2, "changed": 0, "unchanged": 0, "skipped": 0, "rejected": 1}
    assert "<td>4</td><td>上级代码</td><td>上级代码 220105 在系统和本文件中都不存在。</td>" in html
    assert "仅导入有效行" in html


def test_confirming_a_file_with_bad_rows_without_skipping_them_is_refused(city_client):
    before = area_codes()
    job = upload(city_client, [*VALID_ROWS, BAD_ROW])

    response = confirm(city_client, job)

    assert "有未通过校验的行：请修改后重新上传，或勾选“仅导入有效行”。" in response.content.decode()
    job.refresh_from_db()
    assert job.status == "previewed"
    assert area_codes() == before


def test_confirming_with_skip_invalid_imports_the_valid_rows_and_shows_the_report(city_client):
    before = area_codes()
    job = upload(city_client, [*VALID_ROWS, BAD_ROW])

    response = confirm(city_client, job, skip_invalid="1")

    job.refresh_from_db()
    assert job.status == "done", job.error
    assert job.report["new"] == 2
    assert area_codes() == before | {"220104002002", "220104002002001"}
    assert tree.check().ok
    html = response.content.decode()
    assert "已完成" in html
    assert "导入完成：新增 2 条，修改 0 条。" in html
    assert counts(html)["rejected"] == 1
    assert "上级代码 220105 在系统和本文件中都不存在。" in html
    assert job.progress_done == job.progress_total == 2


def test_the_rejected_rows_download_adds_an_error_column(city_client):
    job = upload(city_client, [*VALID_ROWS, BAD_ROW])

    response = city_client.get(reverse("core:import_rejected", kwargs={"pk": job.pk}))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == tuple(HEADER)
    assert rows[0][-1] == "错误原因"
    assert len(rows) == 2
    assert rows[1][:4] == tuple(BAD_ROW)
    assert 4 in rows[1]  # the original row number
    assert "上级代码 220105 在系统和本文件中都不存在" in rows[1][-1]


def test_a_file_that_is_not_a_spreadsheet_shows_a_form_error_and_creates_no_job(city_client):
    png = SimpleUploadedFile("照片.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100))

    response = city_client.post(NEW_URL, {"file": png})

    assert response.status_code == 200
    assert "无法识别的文件格式" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_empty_upload_shows_a_form_error(city_client):
    response = city_client.post(NEW_URL, {"file": SimpleUploadedFile("空.csv", b"")})

    assert response.status_code == 200
    assert "提交的是空文件。" in response.content.decode()  # Django's own check, in Chinese
    assert not ImportJob.objects.exists()


def test_uploading_the_same_file_twice_finds_everything_unchanged_the_second_time(city_client):
    first = upload(city_client, VALID_ROWS)
    confirm(city_client, first)
    first.refresh_from_db()
    assert first.status == "done", first.error

    second = upload(city_client, VALID_ROWS)

    assert (second.summary["new"], second.summary["changed"], second.summary["unchanged"]) == (0, 0, 2)
    page = city_client.get(second.get_absolute_url()).content.decode()
    assert "没有可以导入的数据" in page and "确认导入" not in page  # nothing to import: no confirm button
    confirm(city_client, second)
    second.refresh_from_db()
    assert second.status == "previewed" and not second.dispatched  # a confirm posted anyway changes nothing


def test_another_user_cannot_see_or_act_on_the_job(city_client, street_b, client_for):
    job = upload(city_client, [*VALID_ROWS, BAD_ROW])
    outsider = client_for(street_b)

    assert outsider.get(job.get_absolute_url()).status_code == 404
    assert outsider.get(reverse("core:import_rejected", kwargs={"pk": job.pk})).status_code == 404
    assert outsider.get(reverse("core:import_progress", kwargs={"pk": job.pk})).status_code == 404
    assert (
        outsider.post(reverse("core:import_confirm", kwargs={"pk": job.pk}), {"skip_invalid": "1"}).status_code == 404
    )
    job.refresh_from_db()
    assert job.status == "previewed"


def test_rows_outside_the_uploaders_scope_are_rejected_row_by_row(street_a, client_for):
    client = client_for(street_a)
    rows = [
        ["220104001003", "A3社区", "社区", "220104001"],
        ["220104002002", "B2社区", "社区", "220104002"],
    ]

    job = upload(client, rows)

    assert job.summary["new"] == 1
    assert job.summary["rejected"] == [
        {"row": 3, "column": "区划代码", "reason": "区划 220104002002 不在您可管理的范围内。"}
    ]
    html = client.get(job.get_absolute_url()).content.decode()
    assert "区划 220104002002 不在您可管理的范围内。" in html
    confirm(client, job, skip_invalid="1")
    assert Area.objects.filter(code="220104001003").exists()
    assert not Area.objects.filter(code="220104002002").exists()


def test_anonymous_users_are_sent_to_the_login_page(client, areas):
    response = client.get(NEW_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_file_over_the_size_limit_shows_a_form_error(city_client, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024

    big = SimpleUploadedFile("大.csv", b"x" * (1024 * 1024 + 1))
    response = city_client.post(NEW_URL, {"file": big})

    assert response.status_code == 200
    assert "文件大小超过上限 1 MB" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_confirmed_import_is_validated_again_and_fails_whole_when_the_tree_changed(city_client, areas):
    job = upload(city_client, VALID_ROWS)
    assert not job.summary["rejected"]
    Area.objects.get(code="220104002").delete()  # the parent goes away before the confirmation

    response = confirm(city_client, job)

    job.refresh_from_db()
    assert job.status == "failed"
    assert "未写入任何数据" in job.error
    assert [r["row"] for r in job.report["rejected"]] == [2, 3]
    html = response.content.decode()
    assert "失败" in html
    assert "上级代码 220104002 在系统和本文件中都不存在。" in html
    assert not Area.objects.filter(code__startswith="220104002").exists()
    assert tree.check().ok


def test_a_job_cannot_be_confirmed_twice(city_client):
    job = upload(city_client, VALID_ROWS)
    confirm(city_client, job)

    response = city_client.post(reverse("core:import_confirm", kwargs={"pk": job.pk}))

    assert response.status_code == 404
    job.refresh_from_db()
    assert job.status == "done"


def test_the_progress_poll_asks_the_page_to_refresh_once_the_job_has_ended(city_client):
    job = upload(city_client, VALID_ROWS)
    progress = reverse("core:import_progress", kwargs={"pk": job.pk})
    assert city_client.get(progress, headers={"HX-Request": "true"}).status_code == 200
    confirm(city_client, job)

    response = city_client.get(progress, headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert response["HX-Refresh"] == "true"
