"""The calendar of the offices, computed once: quarters (季度), halves (上半年, 下半年) and years
(年度) as small immutable values — which one holds a day, the one before and after, first and last
day, the Chinese label ("2026年第4季度") and the key a URL carries ("2026Q4").

One query vocabulary for a period: `?period=` with a key — "2026Q4", "2026H1", "2026" — on every
page that shows a calendar period (`asked`); "2026-4", the party pages' old spelling of a quarter,
is still read. Funding years, request deadlines and election terms use the same arithmetic.
"""

import datetime
import re
from dataclasses import dataclass
from typing import ClassVar

from django.utils import timezone
from django.utils.translation import gettext as _

QUERY = "period"  # the query parameter naming a calendar period on every page


@dataclass(frozen=True, order=True)
class Span:
    """A part of a calendar year: its year and its number within the year (1-based)."""

    year: int
    number: int = 1

    MONTHS: ClassVar[int] = 12
    CODE: ClassVar[str] = ""  # the letter of the key: "Q", "H", or none for a year
    KIND: ClassVar[str] = ""  # the assessment's PeriodKind value of the same span

    def __post_init__(self):
        if not 1 <= self.number <= self.per_year():
            raise ValueError(f"{type(self).__name__} {self.number} of a year of {self.per_year()}")
        if not datetime.MINYEAR <= self.year <= datetime.MAXYEAR:
            raise ValueError(f"year {self.year} out of range")

    @classmethod
    def per_year(cls):
        return 12 // cls.MONTHS

    @classmethod
    def of(cls, day):
        """The span holding `day` (a date)."""
        return cls(day.year, (day.month - 1) // cls.MONTHS + 1)

    @classmethod
    def current(cls, today=None):
        return cls.of(today or timezone.localdate())

    @classmethod
    def starting(cls, day):
        """The span whose first day is `day`, or None when no span of this kind starts then."""
        span = cls.of(day)
        return span if span.start == day else None

    @property
    def start(self):
        return datetime.date(self.year, (self.number - 1) * self.MONTHS + 1, 1)

    @property
    def end(self):
        last_month = self.number * self.MONTHS
        if last_month == 12:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, last_month + 1, 1) - datetime.timedelta(days=1)

    def shifted(self, n):
        """The span `n` spans later (earlier for a negative `n`)."""
        year, index = divmod(self.year * self.per_year() + self.number - 1 + n, self.per_year())
        return type(self)(year, index + 1)

    def next(self):
        return self.shifted(1)

    def previous(self):
        return self.shifted(-1)

    def __contains__(self, day):
        return self.start <= day <= self.end

    def matches(self, start, end):
        """Whether `start` to `end` are exactly this span's days."""
        return (start, end) == (self.start, self.end)

    @property
    def key(self):
        """What a URL carries: "2026Q4", "2026H1", "2026"."""
        return f"{self.year}{self.CODE}{self.number}" if self.CODE else str(self.year)

    def __str__(self):
        return self.key

    @property
    def label(self):
        return _("{year}年度").format(year=self.year)

    def months_ended(self, today=None):
        """How many of its months have ended by `today` (all of them once it is past)."""
        return months_ended(self.start, self.end, today)

    def under_way(self, today=None):
        return (today or timezone.localdate()) in self


class Quarter(Span):
    MONTHS = 3
    CODE = "Q"
    KIND = "quarter"

    @property
    def label(self):
        return _("{year}年第{n}季度").format(year=self.year, n=self.number)


class Half(Span):
    MONTHS = 6
    CODE = "H"
    KIND = "half_year"

    @property
    def label(self):
        return (_("{year}年上半年") if self.number == 1 else _("{year}年下半年")).format(year=self.year)


class Year(Span):
    MONTHS = 12
    KIND = "year"


KINDS = {cls.KIND: cls for cls in (Quarter, Half, Year)}  # PeriodKind value → span class

_KEY = re.compile(r"^\s*(\d{4})\s*(?:-?\s*([QqHh])\s*(\d)|-(\d))?\s*$")
_LABELS = (
    (re.compile(r"^\s*(\d{4})年第([1-4])季度\s*$"), lambda m: Quarter(int(m[1]), int(m[2]))),
    (re.compile(r"^\s*(\d{4})年([上下])半年\s*$"), lambda m: Half(int(m[1]), 1 if m[2] == "上" else 2)),
    (re.compile(r"^\s*(\d{4})年度?\s*$"), lambda m: Year(int(m[1]))),
)


def parse(value):
    """The span `value` names, or None: a key ("2026Q4", "2026H1", "2026"; "2026-Q4" and lower case
    too), the party pages' old "2026-4" (a quarter), or a label ("2026年第4季度", "2026年上半年",
    "2026年度")."""
    value = str(value or "")[:40]
    try:
        match = _KEY.match(value)
        if match:
            year, code, number, old_quarter = match.groups()
            if old_quarter:
                return Quarter(int(year), int(old_quarter))
            if code:
                return (Quarter if code.upper() == "Q" else Half)(int(year), int(number))
            return Year(int(year))
        for pattern, make in _LABELS:
            match = pattern.match(value)
            if match:
                return make(match)
    except ValueError:  # a quarter 5, a half 3, a year 0
        return None
    return None


def span_of(kind, start, end):
    """The calendar span of `kind` (a PeriodKind value) whose days are `start` to `end`, or None."""
    cls = KINDS.get(kind)
    if cls is None or start is None or end is None:
        return None
    span = cls.starting(start)
    return span if span is not None and span.end == end else None


def months_between(start, end):
    """How many calendar months `start` to `end` touch (both months counted)."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def months_ended(start, end, today=None):
    """How many months from `start` to `end` have ended by `today` (all of them once `end` is past)."""
    today = today or timezone.localdate()
    if end < today:
        return months_between(start, end)
    return max(0, months_between(start, today) - 1)


def asked(query, kind=None, legacy=(), today=None, years_ahead=1, earliest=2000):
    """The span a page's query asks for with `?period=` (or, for links already in use, the old
    parameters in `legacy`): (span, raw value). The span is None when nothing is asked, or when the
    value names no span of `kind` (a class: Quarter) within `earliest` to `years_ahead` years from
    today; the raw value is then kept, so that the page can say what it could not read."""
    today = today or timezone.localdate()
    for name in (QUERY, *legacy):
        raw = query.get(name, "")
        if raw:
            break
    else:
        return None, ""
    span = parse(raw)
    if span is None or (kind is not None and type(span) is not kind):
        return None, raw
    if not earliest <= span.year <= today.year + years_ahead:
        return None, raw
    return span, raw
