"""双向认领's figures for the assessment (issue 20), each computed for every area of a level in one
query and registered in core.registry (IndicatorSource, Figure): of the demands posted in the
period under each area, those claimed (需求认领率); of those claimed in the period, the days from
posting to claim (平均认领天数: the value is days / claims, not a share: the assessment scores
shares, so 需求及时认领率 — claimed within FUNDS_UNCLAIMED_DAYS — is its scorable form); of the
projects due in the period, those closed (项目结项率). The dashboards' demands awaiting a claim
and projects running. Registering the sources makes them available to an indicator set; the
seeded set's copy with them comes later."""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.db import figures_by_key
from core.registry import Figure, IndicatorSource, registry
from orgs.choices import AreaLevel
from orgs.models import Area
from orgs.scoping import as_levels, each_subtree_sql

from .models import Project, ProjectStatus
from .models_projects import Demand, DemandStatus, unclaimed_days

AREA = Area._meta.db_table
DEMAND = Demand._meta.db_table
PROJECT = Project._meta.db_table
LEVELS = (AreaLevel.STREET, AreaLevel.COMMUNITY)
DAY = "(d.{field} AT TIME ZONE %(tz)s)::date"
DEMANDS = f"{AREA} a JOIN {DEMAND} d ON d.area_id = a.id"
PROJECTS = f"{AREA} a JOIN {PROJECT} p ON p.area_id = a.id"

CLAIMED_SQL = each_subtree_sql(
    "count(*) FILTER (WHERE d.status = %(claimed)s), count(*)",
    DEMANDS,
    f"{DAY.format(field='posted_at')} BETWEEN %(start)s AND %(end)s",
)
DAYS_SQL = each_subtree_sql(
    f"sum({DAY.format(field='claimed_at')} - {DAY.format(field='posted_at')}), count(*)",
    DEMANDS,
    f"d.claimed_at IS NOT NULL AND {DAY.format(field='claimed_at')} BETWEEN %(start)s AND %(end)s",
)
IN_TIME_SQL = each_subtree_sql(
    f"count(*) FILTER (WHERE {DAY.format(field='claimed_at')} - {DAY.format(field='posted_at')} < %(days)s), count(*)",
    DEMANDS,
    f"d.claimed_at IS NOT NULL AND {DAY.format(field='claimed_at')} BETWEEN %(start)s AND %(end)s",
)
CLOSED_SQL = each_subtree_sql(
    "count(*) FILTER (WHERE p.status = %(closed)s), count(*)",
    PROJECTS,
    "p.due_on BETWEEN %(start)s AND %(end)s AND p.status <> %(stopped)s",
)
OPEN_SQL = each_subtree_sql("count(*), 0", DEMANDS, "d.status = %(open)s")
RUNNING_SQL = each_subtree_sql("count(*), 0", PROJECTS, "p.status = %(running)s")


def params(level, start, end, **more):
    return dict(levels=as_levels(level), start=start, end=end, tz=settings.TIME_ZONE, **more)


def claimed(level, start, end):
    """Of the demands posted in the period under each area of `level`, how many are claimed."""
    return figures_by_key(CLAIMED_SQL, params(level, start, end, claimed=DemandStatus.CLAIMED.value))


def days_to_claim(level, start, end):
    """Of the demands claimed in the period under each area: the days from posting to claim,
    summed, and their number (the value is the mean)."""
    return figures_by_key(DAYS_SQL, params(level, start, end))


def claimed_in_time(level, start, end):
    """Of the demands claimed in the period under each area, how many within FUNDS_UNCLAIMED_DAYS
    days of being posted: the days to claim as a share the assessment scores (higher is better),
    where the mean days (`days_to_claim`) are not a share."""
    return figures_by_key(IN_TIME_SQL, params(level, start, end, days=unclaimed_days()))


def projects_closed(level, start, end):
    """Of the projects due in the period under each area (not stopped), how many are closed."""
    return figures_by_key(
        CLOSED_SQL,
        params(level, start, end, closed=ProjectStatus.CLOSED.value, stopped=ProjectStatus.STOPPED.value),
    )


def open_now(level, start=None, end=None):
    return figures_by_key(OPEN_SQL, dict(levels=as_levels(level), open=DemandStatus.OPEN.value))


def running_now(level, start=None, end=None):
    return figures_by_key(RUNNING_SQL, dict(levels=as_levels(level), running=ProjectStatus.RUNNING.value))


def within_url(name, **query):
    def url(area):
        return reverse(name) + "?" + urlencode({"within": area.code, **query})

    return url


SOURCES = (
    (
        "funds.demands_claimed",
        _("需求认领率"),
        claimed,
        _("已认领的需求"),
        _("期内发布的需求"),
        within_url("funds:demand_list"),
        within_url("funds:demand_list", status="open"),
    ),
    (
        "funds.days_to_claim",
        _("需求平均认领天数"),
        days_to_claim,
        _("发布至认领的天数合计"),
        _("期内认领的需求"),
        within_url("funds:demand_list", status="claimed"),
        within_url("funds:demand_list", unclaimed="true"),
    ),
    (
        "funds.claimed_in_time",
        _("需求及时认领率"),
        claimed_in_time,
        _("按时认领的需求"),
        _("期内认领的需求"),
        within_url("funds:demand_list", status="claimed"),
        within_url("funds:demand_list", unclaimed="true"),
    ),
    (
        "funds.projects_closed",
        _("项目结项率"),
        projects_closed,
        _("已结项的项目"),
        _("期内到期的项目"),
        within_url("funds:project_list"),
        within_url("funds:project_list", late="true"),
    ),
)


def register():
    for key, label, compute, numerator, denominator, records, gaps in SOURCES:
        registry.add_indicator_source(
            IndicatorSource(
                key,
                label,
                LEVELS,
                compute,
                numerator_label=numerator,
                denominator_label=denominator,
                records_url=records,
                current_gaps_url=gaps,
            )
        )
    registry.add_figure(
        Figure(
            "funds.demands_open",
            _("待认领需求"),
            open_now,
            order=85,
            icon="card-checklist",
            url=within_url("funds:demand_list", status="open"),
        )
    )
    registry.add_figure(
        Figure(
            "funds.projects_running",
            _("实施中项目"),
            running_now,
            order=86,
            icon="kanban",
            url=within_url("funds:project_list", status="running"),
        )
    )
