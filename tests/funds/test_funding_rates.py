"""Execution rates (spent / allocated) for every area of a level in one query each — community,
street, district and city — for a year so far and a quarter; whole yuan for the assessment, exact
Decimals for the pages; only approved spending counts; the notices published in a period."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from core.calendar import Quarter
from funds import indicators_funding as rates
from funds.models_funding import Expenditure

from .funding_cast import A1, B1, STREET_A, STREET_B, community_a1_fixture, funds_fixture  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def by_code(figures, areas):
    codes = {area.pk: code for code, area in areas.items()}
    return {codes[key]: value for key, value in figures.items()}


def test_each_level_in_one_query(funds, areas, django_assert_num_queries):
    year = funds["service"].year
    end = datetime.date(year, 12, 31)
    with django_assert_num_queries(1):
        figures = by_code(
            rates.execution(["community", "street", "district", "city"], datetime.date(year, 1, 1), end), areas
        )

    assert figures[A1] == (30001, 150000)  # 30,000.50 approved (the draft not counted), rounded in SQL
    assert figures[B1] == (0, 50000)
    assert figures[STREET_A] == figures[A1]
    assert figures["220104"] == figures["2201"] == (30001, 200000)
    assert STREET_B in figures and "220104001002" not in figures  # A2: nothing allocated


def test_the_pages_sums_are_exact_decimals(funds, areas):
    year = funds["service"].year
    figures = by_code(rates.sums("street", datetime.date(year, 1, 1), datetime.date(year, 12, 31)), areas)

    assert figures[STREET_A] == (Decimal("30000.50"), Decimal("150000.00"))


def test_a_quarter_counts_the_year_up_to_its_end(funds, areas):
    year = funds["service"].year  # the approved spending is dated 10 March
    Expenditure.objects.filter(pk=funds["approved"].pk).update(spent_on=datetime.date(year, 5, 5))
    first, second = Quarter(year, 1), Quarter(year, 2)

    assert by_code(rates.execution("community", first.start, first.end), areas)[A1] == (0, 150000)
    assert by_code(rates.execution("community", second.start, second.end), areas)[A1] == (30001, 150000)


def test_notices_published_in_the_period(funds, areas):
    quarter = Quarter.of(timezone.localdate())
    figures = by_code(rates.notices_published(["street", "district"], quarter.start, quarter.end), areas)

    assert figures[STREET_A] == (1, 2)  # A1 of A1 and A2
    assert figures[STREET_B] == (0, 1)
    assert figures["220104"] == (1, 3)
    last = quarter.previous()
    assert by_code(rates.notices_published("street", last.start, last.end), areas)[STREET_A] == (0, 2)


@pytest.mark.parametrize("key", ["funds.execution", "funds.notices_published", "funds.allocated", "funds.spent"])
def test_every_source_and_figure_gives_all_levels_in_one_query_what_each_gives_alone(
    key, funds, django_assert_num_queries
):
    from core.registry import registry

    found = registry.indicator_sources.get(key) or next(f for f in registry.figures if f.key == key)
    levels = getattr(found, "levels", None) or ("city", "district", "street", "community")
    quarter = Quarter.of(timezone.localdate())
    one_by_one = {}
    for level in levels:
        one_by_one.update(found.compute(level, quarter.start, quarter.end))

    with django_assert_num_queries(1):
        together = found.compute(list(levels), quarter.start, quarter.end)

    assert together == one_by_one and together
