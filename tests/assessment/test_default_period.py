"""Which period a page opens on when none is asked for (issue 15, 1): the period a user works in —
the running quarter, then the last quarter before it. Opening and closing a year, a half-year or a
quarter yet to come changes nobody's default view."""

import datetime

import pytest
from django.urls import reverse

from assessment.models import IndicatorSet, Period
from assessment.rollup import rollup
from core.calendar import Quarter
from tests.grids.conftest import holder, id_number  # noqa: F401  (fixtures)
from tests.grids.test_coverage import hand_roster  # noqa: F401  (fixture)

TODAY = datetime.date.today()
DEFAULT_SET = "党建引领基层治理考核指标（默认）"


def quarter_of(day):
    quarter = Quarter.of(day)
    return quarter.start, quarter.end


@pytest.fixture(autouse=True)
def _default_set(db, default_set):
    """Every story here makes periods on the default set of the data migrations."""


def period(kind, start, end, status="open"):
    return Period.objects.create(
        kind=kind, start=start, end=end, status=status, indicator_set=IndicatorSet.objects.get(name=DEFAULT_SET)
    )


@pytest.fixture
def quarters(hand_roster):  # noqa: F811
    """The last quarter, closed, and the running one, open; both rolled up."""
    this_start, this_end = quarter_of(TODAY)
    last_start, last_end = quarter_of(this_start - datetime.timedelta(days=1))
    last = period("quarter", last_start, last_end)
    running = period("quarter", this_start, this_end)
    rollup(last)
    rollup(running)
    last.status = "closed"
    last.save()
    return last, running


@pytest.fixture
def a_year_opened_and_closed(quarters):
    """The city opens this year's 年度考核, rolls it up and closes it: it ends with the running
    quarter's year, on or after the running quarter's end."""
    year = period("year", datetime.date(TODAY.year, 1, 1), datetime.date(TODAY.year, 12, 31))
    rollup(year)
    year.status = "closed"
    year.save()
    return year


def test_the_dashboard_stays_on_the_running_quarter_after_a_year_is_opened_and_closed(
    quarters, a_year_opened_and_closed, city_org, client_for
):
    _last, running = quarters

    response = client_for(city_org).get(reverse("assessment:dashboard", args=["220104"]))

    assert response.context["period"] == running
    year = a_year_opened_and_closed
    assert year.pk in [p.pk for p in response.context["periods"]]  # chosen from the list, not fallen into


def test_the_breakdown_and_the_home_card_stay_on_the_running_quarter(
    quarters, a_year_opened_and_closed, city_org, client_for
):
    _last, running = quarters
    client = client_for(city_org)

    assert client.get(reverse("assessment:breakdown", args=["220104001"])).context["period"] == running
    home = client.get(reverse("home")).content.decode()
    # The card's links name the period by its calendar key ("2026Q4"; the year's would be "2026").
    assert f'?period={running.key}"' in home and f'?period={a_year_opened_and_closed.key}"' not in home


def test_a_quarter_not_yet_rolled_up_leaves_the_dashboard_on_the_last_quarter(hand_roster, city_org, client_for):  # noqa: F811
    this_start, this_end = quarter_of(TODAY)
    last_start, last_end = quarter_of(this_start - datetime.timedelta(days=1))
    last = period("quarter", last_start, last_end)
    rollup(last)
    last.status = "closed"
    last.save()
    period("quarter", this_start, this_end)  # opened this morning, not yet rolled up
    year = period("year", datetime.date(TODAY.year, 1, 1), datetime.date(TODAY.year, 12, 31))
    rollup(year)

    assert client_for(city_org).get(reverse("assessment:dashboard", args=["2201"])).context["period"] == last


def test_entry_pages_open_on_the_running_quarter_not_on_one_yet_to_come(quarters, street_a, client_for):
    _last, running = quarters
    _start, end = quarter_of(TODAY)
    following = quarter_of(end + datetime.timedelta(days=1))
    period("quarter", *following)  # opened early, or mistyped: it has not begun
    period("half_year", datetime.date(TODAY.year, 7 if TODAY.month > 6 else 1, 1), end)

    response = client_for(street_a).get(reverse("assessment:entry", args=["220104001"]))

    assert response.context["period"] == running


def test_with_only_a_year_the_dashboard_asks_for_a_choice(hand_roster, city_org, client_for):  # noqa: F811
    year = period("year", datetime.date(TODAY.year, 1, 1), datetime.date(TODAY.year, 12, 31))
    rollup(year)

    response = client_for(city_org).get(reverse("assessment:dashboard", args=["2201"]))

    assert response.context["period"] is None
    assert "请选择考核周期查看" in response.content.decode()
    chosen = client_for(city_org).get(reverse("assessment:dashboard", args=["2201"]) + f"?period={year.pk}")
    assert chosen.context["period"] == year
