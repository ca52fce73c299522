"""Score sheets imported on the kit's flow (upload → preview → confirm): each row a sheet, refused
with the same Chinese reasons as the form and the API — a score out of its item's range, a second
sheet by the same scorer (in the database or twice in the file), an evaluation of another
community — and nothing of the refused rows saved."""

from decimal import Decimal

import pytest
from django.urls import reverse

from property import evaluation as rules
from property.models import PropertyEvaluation, ScoreSheet

from .test_evaluation import YEAR, restore_default_scheme
from .test_imports import rejected, upload

HEADERS = ["评价编号", "评分主体", "评分人", "党建引领", "服务质量", "设施维护", "环境卫生", "安全管理", "业主满意度"]
FULL = ["15", "25", "15", "15", "15", "15"]


@pytest.fixture
def evaluation(estate):
    return PropertyEvaluation.objects.create(
        company=estate["company"], compound=estate["compound"], year=YEAR, scheme=restore_default_scheme()
    )


def test_the_template_has_the_schemes_items(evaluation, community_a1, client_for):
    from io import BytesIO

    from openpyxl import load_workbook

    response = client_for(community_a1).get(reverse("core:import_template", args=["score_sheets"]))
    assert list(next(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))) == HEADERS


def test_good_rows_are_entered_and_bad_ones_refused_with_their_reasons(evaluation, estate, community_a1, client_for):
    rules.enter_sheet(evaluation, "party", {name: "10" for name in HEADERS[3:]}, community_a1)
    rows = [
        [evaluation.pk, "业主委员会", "业委会主任", *FULL],  # good
        [evaluation.pk, "业主委员会", "", *FULL],  # the same scorer again in the file
        [evaluation.pk, "社区党组织", "", *FULL],  # already in the database
        [evaluation.pk, "业主代表", "", "16", "25", "15", "15", "15", "15"],  # out of range
        [999999, "业主代表", "", *FULL],  # not found
    ]
    client = client_for(community_a1)

    job = upload(client, "score_sheets", HEADERS, rows)

    assert job.summary["new"] == 1
    assert rejected(job) == [
        (3, "评分主体", "与第 2 行是同一评价的同一评分主体，每类评分主体只能提交一份。"),
        (4, "评分主体", "该评价已有社区党组织的评分表，每类评分主体只能提交一份。"),
        (5, "党建引领", "“党建引领”的得分须在 0 至 15 分之间，填写的是 16。"),
        (6, "评价编号", "评价编号“999999”不存在或不在您的管辖范围内。"),
    ]
    client.post(reverse("core:import_confirm", args=[job.pk]), {"skip_invalid": "1"})
    job.refresh_from_db()
    assert job.status == "done", job.error
    assert sorted(ScoreSheet.objects.values_list("kind", "total")) == [
        ("committee", Decimal(100)),
        ("party", Decimal(60)),
    ]


def test_another_communitys_evaluation_is_not_found(evaluation, areas, client_for):
    from orgs.choices import Role
    from tests.conftest import make_user

    b1 = make_user("community_b1", Role.COMMUNITY_CADRE, areas["220104002001"])
    job = upload(client_for(b1), "score_sheets", HEADERS, [[evaluation.pk, "业主代表", "", *FULL]])

    assert [reason for _row, _column, reason in rejected(job)] == [
        f"评价编号“{evaluation.pk}”不存在或不在您的管辖范围内。"
    ]
    assert not ScoreSheet.objects.exists()
