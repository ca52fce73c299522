"""Issue 16 §4: one query word for a period. The assessment's pages and links name a period by its
calendar key (`?period=2026Q4`, `2026H1`, `2026`: core.calendar), as the party's pages do; links
and bookmarks made before, with the period's number (`?period=7`), still open their period. The
entry page's 上报 is the declared transition's button (templates/includes/transition_buttons.html),
as the approval rows' 验收 and 退回 are."""

import datetime
import re

import pytest
from django.urls import reverse

from assessment import approvals
from assessment.models import Approval, Period
from assessment.rollup import rollup
from core.calendar import Half, Quarter, Year
from tests.assessment.test_entry import enter_all

A1 = "220104001001"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def quarter(areas, default_set):
    """The running calendar quarter: the period the pages open by default."""
    span = Quarter.current()
    return Period.objects.create(kind="quarter", start=span.start, end=span.end, indicator_set=default_set)


@pytest.fixture
def leaves(quarter):
    return approvals.entered_leaves(quarter, "community")


@pytest.fixture
def year(areas, default_set):
    span = Year.current()
    return Period.objects.create(kind="year", start=span.start, end=span.end, indicator_set=default_set)


def period_values(page):
    """Every `period` a page names: in its links' queries, its period choices and its hidden fields."""
    return (
        re.findall(r"[?&]period=([^\"&#]+)", page)
        + re.findall(r'<option value="([^"]*)"', page)
        + re.findall(r'name="period" value="([^"]*)"', page)
    )


def test_a_period_is_named_by_its_calendar_key_or_by_its_number_when_its_dates_are_none(areas, default_set):
    def made(kind, start, end):
        return Period.objects.create(kind=kind, start=start, end=end, indicator_set=default_set)

    assert made("quarter", Quarter(2026, 3).start, Quarter(2026, 3).end).key == "2026Q3"
    assert made("half_year", Half(2026, 1).start, Half(2026, 1).end).key == "2026H1"
    assert made("year", Year(2025).start, Year(2025).end).key == "2025"
    odd = made("quarter", datetime.date(2024, 3, 5), datetime.date(2024, 4, 30))  # no calendar quarter
    assert odd.key == str(odd.pk)


def test_the_entry_pages_name_the_period_by_its_key(quarter, year, leaves, community_a1, client_for):
    client = client_for(community_a1)

    page = client.get(reverse("assessment:entry", args=[A1]), {"period": quarter.key}).content.decode()

    named = period_values(page)
    assert quarter.key in named and year.key in named  # the links, and the choice of periods
    assert set(named) == {quarter.key, year.key}  # never a period's number
    for leaf in leaves:
        assert f'{reverse("assessment:entry_edit", args=[A1, leaf.pk])}?period={quarter.key}"' in page
    form = client.get(reverse("assessment:entry_edit", args=[A1, leaves[0].pk]), {"period": quarter.key})
    assert set(period_values(form.content.decode())) == {quarter.key}  # its hidden field and 返回


def test_the_dashboard_the_breakdown_and_the_home_card_name_the_period_by_its_key(quarter, city_org, client_for):
    rollup(quarter)
    client = client_for(city_org)

    for url in (
        reverse("assessment:dashboard", args=["2201"]),
        reverse("assessment:breakdown", args=["2201"]),
        reverse("assessment:breakdown", args=["220104"]),
        reverse("home"),
    ):
        page = client.get(url).content.decode()
        named = period_values(page)
        assert named, url
        assert set(named) == {quarter.key}, (url, set(named))


@pytest.mark.parametrize("name", ["entry", "dashboard", "breakdown"])
def test_old_links_with_the_periods_number_still_open_it(name, quarter, year, district_org, client_for):
    rollup(year)
    client = client_for(district_org)
    url = reverse(f"assessment:{name}", args=["220104"])

    by_number = client.get(url, {"period": year.pk})
    by_key = client.get(url, {"period": year.key})

    assert by_number.status_code == by_key.status_code == 200
    assert by_number.context["period"] == by_key.context["period"] == year
    assert client.get(url, {"period": "2001Q1"}).status_code == 404  # a key of no period


def test_a_years_key_opens_the_year_even_where_a_period_carries_that_number(
    areas, default_set, district_org, client_for
):
    span = Year.current()
    numbered = Period.objects.create(
        pk=span.year, kind="quarter", start=Quarter(2020, 1).start, end=Quarter(2020, 1).end, indicator_set=default_set
    )
    url = reverse("assessment:entry", args=["220104"])
    client = client_for(district_org)
    assert client.get(url, {"period": str(span.year)}).context["period"] == numbered  # no such year: the old link

    year = Period.objects.create(kind="year", start=span.start, end=span.end, indicator_set=default_set)

    assert client.get(url, {"period": str(span.year)}).context["period"] == year


def test_the_submit_button_is_the_declared_transitions_and_its_form_carries_the_key(
    quarter, leaves, community_a1, client_for
):
    client = client_for(community_a1)
    url = reverse("assessment:entry", args=[A1])
    submit_url = reverse("assessment:entry_submit", args=[A1])
    icon = '<i class="bi bi-send" aria-hidden="true"></i> 上报'
    greyed = f'<button class="btn btn-primary" type="button" disabled>{icon}</button>'
    button = f'<a class="btn btn-primary" href="{submit_url}?period={quarter.key}">{icon}</a>'

    before = client.get(url).content.decode()
    assert greyed in before and submit_url not in before  # nothing entered yet: shown, not to be clicked
    assert "全部录入并上传须附的佐证材料后即可上报" in before

    enter_all(client, A1, leaves, quarter)
    ready = client.get(url).content.decode()
    assert button in ready and greyed not in ready

    confirmation = client.get(f"{submit_url}?period={quarter.key}").content.decode()
    assert f'name="period" value="{quarter.key}"' in confirmation
    client.post(submit_url, {"period": quarter.key, "state": ""})

    assert Approval.objects.get(period=quarter, area__code=A1).status == "submitted"
    after = client.get(url).content.decode()
    assert submit_url not in after and greyed not in after  # submitted: no 上报 any more
    assert approvals.APPROVAL.history(Approval.objects.get(period=quarter, area__code=A1))[0].transition == "submit"
