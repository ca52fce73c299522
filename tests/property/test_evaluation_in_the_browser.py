"""Issue 18 (B1), acceptance in headless Chromium: a community cadre records an evaluation and the
three scorers' sheets and submits it; the street gives its opinion; 朝阳区's housing user sees the
company's grade in its ranking, opens the breakdown and exports the ranking; a street-B cadre gets
404 on all of it. Screenshots (desktop and phone) go to $SCREENSHOTS when it is set."""

import io
import os
from pathlib import Path

import openpyxl
import pytest

from property.models import PropertyEvaluation
from property.models_evaluation import EvaluationStatus
from tests.grids.test_roster_loop_in_the_browser import log_in

from .test_evaluation import restore_default_scheme

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHEETS = {"party": "14", "committee": "12", "owners": "13"}  # each item; the total follows the weights
PHONE = {"width": 390, "height": 844}


def shoot(page, name):
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_scored_submitted_reviewed_and_ranked(
    transactional_db, estate, community_a1, street_a, street_b, zhujian, live_server, browser
):
    restore_default_scheme()
    base = live_server.url
    company, compound = estate["company"], estate["compound"]

    # The community records the evaluation and its three sheets, then submits.
    community = log_in(browser, base, "community_a1")
    community.goto(f"{base}/property/evaluations/add/")
    community.get_by_label("小区").select_option(label=str(compound))
    community.get_by_label("物业企业").select_option(label=str(company))
    community.get_by_label("年度").fill("2026")
    community.get_by_role("button", name="保存").click()
    evaluation = PropertyEvaluation.objects.get()
    community.wait_for_url(f"{base}{evaluation.get_absolute_url()}")
    for kind, score in SHEETS.items():
        community.get_by_role("link", name="录入评分表").click()
        community.get_by_label("评分主体").select_option(kind)
        for field in community.locator("input[name^=item_]").all():
            field.fill(score)
        shoot(community, f"sheet-{kind}")
        community.get_by_role("button", name="保存").click()
        community.wait_for_url(f"{base}{evaluation.get_absolute_url()}")
    evaluation.refresh_from_db()
    assert evaluation.total is not None and evaluation.grade
    shoot(community, "evaluation-community")
    community.get_by_role("link", name="上报街道").click()
    community.get_by_role("button", name="确认上报街道").click()
    community.wait_for_url(f"{base}{evaluation.get_absolute_url()}")

    # The street gives its opinion.
    street = log_in(browser, base, "street_a")
    street.goto(f"{base}{evaluation.get_absolute_url()}")
    street.get_by_role("link", name="审核通过").click()
    street.get_by_label("街道审核意见").fill("评分规范，同意报住建部门。")
    street.get_by_role("button", name="确认审核通过").click()
    street.wait_for_url(f"{base}{evaluation.get_absolute_url()}")
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.REVIEWED

    # 住建 sees the grade in its ranking, opens the breakdown and exports the ranking.
    housing = log_in(browser, base, "zhujian")
    shoot(housing, "home-zhujian")
    housing.goto(f"{base}/property/ranking/?year=2026")
    row = housing.locator("tbody tr").first
    assert company.name in row.inner_text() and evaluation.grade in row.inner_text()
    shoot(housing, "ranking-desktop")
    with housing.expect_download() as download:
        housing.get_by_role("link", name="导出 Excel").click()
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert list(sheet.iter_rows(values_only=True))[1][1] == company.name
    housing.get_by_role("link", name=company.name).click()
    assert "评分规范" not in housing.content()  # the opinion is on the evaluation, not the breakdown
    assert "幸福家园" in housing.content() and "业主满意度" in housing.content()
    shoot(housing, "breakdown")
    housing.get_by_role("link", name="打印等级证明").click()
    shoot(housing, "grade-print")
    phone = browser.new_context(locale="zh-CN", viewport=PHONE, storage_state=housing.context.storage_state())
    small = phone.new_page()
    small.goto(f"{base}/property/ranking/?year=2026")
    shoot(small, "ranking-phone")
    small.goto(f"{base}{evaluation.get_absolute_url()}")
    assert "评分规范，同意报住建部门。" in small.content()
    shoot(small, "evaluation-phone")

    # A street-B cadre gets 404 on all of it.
    outsider = log_in(browser, base, "street_b")
    for path in (evaluation.get_absolute_url(), "/property/ranking/", f"/property/ranking/{company.pk}/"):
        assert outsider.goto(f"{base}{path}").status == 404
