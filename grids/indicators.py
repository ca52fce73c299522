"""The roster's figures for the assessment (issue #10), each computed for every area of a level in
one query and registered in core.registry (IndicatorSource): the coverage of the three heads and
the share of heads who are party members, as of the period's last day."""

from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.db import figures_by_key
from core.registry import AreaWeight, Figure, IndicatorSource, registry
from orgs.choices import AreaLevel
from orgs.scoping import as_levels, each_subtree_sql

from .choices import HEAD_OF_LEVEL, HEAD_POSTS, PARTY_STATUSES
from .coverage import AREA, COVERED_LEVELS, COVERING, IS_PARTY, PERSON, POST, coverage

ASSESSED_LEVELS = (AreaLevel.STREET, AreaLevel.COMMUNITY, AreaLevel.GRID)

HEAD_COVERAGE_SQL = each_subtree_sql(
    f"""count(*) FILTER (WHERE EXISTS (
           SELECT 1 FROM {POST} h WHERE h.area_id = a.id AND {COVERING} AND h.post = %(post)s)), count(*)""",
    f"{AREA} a",
    "a.level = %(covered)s",
)
PARTY_HEADS_SQL = each_subtree_sql(
    f"count(DISTINCT p.id) FILTER (WHERE {IS_PARTY}), count(DISTINCT p.id)",
    f"""{AREA} a
      JOIN {POST} h ON h.area_id = a.id AND {COVERING} AND h.post = ANY(%(posts)s)
      JOIN {PERSON} p ON p.id = h.person_id""",
)


GRID_COUNT_SQL = each_subtree_sql("count(*), 0", f"{AREA} a", "a.level = %(grid)s")
# The three heads together: of the grids, buildings and units under each area, how many have
# their head (the grid's 网格长, the building's 楼栋长, the unit's 单元长).
HEADS_COVERAGE_SQL = each_subtree_sql(
    f"""count(*) FILTER (WHERE EXISTS (
           SELECT 1 FROM {POST} h WHERE h.area_id = a.id AND {COVERING} AND h.post = CASE a.level
               WHEN %(grid)s THEN %(grid_head)s WHEN %(building)s THEN %(building_head)s ELSE %(unit_head)s END)),
       count(*)""",
    f"{AREA} a",
    "a.level IN (%(grid)s, %(building)s, %(unit)s)",
)


def as_of(end):
    """The day a period's roster figures are counted on: its last day, or today while it runs — a
    head appointed from a later day (待到任) does not cover yet, as the coverage page says."""
    return min(end, timezone.localdate())


def heads_coverage_now(area):
    """The three heads' coverage of `area` as its coverage page shows it now: the grids, buildings
    and units under it with their head, of all of them (tallies for a street and above)."""
    found = coverage(area)
    levels = [found.level(level) for level in COVERED_LEVELS]
    return sum(c.covered for c in levels), sum(c.total for c in levels)


def coverage_url(area):
    return reverse("grids:coverage", args=[area.code])


def grid_count(level, start=None, end=None):
    """The grids under each area of `level` (as numerator; a count has no denominator)."""
    return figures_by_key(GRID_COUNT_SQL, dict(levels=as_levels(level), grid=AreaLevel.GRID))


def heads_coverage(level, start, end):
    params = dict(levels=as_levels(level), today=as_of(end), **{str(lv): str(lv) for lv in HEAD_OF_LEVEL})
    params.update({f"{lv}_head": str(post) for lv, post in HEAD_OF_LEVEL.items()})
    return figures_by_key(HEADS_COVERAGE_SQL, params)


def roster_url(area):
    return reverse("grids:roster", args=[area.code])


def gaps_url(covered):
    """The coverage page's vacancies as of `end`: the period's last day, or today while it runs —
    the day the figure counts (the breakdown passes it)."""

    def url(area, start, end):
        return reverse("grids:coverage", args=[area.code]) + f"?level={covered}&on={end:%Y-%m-%d}#gaps"

    return url


def head_coverage(covered):
    def compute(level, start, end):
        """Of the `covered` areas under each area of `level`, how many have a head on `end` (or today)."""
        post = HEAD_OF_LEVEL[covered]
        return figures_by_key(
            HEAD_COVERAGE_SQL, dict(levels=as_levels(level), covered=covered, post=str(post), today=as_of(end))
        )

    return compute


def party_heads(level, start, end):
    """Of the people holding a head post under each area of `level` on `end`, how many are party
    members (by the roster or by the party's member register)."""
    posts, party = [str(p) for p in HEAD_POSTS], [str(s) for s in PARTY_STATUSES]
    return figures_by_key(PARTY_HEADS_SQL, dict(levels=as_levels(level), posts=posts, party=party, today=as_of(end)))


def register():
    for covered, label, what in (
        (AreaLevel.GRID, _("网格长覆盖率"), _("网格")),
        (AreaLevel.BUILDING, _("楼栋长覆盖率"), _("楼栋")),
        (AreaLevel.UNIT, _("单元长覆盖率"), _("单元")),
    ):
        registry.add_indicator_source(
            IndicatorSource(
                f"grids.{covered}_head_coverage",
                label,
                ASSESSED_LEVELS if covered != AreaLevel.GRID else (AreaLevel.STREET, AreaLevel.COMMUNITY),
                head_coverage(covered),
                records_url=roster_url,
                gaps_url=gaps_url(covered),
                numerator_label=format_lazy(_("有{post}的{what}"), post=HEAD_OF_LEVEL[covered].label, what=what),
                denominator_label=what,
            )
        )
    registry.add_indicator_source(
        IndicatorSource(
            "grids.party_heads_share",
            _("“三长”中党员占比"),
            ASSESSED_LEVELS,
            party_heads,
            records_url=roster_url,
            numerator_label=_("党员“三长”"),
            denominator_label=_("“三长”"),
        )
    )
    for covered in (AreaLevel.GRID, AreaLevel.BUILDING, AreaLevel.UNIT):
        registry.add_figure(
            Figure(
                f"grids.{covered}_heads",
                HEAD_OF_LEVEL[covered].label,
                head_coverage(covered),
                order=60,
                share=True,
                coverage=True,
            )
        )
    registry.add_figure(Figure("grids.grids", _("网格"), grid_count, order=30, icon="grid-3x3"))
    registry.add_figure(
        Figure(
            "grids.heads_coverage",
            _("“三长”合计覆盖率"),
            heads_coverage,
            order=40,
            icon="people",
            share=True,
            live=heads_coverage_now,
            url=coverage_url,
        )
    )
    registry.add_area_weight(
        AreaWeight(
            "grids.grid_count",
            _("按网格数加权平均"),
            # every area of the level, `within` or not: a superset, as AreaWeight allows
            lambda level, within=None: {k: n for k, (n, _d) in grid_count(level).items()},
        )
    )
