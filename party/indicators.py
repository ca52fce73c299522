"""The party side's figures for the assessment (issue #10), each computed for every area of a level
in one query and registered in core.registry (IndicatorSource): grid branches per grid, the
organisations whose meetings kept their required frequency in the period, and the in-service
members reported there who served in the period."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import calendar
from core.calendar import Quarter
from core.db import figures_by_key
from core.registry import Figure, IndicatorSource, registry
from orgs.choices import AreaLevel
from orgs.models import Area
from orgs.scoping import as_levels, each_subtree_sql

from . import tallies
from .choices import REQUIRED_EVERY, REQUIRED_MEETINGS, OrgKind
from .models import InServiceMember, Meeting, PartyMember, PartyOrganisation, ServiceRecord

AREA = Area._meta.db_table
ORGANISATION = PartyOrganisation._meta.db_table
MEETING = Meeting._meta.db_table
IN_SERVICE = InServiceMember._meta.db_table
SERVICE = ServiceRecord._meta.db_table
MEMBER = PartyMember._meta.db_table
ASSESSED_LEVELS = (AreaLevel.STREET, AreaLevel.COMMUNITY)

GRID_BRANCHES_SQL = each_subtree_sql(
    f"""count(*) FILTER (WHERE EXISTS (
           SELECT 1 FROM {ORGANISATION} o WHERE o.area_id = a.id AND o.kind = %(branch)s)), count(*)""",
    f"{AREA} a",
    "a.level = %(grid)s",
)
# Each organisation that must hold meetings: did it hold every required kind as often as the
# period's months require? Then, per area, how many of those under it did.
KEPT_UNDER_EACH_AREA = each_subtree_sql(
    "count(*) FILTER (WHERE kept.ok), count(*)", f"kept JOIN {AREA} a ON a.id = kept.area_id"
)
MEETINGS_SQL = f"""
    WITH req(org_kind, kind, every) AS (VALUES {{values}}),
    held AS (
        SELECT organisation_id, kind, count(*) AS n FROM {MEETING}
         WHERE held_on BETWEEN %(start)s AND %(end)s GROUP BY organisation_id, kind),
    kept AS MATERIALIZED (
        SELECT o.id, o.area_id, bool_and(COALESCE(h.n, 0) >= %(months)s / req.every) AS ok
          FROM {ORGANISATION} o
          JOIN req ON req.org_kind = o.kind
          LEFT JOIN held h ON h.organisation_id = o.id AND h.kind = req.kind
         GROUP BY o.id, o.area_id)
    {KEPT_UNDER_EACH_AREA}
"""
IN_SERVICE_SQL = each_subtree_sql(
    f"""count(*) FILTER (WHERE EXISTS (
           SELECT 1 FROM {SERVICE} s WHERE s.member_id = m.id AND s.served_on BETWEEN %(start)s AND %(end)s
                                   AND s.confirmed_at IS NOT NULL)),
       count(*)""",
    f"{AREA} a JOIN {IN_SERVICE} m ON m.community_id = a.id AND m.reported_on <= %(end)s",
)


ORGANISATIONS_SQL = each_subtree_sql("count(*), 0", f"{AREA} a JOIN {ORGANISATION} o ON o.area_id = a.id")
MEMBERS_SQL = each_subtree_sql(
    "count(*), 0",
    f"""{AREA} a
      JOIN {ORGANISATION} o ON o.area_id = a.id
      JOIN {MEMBER} m ON m.organisation_id = o.id""",
)


def organisations(level, start, end):
    """The party organisations under each area of `level`."""
    return figures_by_key(ORGANISATIONS_SQL, {"levels": as_levels(level)})


def members(level, start, end):
    """The party members registered in the organisations under each area of `level`."""
    return figures_by_key(MEMBERS_SQL, {"levels": as_levels(level)})


def organisations_now(area):
    """The party organisations under `area` as the organisation list shows them now (the tally
    kept per area code: a city's dashboard counted 11,600 organisations on every view)."""
    return tallies.FIGURES.sum(area.code)["organisations"], 0


def members_now(area):
    """The party members registered in the organisations under `area`, as the member list shows
    them (the tally: a city's dashboard counted 280,000 members on every view)."""
    return tallies.FIGURES.sum(area.code)["members"], 0


def within_url(url_name, **query):
    def url(area):
        return reverse(url_name) + "?" + urlencode({"within": area.code, **query})

    return url


def schedule_url(area, start, end):
    """The meeting schedule of the period's quarter; None for a period longer than a quarter (the
    schedule shows one quarter at a time)."""
    quarter = Quarter.of(start)
    if end not in quarter:
        return None
    return reverse("party:meeting_schedule", args=[area.code]) + "?" + urlencode({calendar.QUERY: quarter.key})


def grid_branches(level, start, end):
    """Of the grids under each area of `level`, how many have a grid party branch."""
    return figures_by_key(
        GRID_BRANCHES_SQL, dict(levels=as_levels(level), grid=AreaLevel.GRID, branch=OrgKind.GRID_BRANCH)
    )


def meetings_kept(level, start, end):
    """Of the organisations under each area of `level` that must hold meetings, how many held each
    required kind as often as the period requires (三会一课: a quarter asks three 支委会 and one 党课)."""
    required = [
        (str(org_kind), str(kind), REQUIRED_EVERY[kind])
        for org_kind, kinds in REQUIRED_MEETINGS.items()
        for kind in kinds
    ]
    values = ", ".join(f"(%(o{n})s, %(k{n})s, %(e{n})s)" for n in range(len(required)))
    # A period under way asks for the months ended so far: the month under way is not yet missed.
    params = dict(levels=as_levels(level), start=start, end=end, months=calendar.months_ended(start, end))
    for n, (org_kind, kind, every) in enumerate(required):
        params.update({f"o{n}": org_kind, f"k{n}": kind, f"e{n}": every})
    return figures_by_key(MEETINGS_SQL.format(values=values), params)


def in_service_active(level, start, end):
    """Of the in-service members reported to the communities under each area of `level` by `end`,
    how many did a service in the period that the community confirmed (a unit's own entry counts
    once checked)."""
    return figures_by_key(IN_SERVICE_SQL, dict(levels=as_levels(level), start=start, end=end))


def register():
    registry.add_indicator_source(
        IndicatorSource(
            "orgs.grid_branches",
            _("网格党支部覆盖率"),
            ASSESSED_LEVELS,
            grid_branches,
            records_url=within_url("party:partyorganisation_list", kind=OrgKind.GRID_BRANCH),
            current_gaps_url=lambda area: reverse("party:party_chart", args=[area.code]),  # today's organisations
            numerator_label=_("建有党支部的网格"),
            denominator_label=_("网格"),
        )
    )
    registry.add_indicator_source(
        IndicatorSource(
            "orgs.meetings_kept",
            _("“三会一课”按期开展率"),
            (*ASSESSED_LEVELS, AreaLevel.GRID),
            meetings_kept,
            records_url=within_url("party:meeting_list"),
            gaps_url=schedule_url,
            current_gaps_url=lambda area: reverse("party:meeting_schedule", args=[area.code]),
            numerator_label=_("按期开展的党组织"),
            denominator_label=_("应开展的党组织"),
        )
    )
    registry.add_indicator_source(
        IndicatorSource(
            "orgs.in_service_active",
            _("在职党员报到服务率"),
            ASSESSED_LEVELS,
            in_service_active,
            records_url=within_url("party:inservicemember_list"),
            current_gaps_url=within_url(
                "party:inservicemember_list", idle="unconfirmed"
            ),  # no confirmed service this quarter
            numerator_label=_("本期有社区确认服务的在职党员"),
            denominator_label=_("报到的在职党员"),
        )
    )
    registry.add_figure(
        Figure(
            "orgs.organisations",
            _("党组织"),
            organisations,
            order=10,
            icon="flag",
            live=organisations_now,
            url=within_url("party:partyorganisation_list"),
        )
    )
    registry.add_figure(
        Figure(
            "orgs.members",
            _("党员"),
            members,
            order=20,
            icon="person-badge",
            live=members_now,
            url=within_url("party:partymember_list"),
        )
    )
    registry.add_figure(
        Figure(
            "orgs.in_service",
            _("在职党员服务率"),
            in_service_active,
            order=50,
            icon="person-check",
            share=True,
        )
    )
