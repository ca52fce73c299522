"""Red property's figures for the assessment (issue 18), each computed for every area of a level in
one query and registered in core.registry (IndicatorSource, Figure): the compounds under
management, the owners' committees with a party majority (Jilin's rule, seed 003) and the ledger
entries closed on time (清零, seed 003); the dashboards' compounds and 无物业 remaining.

The mean grade of the companies serving an area is the annual evaluation's: `register_company_grade`
is its hook, called by `register_evaluation_sources` with `company_grade` on the evaluation's models.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.db import figures_by_key
from core.registry import AreaWeight, Figure, IndicatorSource, registry
from orgs.choices import AreaLevel
from orgs.models import Area
from orgs.scoping import as_levels, each_subtree_sql, within, within_sql

from .choices import LedgerStatus, ManagementMode
from .models import CommitteeMember, Compound, LedgerEntry, OwnersCommittee

AREA = Area._meta.db_table
COMPOUND = Compound._meta.db_table
COMMITTEE = OwnersCommittee._meta.db_table
MEMBER = CommitteeMember._meta.db_table
LEDGER = LedgerEntry._meta.db_table
ASSESSED_LEVELS = (AreaLevel.STREET, AreaLevel.COMMUNITY)

# Of the compounds of the communities under each area, how many have a mode (not 无物业).
MANAGED_SQL = each_subtree_sql(
    "count(*) FILTER (WHERE c.mode <> %(none)s), count(*)", f"{AREA} a JOIN {COMPOUND} c ON c.community_id = a.id"
)
# The households of the compounds of the communities under each area: the weight "property.households"
# (the assessment's weighted mean, the workforce's staffing against workers per 1,000 households).
HOUSEHOLDS_SQL = each_subtree_sql("sum(c.households)", f"{AREA} a JOIN {COMPOUND} c ON c.community_id = a.id")
HOUSEHOLDS_WITHIN_SQL = each_subtree_sql(
    "sum(c.households)",
    f"{AREA} a JOIN {COMPOUND} c ON c.community_id = a.id",
    within_sql("a.code", "%(root)s"),
)
COMPOUNDS_SQL = each_subtree_sql("count(*), 0", f"{AREA} a JOIN {COMPOUND} c ON c.community_id = a.id")
# The compounds still on the ledger: open entries (one a compound at most).
REMAINING_SQL = each_subtree_sql(
    "count(*), 0",
    f"""{AREA} a JOIN {COMPOUND} c ON c.community_id = a.id
      JOIN {LEDGER} e ON e.compound_id = c.id AND e.status = %(open)s""",
)
# Each compound's committee in office on the day (the newest whose term began by then), with or
# without a party majority among its members; then, per area, how many of those under it have one.
PARTY_MAJORITY_SQL = f"""
    WITH counted AS (
        SELECT committee_id, count(*) FILTER (WHERE is_party_member) AS party, count(*) AS n
          FROM {MEMBER} GROUP BY committee_id),
    sitting AS MATERIALIZED (
        SELECT c.community_id, COALESCE(2 * m.party > m.n, false) AS ok
          FROM {COMMITTEE} oc
          JOIN {COMPOUND} c ON c.id = oc.compound_id
          LEFT JOIN counted m ON m.committee_id = oc.id
         WHERE oc.term_start <= %(day)s
           AND NOT EXISTS (SELECT 1 FROM {COMMITTEE} newer
                            WHERE newer.compound_id = oc.compound_id AND newer.term_start <= %(day)s
                              AND (newer.term_start, newer.id) > (oc.term_start, oc.id)))
    {each_subtree_sql("count(*) FILTER (WHERE s.ok), count(*)", f"sitting s JOIN {AREA} a ON a.id = s.community_id")}
"""
# The entries due in the period — deadline by its last day (or today while it runs), or closed in
# it — and not closed before it began; of them, those closed (销号) by their deadline and by the
# period's end. A closed entry's `at` is when it was closed: closing is its last change (reopening
# makes it open again).
CLOSED = "(e.at AT TIME ZONE %(tz)s)::date"
CLOSED_ON_TIME_SQL = each_subtree_sql(
    f"""count(*) FILTER (WHERE e.status = %(closed)s AND {CLOSED} <= e.deadline AND {CLOSED} <= %(end)s),
       count(*)""",
    f"{AREA} a JOIN {COMPOUND} c ON c.community_id = a.id JOIN {LEDGER} e ON e.compound_id = c.id",
    f"""NOT (e.status = %(closed)s AND {CLOSED} < %(start)s)
        AND (e.deadline <= %(day)s OR (e.status = %(closed)s AND {CLOSED} <= %(end)s))""",
)


def as_of(end):
    """The day a period's committees are counted on: its last day, or today while it runs."""
    return min(end, timezone.localdate())


def managed(level, start, end):
    """Of the compounds under each area of `level`, how many are under management (any mode but
    无物业) — as they stand now: a compound's mode keeps no dates."""
    return figures_by_key(MANAGED_SQL, dict(levels=as_levels(level), none=ManagementMode.NONE.value))


def compounds(level, start=None, end=None):
    """The compounds under each area of `level` (a count)."""
    return figures_by_key(COMPOUNDS_SQL, dict(levels=as_levels(level)))


def remaining(level, start=None, end=None):
    """The compounds under each area of `level` still on the ledger (无物业, an open entry)."""
    return figures_by_key(REMAINING_SQL, dict(levels=as_levels(level), open=LedgerStatus.OPEN.value))


def party_majority(level, start, end):
    """Of the compounds' owners' committees in office under each area of `level` on the period's
    last day (or today), how many have party members as a majority of their members."""
    return figures_by_key(PARTY_MAJORITY_SQL, dict(levels=as_levels(level), day=as_of(end)))


def closed_on_time(level, start, end):
    """Of the ledger entries under each area of `level` due in the period (deadline by its last day
    or today, or closed in it) and still open when it began, how many were closed (销号) by their
    deadline."""
    params = dict(
        levels=as_levels(level),
        start=start,
        end=end,
        day=as_of(end),
        closed=LedgerStatus.CLOSED.value,
        tz=settings.TIME_ZONE,
    )
    return figures_by_key(CLOSED_ON_TIME_SQL, params)


def live_counts(area):
    """The compounds under `area` and those still on the ledger, as the lists show them now, in one
    query for both (kept on the area object for the other). Not declared as the figures' `live`:
    the district dashboard is at its query budget (bench/pages.py: 25) and the query would pass it."""
    counts = area.__dict__.get("_property_live")
    if counts is None:
        counts = Compound.objects.filter(within("community__code", area.code)).aggregate(
            compounds=Count("pk", distinct=True),
            remaining=Count("ledger_entries", filter=Q(ledger_entries__status=LedgerStatus.OPEN)),
        )
        area.__dict__["_property_live"] = counts
    return counts


def compounds_now(area):
    return live_counts(area)["compounds"], 0


def remaining_now(area):
    return live_counts(area)["remaining"], 0


def within_url(url_name, **query):
    def url(area):
        return reverse(url_name) + "?" + urlencode({"within": area.code, **query})

    return url


COMPANY_GRADE = _("物业企业服务质量平均等级")


def register_company_grade(compute, label=COMPANY_GRADE, levels=ASSESSED_LEVELS):
    """The hook of the annual evaluation (物业服务质量评价): the mean grade of the companies serving
    each area, `compute(level, start, end)` → {area id: (sum of grade points, 4 × companies)} in one
    query, registered by the evaluation's module once its models exist; its records are the
    companies serving the area."""
    return registry.add_indicator_source(
        IndicatorSource(
            "property.company_grade",
            label,
            levels,
            compute,
            records_url=within_url("property:propertycompany_list"),
            numerator_label=_("服务企业等级分合计（A级4分、B级3分、C级2分、D级1分）"),
            denominator_label=_("服务企业满分合计（每家4分）"),
        )
    )


# Each company's grade of the period's year, as the ranking gives it (property/evaluation.py): its
# mean total over its compounds whose result the street approved or 住建 confirmed, rounded to two
# places, against the thresholds of the year's scheme (or the latest before it). Per area, the
# companies serving a compound under it, each once, with a grade: A counts 4, B 3, C 2, D 1, out of 4
# each (the assessment's figures are whole numbers).
GRADE_POINTS = (("A", 4), ("B", 3), ("C", 2), ("D", 1))
COMPANY_GRADE_SQL = """
    WITH scheme AS (
        SELECT grade_a, grade_b, grade_c FROM {scheme} WHERE year <= %(year)s ORDER BY year DESC LIMIT 1),
    means AS (
        SELECT company_id, round(avg(total), 2) AS mean FROM {evaluation}
         WHERE year = %(year)s AND status = ANY(%(ranked)s) AND total IS NOT NULL GROUP BY company_id),
    graded AS MATERIALIZED (
        SELECT m.company_id, CASE WHEN m.mean >= s.grade_a THEN 'A' WHEN m.mean >= s.grade_b THEN 'B'
                                  WHEN m.mean >= s.grade_c THEN 'C' ELSE 'D' END AS grade
          FROM means m CROSS JOIN scheme s),
    serving AS MATERIALIZED (
        SELECT DISTINCT community_id, company_id FROM {compound} WHERE company_id IS NOT NULL)
    {each}
"""


def company_grade_sql():
    from .models_evaluation import EvaluationScheme, PropertyEvaluation

    points = " + ".join(
        f"{n} * count(DISTINCT s.company_id) FILTER (WHERE g.grade = '{grade}')" for grade, n in GRADE_POINTS
    )
    each = each_subtree_sql(
        f"{points}, 4 * count(DISTINCT s.company_id)",
        f"serving s JOIN {AREA} a ON a.id = s.community_id JOIN graded g ON g.company_id = s.company_id",
    )
    return COMPANY_GRADE_SQL.format(
        scheme=EvaluationScheme._meta.db_table,
        evaluation=PropertyEvaluation._meta.db_table,
        compound=COMPOUND,
        each=each,
    )


def grades_under(area, year):
    """{grade: companies} of the companies serving a compound under `area` with a grade for `year`
    (as `company_grade` grades them): one query, whatever the size of the subtree."""
    from .evaluation import RANKED
    from .models_evaluation import EvaluationScheme, PropertyEvaluation

    sql = COMPANY_GRADE_SQL.format(
        scheme=EvaluationScheme._meta.db_table,
        evaluation=PropertyEvaluation._meta.db_table,
        compound=COMPOUND,
        each=f"""SELECT g.grade, count(DISTINCT s.company_id)
                   FROM serving s JOIN {AREA} a ON a.id = s.community_id
                   JOIN graded g ON g.company_id = s.company_id
                  WHERE a.code = %(code)s OR (a.code > %(code)s AND a.code < %(code)s || ':')
                  GROUP BY g.grade""",
    )
    found = figures_by_key(sql, dict(year=year, ranked=[str(status) for status in RANKED], code=area.code))
    return {grade: row[0] for grade, row in found.items()}


def company_grade(level, start, end):
    """Of the companies serving compounds under each area of `level` that have a grade for the
    period's year (the year of its last day), the sum of their grade points (A 4, B 3, C 2, D 1)
    and 4 × their number: the mean grade as a share of an A. One query for every area."""
    from .evaluation import RANKED

    params = dict(levels=as_levels(level), year=end.year, ranked=[str(status) for status in RANKED])
    return figures_by_key(company_grade_sql(), params)


def register_evaluation_sources():
    """The evaluation's source on the hook above (called once the evaluation's models are loaded)."""
    register_company_grade(company_grade)


def households(level, within=None):
    """{area id: households} of the compounds recorded under every area of `level` — or of those
    within the area of code `within` (its compounds alone are read) — in one query."""
    sql, extra = (HOUSEHOLDS_SQL, {}) if within is None else (HOUSEHOLDS_WITHIN_SQL, {"root": within})
    return {
        key: int(total) for key, (total,) in figures_by_key(sql, {"levels": as_levels(level), **extra}).items() if total
    }


def register():
    registry.add_area_weight(AreaWeight("property.households", _("按小区户数加权平均"), households))
    registry.add_indicator_source(
        IndicatorSource(
            "property.compounds_managed",
            _("小区物业管理覆盖率"),
            ASSESSED_LEVELS,
            managed,
            records_url=within_url("property:compound_list"),
            current_gaps_url=within_url("property:compound_list", mode=ManagementMode.NONE.value),
            numerator_label=_("有物业管理的小区"),
            denominator_label=_("小区"),
        )
    )
    registry.add_indicator_source(
        IndicatorSource(
            "property.committees_party_majority",
            _("业委会党员过半率"),
            ASSESSED_LEVELS,
            party_majority,
            records_url=within_url("property:ownerscommittee_list"),
            current_gaps_url=within_url("property:ownerscommittee_list", minority="true"),
            numerator_label=_("党员过半的业委会"),
            denominator_label=_("在任业委会"),
        )
    )
    registry.add_indicator_source(
        IndicatorSource(
            "property.ledger_closed_on_time",
            _("无物业小区按期销号率"),
            ASSESSED_LEVELS,
            closed_on_time,
            records_url=within_url("property:ledgerentry_list"),
            current_gaps_url=within_url("property:ledgerentry_list", status=LedgerStatus.OPEN.value),
            numerator_label=_("按期销号的台账"),
            denominator_label=_("到期应销号的台账"),
        )
    )
    registry.add_figure(
        Figure(
            "property.compounds",
            _("小区"),
            compounds,
            order=70,
            icon="buildings",
            url=within_url("property:compound_list"),
        )
    )
    registry.add_figure(
        Figure(
            "property.remaining",
            _("无物业小区"),
            remaining,
            order=71,
            icon="exclamation-triangle",
            url=within_url("property:ledgerentry_list", status=LedgerStatus.OPEN.value),
        )
    )
