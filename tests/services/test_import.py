"""The import of list items from the spreadsheets streets keep (django-import-export on the kit's
flow): rows go into the draft of the list their 区划代码 and 清单类型 name; a re-imported item of
the draft is updated; a row for a list without a draft or not the user's, an admission item neither
自治 nor 协助, a time limit that is not a number of days: refused with the row and its reason, the
rest imported."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.models import ImportJob
from services import lists as versions
from services.models import ListItem
from tests.grids.sheets import csv_bytes

from .conftest import COMMUNITY_A1, STREET_A

pytestmark = pytest.mark.django_db

HEADERS = [
    "区划代码",
    "清单类型",
    "序号",
    "事项名称",
    "事项类型",
    "法律依据",
    "责任主体",
    "办理流程",
    "办理时限",
    "所需材料",
]
SERVICE, ADMISSION, POWER = "公共服务事项清单", "社区工作事项准入清单", "街道权责清单"


def upload(client, rows):
    response = client.post(
        reverse("core:import_new", args=["list_items"]),
        {"file": SimpleUploadedFile("清单.csv", csv_bytes(rows, header=HEADERS), "text/csv")},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.filter(kind="list_items").latest("pk")


def rejected(job):
    return [(r["row"], r["column"], r["reason"]) for r in job.summary["rejected"]]


def test_the_template_has_the_sheets_headers(community_a1, client_for):
    response = client_for(community_a1).get(reverse("core:import_template", args=["list_items"]))

    assert list(next(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))) == HEADERS


def test_good_rows_go_into_the_draft_and_bad_ones_are_refused_with_their_reason(lists, community_a1, client_for):
    admission_draft = versions.draft_from(lists["admission"], community_a1)
    client = client_for(community_a1)
    rows = [
        [
            COMMUNITY_A1,
            SERVICE,
            "2",
            "居住证申领受理",
            "公共服务",
            "《居住证暂行条例》",
            "公安派出所",
            "受理 → 审核 → 发证",
            "15个工作日",
            "身份证",
        ],
        [COMMUNITY_A1, SERVICE, "1", "未发布的草稿事项", "公共服务", "", "社区居委会", "", "即办", ""],  # changed
        [COMMUNITY_A1, ADMISSION, "", "协助开展禁毒宣传", "协助事项", "", "公安派出所", "", "", ""],
        [COMMUNITY_A1, ADMISSION, "", "乱加的事项", "其他事项", "", "", "", "", ""],  # neither 自治 nor 协助
        [STREET_A, POWER, "", "越权事项", "", "", "", "", "", ""],  # the street's list, not the community's
        [COMMUNITY_A1, SERVICE, "", "时限不明事项", "公共服务", "", "", "", "很快", ""],
    ]

    job = upload(client, rows)

    assert (job.summary["new"], job.summary["changed"]) == (2, 1)
    reasons = {row: (column, reason) for row, column, reason in rejected(job)}
    assert set(reasons) == {5, 6, 7}
    assert "自治事项" in reasons[5][1]
    assert reasons[6][0] == "区划代码" and "不由您维护" in reasons[6][1]
    assert reasons[7][0] == "办理时限" and "工作日数" in reasons[7][1]

    client.post(reverse("core:import_confirm", args=[job.pk]), {"skip_invalid": "1"})
    job.refresh_from_db()
    assert job.status == "done", job.error
    service = ListItem.objects.get(version=lists["draft"], name="居住证申领受理")
    assert (service.order, service.time_limit, service.responsible) == (2, 15, "公安派出所")
    assert ListItem.objects.get(version=lists["draft"], name="未发布的草稿事项").time_limit == 0
    assert ListItem.objects.filter(version=admission_draft, name="协助开展禁毒宣传").exists()
    assert not ListItem.objects.filter(name__in=["乱加的事项", "越权事项", "时限不明事项"]).exists()
    assert lists["current"].items.count() == 2  # the published version untouched


def test_a_list_without_a_draft_takes_no_rows(lists, community_a1, client_for):
    job = upload(
        client_for(community_a1), [[COMMUNITY_A1, ADMISSION, "", "协助开展禁毒宣传", "协助事项", "", "", "", "", ""]]
    )

    [(row, column, reason)] = rejected(job)
    assert (row, column) == (2, "区划代码") and "没有草稿版本" in reason
