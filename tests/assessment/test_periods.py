"""Periods are chosen, not typed (issue 15, 2 and 16): the city picks a year and a quarter, a half or
the whole year, and the dates follow; a period that has not begun, one already opened and one
overlapping another of its kind are refused in words; a period nobody has worked in can be deleted
after a confirmation; a period left by the old form with absurd dates breaks no page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessment import approvals
from assessment.models import IndicatorSet, Period, RollupJob, Score
from assessment.rollup import rollup
from tests.grids.conftest import holder, id_number  # noqa: F401  (fixtures)
from tests.grids.test_coverage import hand_roster  # noqa: F401  (fixture)

TODAY = datetime.date.today()
DEFAULT_SET = "党建引领基层治理考核指标（默认）"
THIS_QUARTER = (TODAY.month - 1) // 3 + 1


def indicator_set():
    return IndicatorSet.objects.get(name=DEFAULT_SET)


def open_period(client, year, part):
    return client.post(
        reverse("assessment:period_list"), {"year": year, "part": part, "indicator_set": indicator_set().pk}
    )


def test_a_quarter_is_opened_by_its_year_and_number_and_its_dates_follow(areas, city_org, client_for):
    response = open_period(client_for(city_org), TODAY.year, f"quarter-{THIS_QUARTER}")

    period = Period.objects.get()
    assert response.status_code == 302
    assert period.kind == "quarter" and period.start == datetime.date(TODAY.year, 3 * THIS_QUARTER - 2, 1)
    assert (period.end + datetime.timedelta(days=1)).day == 1 and (period.end.month - period.start.month) == 2
    assert period.label == f"{TODAY.year}年第{THIS_QUARTER}季度"


def test_a_half_year_and_a_year_are_their_calendar_halves_and_year(areas, city_org, client_for):
    client = client_for(city_org)

    open_period(client, TODAY.year - 1, "half_year-2")
    open_period(client, TODAY.year - 1, "year-1")

    half, year = Period.objects.get(kind="half_year"), Period.objects.get(kind="year")
    assert (half.start, half.end) == (datetime.date(TODAY.year - 1, 7, 1), datetime.date(TODAY.year - 1, 12, 31))
    assert (year.start, year.end) == (datetime.date(TODAY.year - 1, 1, 1), datetime.date(TODAY.year - 1, 12, 31))


def test_a_period_yet_to_begin_is_refused_in_words(areas, city_org, client_for, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: datetime.date(2026, 5, 10))

    response = open_period(client_for(city_org), 2026, "quarter-3")

    assert not Period.objects.exists()
    assert "2026年第3季度尚未开始（2026-07-01 开始），请到时再开启。" in response.content.decode()


def test_a_year_beyond_this_one_is_not_offered(areas, city_org, client_for):
    client = client_for(city_org)

    page = client.get(reverse("assessment:period_list")).content.decode()
    response = open_period(client, TODAY.year + 1, "quarter-1")

    assert f'<option value="{TODAY.year + 1}"' not in page and f'<option value="{TODAY.year}"' in page
    assert response.status_code == 200 and not Period.objects.exists()


def test_a_duplicate_says_so_in_plain_chinese(areas, city_org, client_for):
    client = client_for(city_org)
    open_period(client, TODAY.year, f"quarter-{THIS_QUARTER}")

    response = open_period(client, TODAY.year, f"quarter-{THIS_QUARTER}")

    page = response.content.decode()
    assert Period.objects.count() == 1
    assert f"{TODAY.year}年第{THIS_QUARTER}季度已经开启（进行中），不能重复开启。" in page
    assert "已经存在" not in page


def test_a_period_overlapping_another_of_its_kind_is_refused(areas, city_org, client_for):
    # Left by the old form: a "quarter" of six weeks from the quarter's second month.
    start = datetime.date(TODAY.year, 3 * THIS_QUARTER - 1, 1)
    Period.objects.create(
        kind="quarter", start=start, end=start + datetime.timedelta(days=41), indicator_set=indicator_set()
    )

    response = open_period(client_for(city_org), TODAY.year, f"quarter-{THIS_QUARTER}")

    assert Period.objects.count() == 1
    assert "时间重叠" in response.content.decode()


def test_the_model_refuses_dates_that_do_not_fit_the_kind(areas):
    six_weeks = Period(
        kind="quarter",
        start=datetime.date(2027, 1, 1),
        end=datetime.date(2027, 2, 15),
        indicator_set=indicator_set(),
    )
    with pytest.raises(ValidationError, match="完整的日历季度"):
        six_weeks.full_clean()
    half = Period(
        kind="half_year",
        start=datetime.date(2026, 7, 1),
        end=datetime.date(2026, 12, 31),
        indicator_set=indicator_set(),
    )
    half.full_clean()


@pytest.fixture
def mistyped(areas):
    """What the old form let through: a "季度" of six weeks, in the future, 进行中."""
    return Period.objects.create(
        kind="quarter",
        start=datetime.date(TODAY.year + 1, 1, 1),
        end=datetime.date(TODAY.year + 1, 2, 15),
        indicator_set=indicator_set(),
    )


def test_a_period_nobody_has_worked_in_is_deleted_after_a_confirmation(mistyped, city_org, client_for):
    client = client_for(city_org)
    detail = client.get(reverse("assessment:period_detail", args=[mistyped.pk])).content.decode()
    delete_url = reverse("assessment:period_delete", args=[mistyped.pk])
    assert delete_url in detail

    confirmation = client.get(delete_url).content.decode()
    assert Period.objects.filter(pk=mistyped.pk).exists()  # asking deletes nothing
    assert "确认删除" in confirmation and "删除后无法恢复" in confirmation

    response = client.post(delete_url)
    assert response["Location"] == reverse("assessment:period_list")
    assert not Period.objects.filter(pk=mistyped.pk).exists()


def test_what_the_night_computed_goes_with_it(hand_roster, city_org, client_for):  # noqa: F811
    start = datetime.date(TODAY.year, 3 * THIS_QUARTER - 2, 1)
    wrong = Period.objects.create(kind="half_year", start=start, end=TODAY, indicator_set=indicator_set())
    RollupJob.objects.create(user=None, period=wrong)
    rollup(wrong)

    client_for(city_org).post(reverse("assessment:period_delete", args=[wrong.pk]))

    assert not Period.objects.filter(pk=wrong.pk).exists() and not Score.objects.filter(period_id=wrong.pk).exists()


def test_a_period_with_entries_or_a_hand_run_rollup_is_kept_and_says_why(mistyped, areas, city_org, client_for):
    community = areas["220104001001"]
    leaf = approvals.entered_leaves(mistyped, "community")[0]
    approvals.save_entry(mistyped, community, leaf, city_org, 3, 5, "")
    client = client_for(city_org)

    page = client.get(reverse("assessment:period_delete", args=[mistyped.pk])).content.decode()
    response = client.post(reverse("assessment:period_delete", args=[mistyped.pk]))

    assert "已有 1 项人工录入指标的填报，不能删除。" in page and "确认删除" not in page
    assert response.status_code == 409 and Period.objects.filter(pk=mistyped.pk).exists()
    assert (
        reverse("assessment:period_delete", args=[mistyped.pk])
        not in client.get(reverse("assessment:period_detail", args=[mistyped.pk])).content.decode()
    )

    ran = Period.objects.create(
        kind="year",
        start=datetime.date(TODAY.year, 1, 1),
        end=datetime.date(TODAY.year, 12, 31),
        indicator_set=indicator_set(),
    )
    RollupJob.objects.create(user=city_org, period=ran)
    assert client.post(reverse("assessment:period_delete", args=[ran.pk])).status_code == 409


def test_a_street_cadre_cannot_delete_a_period(mistyped, street_a, client_for):
    assert client_for(street_a).post(reverse("assessment:period_delete", args=[mistyped.pk])).status_code == 404
    assert Period.objects.filter(pk=mistyped.pk).exists()


def test_a_period_ending_in_9999_breaks_no_page(areas, city_org, street_a, client_for):
    Period.objects.create(
        kind="year",
        start=datetime.date(TODAY.year, 1, 1),
        end=datetime.date(9999, 12, 31),
        indicator_set=indicator_set(),
    )
    for user in (city_org, street_a):
        client = client_for(user)
        assert client.get(reverse("assessment:period_list")).status_code == 200
        assert client.get(reverse("assessment:entry", args=["220104001"])).status_code == 200

    response = open_period(client_for(city_org), 9999, "year-1")
    assert response.status_code == 200 and Period.objects.count() == 1
