"""Issue 15, item 3: a breakdown's 查看差距 shows the gaps as of the period it explains — the vacant
grids on the period's last day (from the posts' start and end dates), the meeting schedule of the
period's quarter — or says plainly that it shows today's."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse

from assessment.models import Indicator, Period, Value
from assessment.rollup import rollup
from grids.choices import Post
from tests.grids.conftest import holder  # noqa: F401  (fixture)

Q2 = (datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))
A1 = "220104001001"


@pytest.fixture
def q2(areas, default_set, holder):  # noqa: F811
    """2025's second quarter, rolled up: A1社区's 第1网格 had its 网格长 then; 第2网格 had none until
    September, and has one today."""
    holder("220104001001001", Post.GRID_HEAD, "张三")
    holder("220104001001002", Post.GRID_HEAD, "李四", start_date=datetime.date(2025, 9, 1))
    period = Period.objects.create(kind="quarter", start=Q2[0], end=Q2[1], indicator_set=default_set)
    rollup(period)
    return period


def gap_links(client, code, period):
    page = client.get(reverse("assessment:breakdown", args=[code]) + f"?period={period.pk}").content.decode()
    return [
        (re.sub(r"<[^>]+>", "", unescape(text)).strip(), unescape(href))
        for href, text in re.findall(r'<a class="ms-2 link-danger" href="([^"]+)">(.*?)</a>', page, re.S)
    ], page


def test_the_grid_heads_gap_link_opens_the_vacancies_of_the_periods_last_day(q2, city_org, client_for):
    client = client_for(city_org)
    value = Value.objects.get(period=q2, area__code=A1, indicator__source="grids.grid_head_coverage")
    assert (value.numerator, value.denominator) == (1, 2)

    links, _page = gap_links(client, A1, q2)
    [link] = [href for text, href in links if text == "查看差距（截至 2025-06-30）" and "level=grid" in href]
    assert "on=2025-06-30" in link
    then = client.get(link).content.decode()
    gaps_then = then[then.index('id="gaps"') :]

    assert "第2网格" in gaps_then
    assert "截至 2025-06-30" in then
    today = client.get(reverse("grids:coverage", args=[A1]) + "?level=grid").content.decode()
    assert "第2网格" not in today[today.index('id="gaps"') :]  # filled since


def test_the_coverage_page_counts_as_of_the_day_asked(q2, city_org, client_for):
    client = client_for(city_org)
    then = client.get(reverse("grids:coverage", args=["220104001"]) + "?on=2025-06-30").content.decode()
    now = client.get(reverse("grids:coverage", args=["220104001"])).content.decode()

    grid_then = re.search(r'data-level="grid">([^<]*)</div>\s*<div class="small">([^<]*)<', then).groups()
    grid_now = re.search(r'data-level="grid">([^<]*)</div>\s*<div class="small">([^<]*)<', now).groups()
    assert grid_then[1].replace(" ", "") == "1/2"
    assert grid_now[1].replace(" ", "") == "2/2"
    assert client.get(reverse("grids:coverage", args=["220104001"]) + "?on=2025-13-01").status_code == 404


def test_the_meetings_gap_link_opens_the_schedule_of_the_periods_quarter(areas, default_set, city_org, client_for):
    q4 = Period.objects.create(
        kind="quarter", start=datetime.date(2025, 10, 1), end=datetime.date(2025, 12, 31), indicator_set=default_set
    )
    leaf = Indicator.objects.get(indicator_set=default_set, source="orgs.meetings_kept")
    Value.objects.create(
        period=q4, indicator=leaf, area=areas[A1], numerator=1, denominator=3, value="0.3333", points=0
    )

    links, _page = gap_links(client_for(city_org), A1, q4)

    link = dict(links)["查看差距（截至 2025-12-31）"]
    assert link == reverse("party:meeting_schedule", args=[A1]) + "?period=2025Q4"
    assert client_for(city_org).get(link).status_code == 200


def test_a_gap_link_that_can_only_show_today_says_so(areas, default_set, city_org, client_for):
    year = Period.objects.create(
        kind="year", start=datetime.date(2025, 1, 1), end=datetime.date(2025, 12, 31), indicator_set=default_set
    )
    for source in ("orgs.meetings_kept", "orgs.in_service_active"):  # a year is no quarter; service has no dates
        leaf = Indicator.objects.get(indicator_set=default_set, source=source)
        Value.objects.create(
            period=year, indicator=leaf, area=areas[A1], numerator=1, denominator=3, value="0.3333", points=0
        )

    links, page = gap_links(client_for(city_org), A1, year)

    assert [text for text, _href in links] == ["查看当前差距", "查看当前差距"]
    assert page.count("（显示今天的情况，不是本期期末的）") == 2


def test_a_running_periods_gap_link_is_dated_the_day_its_figure_counts_not_its_last_day(
    areas, default_set, holder, city_org, client_for  # noqa: F811
):
    """While a period runs its figures are counted today (a head 待到任 from tomorrow does not cover
    yet): the gaps link shows today's vacancies, dated today, not the period's future last day."""
    from django.utils import timezone

    from core.calendar import Quarter

    today = timezone.localdate()
    start, end = Quarter.of(today).start, Quarter.of(today).end
    holder("220104001001001", Post.GRID_HEAD, "张三")
    holder("220104001001002", Post.GRID_HEAD, "李四", start_date=today + datetime.timedelta(days=1))  # 待到任
    period = Period.objects.create(kind="quarter", start=start, end=end, indicator_set=default_set)
    rollup(period)
    client = client_for(city_org)

    links, _page = gap_links(client, A1, period)

    [link] = [href for text, href in links if text == f"查看差距（截至 {today:%Y-%m-%d}）" and "level=grid" in href]
    assert f"on={today:%Y-%m-%d}" in link
    page = client.get(link).content.decode()
    assert "第2网格" in page[page.index('id="gaps"') :]  # its head starts tomorrow: a gap today, as scored


def test_an_assessment_page_opens_a_period_named_by_its_calendar_key(areas, default_set, city_org, client_for):
    q4 = Period.objects.create(
        kind="quarter", start=datetime.date(2025, 10, 1), end=datetime.date(2025, 12, 31), indicator_set=default_set
    )
    rollup(q4)
    client = client_for(city_org)

    by_key = client.get(reverse("assessment:dashboard", args=["2201"]), {"period": "2025Q4"})
    by_number = client.get(reverse("assessment:dashboard", args=["2201"]), {"period": q4.pk})

    assert by_key.status_code == by_number.status_code == 200
    assert by_key.context["period"] == by_number.context["period"] == q4
    assert client.get(reverse("assessment:dashboard", args=["2201"]), {"period": "2025Q3"}).status_code == 404
    assert client.get(reverse("assessment:dashboard", args=["2201"]), {"period": "2025H2"}).status_code == 404
