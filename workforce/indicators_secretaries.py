"""书记项目 and 述职评议 in the assessment (issue 21), each computed for every area of a level in one
query and registered in core.registry (IndicatorSource, Figure) — workforce imports nothing of the
assessment (the independence contract); the assessment asks `compute(level, start, end)` with a
period's dates.

- 述职评议好评率 (workforce.review_good_share): the area's own secretary's review of the year in
  which the period ends — (好 + 较好) / the voters. A review is annual; a quarter's or a half
  year's period shows the review of its year once it is recorded (before that the area has no
  denominator: the leaf does not apply yet), since no review exists for a part of a year. An
  indicator set puts this leaf on its annual periods' set; it is the secretary's own result, so
  it is not summed over the subtree.
- 书记项目按期推进率 (workforce.projects_on_track): of the secretary projects of that year in the
  area's subtree (its own secretary's and those below, the stopped ones left out), those not late
  as of the period's end (or today, for a period still running): a project running past its
  planned end, or with a milestone due before that day and not done by it, is late.
- The dashboards' figure: the secretary projects late now, under each area."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.db import figures_by_key
from core.registry import Figure, IndicatorSource, registry
from orgs.models import Area
from orgs.scoping import as_levels, each_subtree_sql

from .models_secretaries import (
    SECRETARY_LEVELS,
    SecretaryMilestone,
    SecretaryProject,
    SecretaryProjectStatus,
    SecretaryReport,
)

AREA = Area._meta.db_table
REPORT = SecretaryReport._meta.db_table
PROJECT = SecretaryProject._meta.db_table
MILESTONE = SecretaryMilestone._meta.db_table
LEVELS = tuple(SECRETARY_LEVELS)

REVIEW_SQL = f"""
    SELECT a.id, sum(r.good + r.fairly_good), sum(r.voters)
      FROM {AREA} a JOIN {REPORT} r ON r.area_id = a.id
     WHERE a.level = ANY(%(levels)s) AND r.year = %(year)s
     GROUP BY a.id
"""

LATE = f"""(p.status = %(running)s AND (p.ends_on < %(day)s OR EXISTS (
    SELECT 1 FROM {MILESTONE} m
     WHERE m.project_id = p.id AND m.due_on < %(day)s AND (m.done_on IS NULL OR m.done_on > %(day)s))))"""

ON_TRACK_SQL = each_subtree_sql(
    f"count(*) FILTER (WHERE NOT {LATE}), count(*)",
    f"{AREA} a JOIN {PROJECT} p ON p.area_id = a.id",
    "p.year = %(year)s AND p.status <> %(stopped)s",
)
LATE_NOW_SQL = each_subtree_sql("count(*), 0", f"{AREA} a JOIN {PROJECT} p ON p.area_id = a.id", LATE)


def review_good_share(level, start, end):
    """{area id: (好 + 较好, voters)} of the review of the year of `end`, for each area of `level`."""
    return figures_by_key(REVIEW_SQL, {"levels": as_levels(level), "year": end.year})


def counted_on(end):
    return min(end, timezone.localdate())


def projects_on_track(level, start, end):
    """{area id: (projects not late, projects)} of the year of `end` under each area of `level`."""
    return figures_by_key(
        ON_TRACK_SQL,
        {
            "levels": as_levels(level),
            "year": end.year,
            "day": counted_on(end),
            "running": SecretaryProjectStatus.RUNNING.value,
            "stopped": SecretaryProjectStatus.STOPPED.value,
        },
    )


def late_now(level, start=None, end=None):
    return figures_by_key(
        LATE_NOW_SQL,
        {"levels": as_levels(level), "day": timezone.localdate(), "running": SecretaryProjectStatus.RUNNING.value},
    )


def within_url(name, **query):
    def url(area):
        return reverse(name) + "?" + urlencode({"within": area.code, **query})

    return url


def register():
    registry.add_indicator_source(
        IndicatorSource(
            "workforce.review_good_share",
            _("述职评议好评率"),
            LEVELS,
            review_good_share,
            numerator_label=_("评价为好和较好的票数"),
            denominator_label=_("评议人数"),
            records_url=within_url("workforce:secretaryreport_list"),
        )
    )
    registry.add_indicator_source(
        IndicatorSource(
            "workforce.projects_on_track",
            _("书记项目按期推进率"),
            LEVELS,
            projects_on_track,
            numerator_label=_("按期推进的书记项目"),
            denominator_label=_("本年度书记项目"),
            records_url=within_url("workforce:secretaryproject_list"),
            current_gaps_url=within_url("workforce:secretaryproject_list", late="true"),
        )
    )
    registry.add_figure(
        Figure(
            "workforce.secretary_projects_late",
            _("滞后的书记项目"),
            late_now,
            order=120,
            icon="flag",
            url=within_url("workforce:secretaryproject_list", late="true"),
        )
    )
