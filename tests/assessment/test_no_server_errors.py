"""The assessment's part of "Six 500s" (issue 15, 16): an evidence file named with a hundred Chinese
characters is kept under its name; an indicator-set editor posted with one row too many answers a
form error and saves nothing. (A period ending 9999-12-31: tests/assessment/test_periods.py.)"""

import datetime

import pytest
from django.urls import reverse

from assessment import approvals
from assessment.models import Evidence, Indicator, Period
from assessment.set_views import copy_set
from orgs.choices import Role
from tests.conftest import make_user

TODAY = datetime.date.today()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_an_evidence_file_named_with_a_hundred_chinese_characters_is_kept_under_its_name(
    areas, client_for, default_set
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    period = Period.objects.create(kind="quarter", start=TODAY.replace(day=1), end=TODAY, indicator_set=default_set)
    cadre = make_user("community_a1", Role.COMMUNITY_CADRE, areas["220104001001"])
    leaf = approvals.entered_leaves(period, "community")[0]
    name = "社区党群服务中心会议记录" * 9 + "第一季度.png"  # 103 characters, 307 bytes
    client = client_for(cadre)

    response = client.post(
        reverse("assessment:entry_edit", args=["220104001001", leaf.pk]) + f"?period={period.pk}",
        {"period": period.pk, "numerator": 3, "denominator": 5, "note": "", "evidence": SimpleUploadedFile(name, PNG)},
    )

    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.name == name
    download = client.get(reverse("assessment:evidence", args=[evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG


def test_the_set_editor_with_one_row_too_many_answers_a_form_error_and_saves_nothing(
    areas, city_org, client_for, default_set
):
    editable = copy_set(default_set, "2027年指标")
    client = client_for(city_org)
    url = reverse("assessment:set_edit", args=[editable.pk])
    leaves = list(
        Indicator.objects.filter(indicator_set=editable)
        .exclude(levels=[])
        .order_by("parent__parent__order", "parent__order", "order", "pk")
    )
    data = {
        "set-name": editable.name,
        "set-aggregation": "mean",
        "set-last_places": 1,
        "set-last_share": "0",
        "leaf-TOTAL_FORMS": len(leaves) + 1,
        "leaf-INITIAL_FORMS": len(leaves),
        "leaf-MIN_NUM_FORMS": 0,
        "leaf-MAX_NUM_FORMS": 1000,
    }
    for n, leaf in enumerate([*leaves, None]):
        data.update(
            {
                f"leaf-{n}-id": leaf.pk if leaf else "",
                f"leaf-{n}-weight": "5",
                f"leaf-{n}-rule": "linear",
                f"leaf-{n}-floor": "0",
                f"leaf-{n}-target": "1",
                f"leaf-{n}-thresholds": "",
            }
        )
    count = Indicator.objects.count()

    response = client.post(url, data)

    assert response.status_code == 200
    assert "提交的指标行数与本指标体系不符" in response.content.decode()
    assert Indicator.objects.count() == count
    assert not Indicator.objects.filter(indicator_set=editable, weight=5).exists()
    assert client.get(reverse("assessment:set_detail", args=[editable.pk])).status_code == 200
