"""The workers' sheet a street keeps, on the kit's import flow: Chinese headers and labels (岗位
其他社区工作者, 岗位类别 委员, 兼职 是), a re-import updating the worker its community and ID number
name; refused with the row and a Chinese reason — a grade outside the ladder, a full-time worker
already in post in another community, a bad ID number, a community outside the user's scope."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.identity import with_check_character
from core.models import ImportJob
from tests.grids.sheets import csv_bytes
from workforce.models_workers import Worker

from .workers_cast import A1, A2, B1, NEW_ID, SECRETARY_ID, community_a1_fixture, workers_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
HEADER = ["社区代码", "姓名", "性别", "身份证号", "联系电话", "岗位", "岗位类别", "等级", "入职日期", "兼职"]
OTHER_ID = with_check_character("22010419970707567")


def upload(client, rows):
    response = client.post(
        reverse("core:import_new", args=["workforce_workers"]),
        {"file": SimpleUploadedFile("社区工作者.csv", csv_bytes(rows, header=HEADER), "text/csv")},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.filter(kind="workforce_workers").latest("pk")


def test_a_street_imports_its_workers_and_bad_rows_are_told(workers, street_a, client_for):
    client = client_for(street_a)
    rows = [
        [A2, "新社工", "女", NEW_ID, "13900005555", "其他社区工作者", "委员", "2", "2024-01-01", "否"],
        [A1, "王书记", "男", SECRETARY_ID, "13900001234", "社区党组织书记", "正职", "13", "2010-05-01", "否"],
        [A2, "超级", "男", OTHER_ID, "13900006666", "其他社区工作者", "委员", "16", "2024-01-01", "否"],
        [A2, "王书记", "男", SECRETARY_ID, "13900001234", "两委成员", "副职", "6", "2024-01-01", "否"],
        [A2, "王书记", "男", SECRETARY_ID, "13900001234", "两委成员", "副职", "6", "2024-01-01", "是"],
        [A2, "错号", "男", "220104199707075670", "13900007777", "其他社区工作者", "委员", "2", "2024-01-01", "否"],
        [B1, "外街道", "男", OTHER_ID, "13900008888", "其他社区工作者", "委员", "2", "2024-01-01", "否"],
    ]

    job = upload(client, rows)

    reasons = {r["row"]: r["reason"] for r in job.summary["rejected"]}
    assert set(reasons) == {4, 5, 7, 8}, reasons
    assert "等级 16 不在本市三岗十八级的委员岗范围内" in reasons[4]
    assert "已是A1社区的在职社区工作者；同时在两个社区任职须标为兼职" in reasons[5]
    assert "校验位不正确" in reasons[7]
    assert "不在您的管辖范围内" in reasons[8] or "不存在" in reasons[8]
    assert (job.summary["new"], job.summary["changed"]) == (2, 1)

    client.post(reverse("core:import_confirm", args=[job.pk]), {"skip_invalid": "1"})
    job.refresh_from_db()
    assert job.status == "done", job.error
    assert Worker.objects.get(id_number=NEW_ID).category == "member"
    secretary = Worker.objects.get(id_number=SECRETARY_ID, area__code=A1)
    assert secretary.grade == 13
    step = secretary.changes.get()  # the sheet's new grade is a step of the history, dated the import's day
    assert (step.kind, step.grade_before, step.grade, step.changed_on) == ("promotion", 12, 13, timezone.localdate())
    assert Worker.objects.get(id_number=SECRETARY_ID, area__code=A2).part_time is True
    assert not Worker.objects.filter(id_number=OTHER_ID).exists()
