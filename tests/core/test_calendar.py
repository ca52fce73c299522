"""The calendar of the offices, computed once (core.calendar): the quarter, half or year of a day,
the one before and after, first and last day, the Chinese label, the key a URL carries and its
parsing — round trips checked over every day hypothesis can think of."""

import datetime

from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from core import calendar
from core.calendar import Half, Quarter, Year

days = st.dates(min_value=datetime.date(1001, 1, 1), max_value=datetime.date(9998, 12, 31))
kinds = st.sampled_from([Quarter, Half, Year])
TODAY = datetime.date(2026, 11, 15)


@given(days, kinds)
def test_the_span_of_a_day_holds_it_and_starts_on_a_first_of_a_month(day, kind):
    span = kind.of(day)

    assert day in span and span.start <= day <= span.end
    assert span.start.day == 1 and (span.start.month - 1) % kind.MONTHS == 0
    assert kind.starting(span.start) == span and kind.of(span.end) == span


@given(days, kinds)
def test_the_next_span_starts_the_day_after_and_previous_undoes_next(day, kind):
    span = kind.of(day)

    assert span.next().start == span.end + datetime.timedelta(days=1)
    assert span.previous().end == span.start - datetime.timedelta(days=1)
    assert span.next().previous() == span and span.previous().next() == span


@given(days, kinds, st.integers(min_value=-40, max_value=40))
def test_shifting_by_n_and_back_is_where_one_started(day, kind, n):
    span = kind.of(day)

    assert span.shifted(n).shifted(-n) == span
    assert (span.shifted(n) > span) == (n > 0)


@given(days, kinds)
def test_a_key_and_a_label_parse_back_to_their_span(day, kind):
    span = kind.of(day)

    assert calendar.parse(span.key) == span
    assert calendar.parse(span.label) == span
    assert calendar.span_of(kind.KIND, span.start, span.end) == span


@given(days)
def test_the_party_pages_old_spelling_of_a_quarter_still_reads(day):
    quarter = Quarter.of(day)

    assert calendar.parse(f"{quarter.year}-{quarter.number}") == quarter


@given(days)
def test_quarters_lie_inside_their_half_and_year(day):
    quarter = Quarter.of(day)

    assert quarter.start in Half.of(day) and quarter.end in Half.of(day)
    assert Year.of(day).start <= quarter.start and quarter.end <= Year.of(day).end


@given(days, days)
def test_months_ended_counts_from_none_to_all(day, today):
    quarter = Quarter.of(day)
    ended = quarter.months_ended(today)

    assert 0 <= ended <= 3
    assert ended == (3 if today > quarter.end else 0 if today < quarter.start else today.month - quarter.start.month)


def test_labels_and_keys_read_as_the_offices_write_them():
    assert (Quarter(2026, 4).label, Quarter(2026, 4).key) == ("2026年第4季度", "2026Q4")
    assert (Half(2026, 1).label, Half(2026, 2).label, Half(2026, 2).key) == ("2026年上半年", "2026年下半年", "2026H2")
    assert (Year(2026).label, Year(2026).key) == ("2026年度", "2026")
    assert (Quarter(2026, 4).start, Quarter(2026, 4).end) == (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    assert Quarter(2026, 1).previous() == Quarter(2025, 4) and Half(2026, 2).next() == Half(2027, 1)


def test_what_names_no_span_parses_to_nothing():
    for value in ("", "2026-5", "2026Q0", "2026H3", "0000", "2026-3-1", "26-3", "第三季度", "2026年第5季度", None):
        assert calendar.parse(value) is None, value


def test_a_span_that_is_not_a_calendar_one_is_not_taken_for_one():
    assert calendar.span_of("quarter", datetime.date(2026, 10, 1), datetime.date(2026, 12, 30)) is None
    assert calendar.span_of("quarter", datetime.date(2026, 10, 2), datetime.date(2026, 12, 31)) is None
    assert calendar.span_of("half_year", datetime.date(2026, 4, 1), datetime.date(2026, 9, 30)) is None


def test_a_page_reads_the_period_from_one_query_parameter_and_its_old_spelling():
    def ask(query, **kwargs):
        return calendar.asked(QueryDict(query), Quarter, legacy=("quarter",), today=TODAY, **kwargs)

    assert ask("period=2026Q3") == (Quarter(2026, 3), "2026Q3")
    assert ask("quarter=2026-3") == (Quarter(2026, 3), "2026-3")
    assert ask("") == (None, "")
    # Not a quarter, not one of the years a page offers: nothing, and the value to say so.
    assert ask("period=2026H1") == (None, "2026H1")
    assert ask("quarter=1999-4") == (None, "1999-4")
    assert ask("quarter=2028-1") == (None, "2028-1")
    assert ask("quarter=2027-1") == (Quarter(2027, 1), "2027-1")
