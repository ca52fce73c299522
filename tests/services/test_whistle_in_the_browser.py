"""Issue 19, the whistles' acceptance in headless Chromium: street A blows a whistle to two
departments; each department's user signs for it and closes it with evidence; the street verifies
and scores each; the district's department ranking shows the scores; a street-B cadre and a third
department's user get 404. Screenshots go to $SCREENSHOTS when set."""

import datetime

import pytest
from django.utils import timezone

from core.calendar import Quarter
from services.models_whistles import ResponseStatus, Whistle, WhistleResponse
from tests.grids.test_roster_loop_in_the_browser import log_in
from tests.property.test_evaluation_in_the_browser import shoot

from . import test_whistles
from .test_whistles import BUILDING_A, PDF

# The cast of test_whistles.py: 住建 and 城管执法 called, the district's 组织部.
called, zhujian, district_org = test_whistles.called, test_whistles.zhujian, test_whistles.district_org

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_whistle_answered_by_two_departments_scored_and_ranked(
    transactional_db,
    called,
    street_a,
    street_b,
    zhujian,
    chengguan,
    minzheng,
    district_org,
    live_server,
    browser,
    tmp_path,  # noqa: F811
):
    base = live_server.url
    photo = tmp_path / "现场照片.pdf"
    photo.write_bytes(PDF)
    deadline = timezone.localdate() + datetime.timedelta(days=7)

    # Street A blows the whistle to 住建 and 城管执法.
    street = log_in(browser, base, "street_a")
    street.goto(f"{base}/services/whistles/add/")
    street.get_by_label("地点").fill(BUILDING_A)
    street.get_by_label("吹哨类型").select_option(label="安全隐患")
    street.get_by_label("事项").fill("楼道堆放杂物堵塞消防通道")
    street.get_by_label("问题描述").fill("1栋楼道长期堆放杂物，消防通道不畅。")
    street.get_by_label("办结时限").fill(deadline.isoformat())
    street.get_by_label("朝阳区住房和城乡建设局").check()
    street.get_by_label("朝阳区城管执法局").check()
    shoot(street, "whistle-blow")
    street.get_by_role("button", name="保存").click()
    whistle = Whistle.objects.get(title="楼道堆放杂物堵塞消防通道")
    street.wait_for_url(f"{base}{whistle.get_absolute_url()}")
    assert whistle.responses.count() == 2

    # Each department signs for it and closes it with evidence.
    for username, department in (("zhujian", called["zhujian"]), ("chengguan", called["chengguan"])):
        response = WhistleResponse.objects.get(whistle=whistle, department=department)
        page = log_in(browser, base, username)
        page.goto(f"{base}{response.get_absolute_url()}")
        page.get_by_role("link", name="报到", exact=True).click()
        page.get_by_role("button", name="确认报到").click()
        page.wait_for_url(f"{base}{response.get_absolute_url()}")
        page.get_by_role("link", name="办结", exact=True).click()
        page.get_by_label("处置情况").fill("已清理楼道杂物，恢复消防通道。")
        page.locator("input[type=file]").set_input_files(str(photo))
        shoot(page, f"whistle-close-{username}")
        page.get_by_role("button", name="确认办结").click()
        page.wait_for_url(f"{base}{response.get_absolute_url()}")
        response.refresh_from_db()
        assert (response.status, response.evidence_name) == (ResponseStatus.CLOSED, "现场照片.pdf")

    # The street verifies and scores each: 住建 well, 城管 poorly.
    for department, quality, satisfaction in ((called["zhujian"], "5", "5"), (called["chengguan"], "2", "1")):
        response = WhistleResponse.objects.get(whistle=whistle, department=department)
        street.goto(f"{base}{response.get_absolute_url()}")
        street.get_by_role("link", name="核验评分", exact=True).click()
        street.get_by_label("办理质量").select_option(quality)
        street.get_by_label("满意度").select_option(satisfaction)
        street.get_by_role("button", name="确认核验评分").click()
        street.wait_for_url(f"{base}{response.get_absolute_url()}")
    scores = dict(WhistleResponse.objects.values_list("department__name", "score"))
    assert scores == {"朝阳区住房和城乡建设局": 100, "朝阳区城管执法局": 20 + 16 + 8}

    # The district's 组织部 sees the ranking with the scores.
    district = log_in(browser, base, "district_org")
    district.goto(f"{base}/services/whistle-ranking/?period={Quarter.of(deadline).key}")
    ranking = district.locator("main").inner_text()
    shoot(district, "whistle-ranking")
    assert "朝阳区住房和城乡建设局" in ranking and "100.0" in ranking and "44.0" in ranking
    assert ranking.index("朝阳区住房和城乡建设局") < ranking.index("朝阳区城管执法局")

    # Street B and a third department find nothing of it.
    for outsider in ("street_b", "minzheng"):
        page = log_in(browser, base, outsider)
        assert page.goto(f"{base}{whistle.get_absolute_url()}").status == 404
        assert page.goto(f"{base}{whistle.responses.first().get_absolute_url()}").status == 404
