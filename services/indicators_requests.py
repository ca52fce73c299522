"""The requests' figures for the assessment (issue 19), each computed for every area of a level in
one query and registered in core.registry (IndicatorSource, Figure): of the requests received in
the period under each area, those closed, closed on time (by their due date) and reopened; of those
visited in the period, the satisfied (满意 or 基本满意, as Wuhan's 95.2 % counts them, seed 002). The
dashboards' open and overdue requests. Registering the sources makes them available to an indicator
set; the seeded set's copy with them is a later step."""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.db import figures_by_key
from core.registry import Figure, IndicatorSource, registry
from orgs.choices import AreaLevel
from orgs.models import Area
from orgs.scoping import as_levels, each_subtree_sql

from .models_requests import OPEN_STATES, RequestStatus, ResidentRequest, Satisfaction

AREA = Area._meta.db_table
REQUEST = ResidentRequest._meta.db_table
LEVELS = (AreaLevel.STREET, AreaLevel.COMMUNITY)
TABLES = f"{AREA} a JOIN {REQUEST} q ON q.area_id = a.id"
DAY = "(q.{field} AT TIME ZONE %(tz)s)::date"
RECEIVED_IN = f"{DAY.format(field='received_at')} BETWEEN %(start)s AND %(end)s"
CLOSED_ON = DAY.format(field="closed_at")

CLOSED_SQL = each_subtree_sql("count(*) FILTER (WHERE q.status = %(closed)s), count(*)", TABLES, RECEIVED_IN)
ON_TIME_SQL = each_subtree_sql(
    f"count(*) FILTER (WHERE q.closed_at IS NOT NULL AND {CLOSED_ON} <= q.due_on), count(*)", TABLES, RECEIVED_IN
)
REOPENED_SQL = each_subtree_sql("count(*) FILTER (WHERE q.reopened > 0), count(*)", TABLES, RECEIVED_IN)
SATISFIED_SQL = each_subtree_sql(
    "count(*) FILTER (WHERE q.satisfaction = ANY(%(content)s)), count(*)",
    TABLES,
    f"q.satisfaction <> '' AND {CLOSED_ON} BETWEEN %(start)s AND %(end)s",
)
OPEN_SQL = each_subtree_sql("count(*), 0", TABLES, "q.status = ANY(%(open)s)")
OVERDUE_SQL = each_subtree_sql("count(*), 0", TABLES, "q.status = ANY(%(open)s) AND q.due_on < %(today)s")


def params(level, start, end, **more):
    return dict(levels=as_levels(level), start=start, end=end, tz=settings.TIME_ZONE, **more)


def closed(level, start, end):
    """Of the requests received in the period under each area of `level`, how many are closed."""
    return figures_by_key(CLOSED_SQL, params(level, start, end, closed=RequestStatus.CLOSED.value))


def on_time(level, start, end):
    """Of the requests received in the period under each area, how many were closed by their due
    date (the close of the last return visit; a reopened request counts by its last close)."""
    return figures_by_key(ON_TIME_SQL, params(level, start, end))


def reopened(level, start, end):
    """Of the requests received in the period under each area, how many were reopened."""
    return figures_by_key(REOPENED_SQL, params(level, start, end))


def satisfied(level, start, end):
    """Of the requests visited (closed with a satisfaction) in the period under each area, how
    many residents were satisfied or basically satisfied."""
    content = [Satisfaction.SATISFIED.value, Satisfaction.BASIC.value]
    return figures_by_key(SATISFIED_SQL, params(level, start, end, content=content))


def open_now(level, start=None, end=None):
    return figures_by_key(OPEN_SQL, dict(levels=as_levels(level), open=OPEN_STATES))


def overdue_now(level, start=None, end=None):
    return figures_by_key(OVERDUE_SQL, dict(levels=as_levels(level), open=OPEN_STATES, today=timezone.localdate()))


def within_url(**query):
    def url(area):
        return reverse("services:residentrequest_list") + "?" + urlencode({"within": area.code, **query})

    return url


SOURCES = (
    ("services.requests_closed", _("诉求办结率"), closed, _("已办结的诉求"), within_url(open="true")),
    ("services.requests_on_time", _("诉求按时办结率"), on_time, _("按时办结的诉求"), within_url(overdue="true")),
    (
        "services.requests_satisfied",
        _("诉求回访满意率"),
        satisfied,
        _("满意和基本满意"),
        within_url(satisfaction="unsatisfied"),
    ),
    ("services.requests_reopened", _("诉求重新打开率"), reopened, _("重新打开过的诉求"), None),
)


def register():
    for key, label, compute, numerator, gaps in SOURCES:
        registry.add_indicator_source(
            IndicatorSource(
                key,
                label,
                LEVELS,
                compute,
                records_url=within_url(),
                current_gaps_url=gaps,
                numerator_label=numerator,
                denominator_label=_("回访过的诉求") if compute is satisfied else _("期内受理的诉求"),
            )
        )
    registry.add_figure(
        Figure(
            "services.requests_open",
            _("办理中的诉求"),
            open_now,
            order=80,
            icon="chat-square-text",
            url=within_url(open="true"),
        )
    )
    registry.add_figure(
        Figure(
            "services.requests_overdue",
            _("超期诉求"),
            overdue_now,
            order=81,
            icon="alarm",
            url=within_url(overdue="true"),
        )
    )
