"""经费's figures, each for every area of a level in one query (orgs.scoping.each_subtree_sql),
registered in core.registry: the execution rate (执行率: approved spending from the year's start to
the period's end, of the year's allocations — a quarter's rate is the year's so far), the share of
communities that published a notice in the period (IndicatorSources of the assessment), and the
dashboards' funds allocated and spent this year (Figures).

`sums(level, start, end)` gives the exact Decimals (yuan, two places) for the pages; the
assessment's values are whole yuan (its numerator and denominator are integers), rounded in SQL."""

import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.db import figures_by_key
from core.registry import Figure, IndicatorSource, registry
from orgs.choices import AreaLevel
from orgs.models import Area
from orgs.scoping import as_levels, each_subtree_sql

from .models_funding import Allocation, Expenditure, ExpenditureStatus, FundNotice, NoticeStatus

AREA = Area._meta.db_table
LEVELS = (AreaLevel.CITY, AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMUNITY)
# One row a yuan allocated or spent: the allocations of the year, the approved spending from the
# year's first day to the period's last.
MONEY = f"""(
    SELECT area_id, amount AS allocated, 0 AS spent FROM {Allocation._meta.db_table} WHERE year = %(year)s
    UNION ALL
    SELECT area_id, 0, amount FROM {Expenditure._meta.db_table}
     WHERE status = %(approved)s AND spent_on BETWEEN %(first)s AND %(end)s
)"""
SUMS_SQL = each_subtree_sql("sum(m.spent), sum(m.allocated)", f"{AREA} a JOIN {MONEY} m ON m.area_id = a.id")
ROUNDED_SQL = each_subtree_sql(
    "round(sum(m.spent))::bigint, round(sum(m.allocated))::bigint",
    f"{AREA} a JOIN {MONEY} m ON m.area_id = a.id",
)
NOTICES_SQL = each_subtree_sql(
    f"""count(*) FILTER (WHERE EXISTS (
        SELECT 1 FROM {FundNotice._meta.db_table} n
         WHERE n.area_id = a.id AND n.status = %(published)s
           AND (n.published_at AT TIME ZONE %(tz)s)::date BETWEEN %(start)s AND %(end)s)), count(*)""",
    f"{AREA} a",
    "a.level = %(community)s",
)


def money_params(level, start, end):
    year = end.year
    return {
        "levels": as_levels(level),
        "year": year,
        "first": datetime.date(year, 1, 1),
        "end": end,
        "approved": ExpenditureStatus.APPROVED.value,
    }


def sums(level, start, end):
    """{area id: (spent, allocated)} in Decimal yuan for every area of `level` with money under it."""
    return {
        key: (spent or Decimal("0.00"), allocated or Decimal("0.00"))
        for key, (spent, allocated) in figures_by_key(SUMS_SQL, money_params(level, start, end)).items()
    }


def execution(level, start, end):
    """Of the year's allocations under each area (whole yuan), how much was spent by the period's end."""
    return {
        key: (spent, allocated)
        for key, (spent, allocated) in figures_by_key(ROUNDED_SQL, money_params(level, start, end)).items()
        if allocated
    }


def notices_published(level, start, end):
    """Of the communities under each area, how many published a notice in the period."""
    from django.conf import settings

    return figures_by_key(
        NOTICES_SQL,
        {
            "levels": as_levels(level),
            "published": NoticeStatus.PUBLISHED.value,
            "tz": settings.TIME_ZONE,
            "start": start,
            "end": end,
            "community": AreaLevel.COMMUNITY.value,
        },
    )


def this_year():
    today = timezone.localdate()
    return datetime.date(today.year, 1, 1), today


def allocated_now(level, start=None, end=None):
    start, end = (start, end) if end else this_year()
    return {key: (allocated, 0) for key, (_spent, allocated) in execution(level, start, end).items()}


def spent_now(level, start=None, end=None):
    start, end = (start, end) if end else this_year()
    return {key: (spent, 0) for key, (spent, _allocated) in execution(level, start, end).items()}


def within_url(name, **query):
    def url(area):
        return reverse(f"funds:{name}_list") + "?" + urlencode({"within": area.code, **query})

    return url


def register():
    registry.add_indicator_source(
        IndicatorSource(
            "funds.execution",
            _("经费执行率"),
            LEVELS,
            execution,
            numerator_label=_("年初至期末已审批支出（元）"),
            denominator_label=_("本年度拨付经费（元）"),
            records_url=within_url("expenditure"),
        )
    )
    registry.add_indicator_source(
        IndicatorSource(
            "funds.notices_published",
            _("经费公示率"),
            LEVELS,
            notices_published,
            numerator_label=_("期内发布公示的社区"),
            denominator_label=_("社区"),
            records_url=within_url("fundnotice"),
        )
    )
    registry.add_figure(
        Figure(
            "funds.allocated",
            _("本年度拨付经费（元）"),
            allocated_now,
            order=90,
            icon="cash-stack",
            url=within_url("allocation"),
        )
    )
    registry.add_figure(
        Figure(
            "funds.spent",
            _("本年度已支出经费（元）"),
            spent_now,
            order=91,
            icon="wallet2",
            url=within_url("expenditure"),
        )
    )
