"""The rollup (issue #10): for a period, every computed leaf's value for every area of its levels
(one query per source and level: core.registry.IndicatorSource), its points by the leaf's rule,
each area's score — the weighted points of its own leaves, or else the mean of its children's
scores — level by level from the grids up to the city, and the rank among siblings with the
last-placed flagged. Everything of the period is rewritten in one transaction: running it twice
gives identical rows. A closed period is frozen and refused."""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.db import copy_rows
from core.registry import registry
from orgs.choices import AreaLevel
from orgs.models import Area

from .approvals import accepted_prefixes
from .choices import MEAN, PeriodStatus, Rule
from .models import AreaFigure, Entry, Period, Score, Value

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
ROLLUP_LOCK = 1001  # the advisory lock's first key: a rollup's; the second is the period's id
BOTTOM_UP = (
    AreaLevel.UNIT,
    AreaLevel.BUILDING,
    AreaLevel.GRID,
    AreaLevel.COMMUNITY,
    AreaLevel.STREET,
    AreaLevel.DISTRICT,
    AreaLevel.CITY,
)
SCORE, VALUE, INDICATOR, AREA = (
    Score._meta.db_table,
    Value._meta.db_table,
    "assessment_indicator",
    Area._meta.db_table,
)

# An area's own score: the weighted points of the leaves it has values for.
OWN_SCORES_SQL = f"""
    INSERT INTO {SCORE} (period_id, area_id, points, rank, siblings, last_place)
    SELECT v.period_id, v.area_id, round(sum(i.weight * v.points) / nullif(sum(i.weight), 0), 2), 0, 0, false
      FROM {VALUE} v
      JOIN {INDICATOR} i ON i.id = v.indicator_id
      JOIN {AREA} a ON a.id = v.area_id
     WHERE v.period_id = %(period)s AND a.level = %(level)s AND i.weight > 0
     GROUP BY v.period_id, v.area_id
"""
# An area with no leaf of its own: the mean of its children's scores.
CHILDREN_SCORES_SQL = f"""
    INSERT INTO {SCORE} (period_id, area_id, points, rank, siblings, last_place)
    SELECT %(period)s, a.id, round(avg(s.points), 2), 0, 0, false
      FROM {AREA} a
      JOIN {AREA} child ON child.parent_id = a.id
      JOIN {SCORE} s ON s.area_id = child.id AND s.period_id = %(period)s
     WHERE a.level = %(level)s
       AND NOT EXISTS (SELECT 1 FROM {SCORE} own WHERE own.period_id = %(period)s AND own.area_id = a.id)
     GROUP BY a.id
"""
# The same, weighted by a registered weight of each child (core.registry.AreaWeight).
WEIGHTED_CHILDREN_SCORES_SQL = f"""
    INSERT INTO {SCORE} (period_id, area_id, points, rank, siblings, last_place)
    SELECT %(period)s, a.id, round(sum(s.points * w.weight) / nullif(sum(w.weight), 0), 2), 0, 0, false
      FROM {AREA} a
      JOIN {AREA} child ON child.parent_id = a.id
      JOIN {SCORE} s ON s.area_id = child.id AND s.period_id = %(period)s
      JOIN unnest(%(ids)s::bigint[], %(weights)s::numeric[]) AS w(area_id, weight) ON w.area_id = child.id
     WHERE a.level = %(level)s
       AND NOT EXISTS (SELECT 1 FROM {SCORE} own WHERE own.period_id = %(period)s AND own.area_id = a.id)
     GROUP BY a.id
    HAVING sum(w.weight) > 0
"""
FIGURE_LEVELS = (AreaLevel.CITY, AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMUNITY, AreaLevel.GRID)
RANKS_SQL = f"""
    UPDATE {SCORE} s
       SET rank = r.rank, siblings = r.siblings,
           last_place = r.siblings > 1 AND r.rank > r.siblings - greatest(%(last)s, ceil(r.siblings * %(share)s))
      FROM (SELECT s.id,
                   rank() OVER (PARTITION BY a.parent_id, a.level ORDER BY s.points DESC) AS rank,
                   count(*) OVER (PARTITION BY a.parent_id, a.level) AS siblings
              FROM {SCORE} s JOIN {AREA} a ON a.id = s.area_id
             WHERE s.period_id = %(period)s) r
     WHERE s.id = r.id
"""


def lock_period(period):
    """Wait for any rollup of `period` under way, and keep the next one out until this transaction
    ends: the rollup takes it, and so does closing the period."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ROLLUP_LOCK, period.pk])


def points(indicator, value):
    """The points (0–100) a value (a share, 0–1) earns by the indicator's rule (a rank among
    siblings is scored by `rank_points` once all the siblings' values are known)."""
    if indicator.rule == Rule.THRESHOLDS:
        for bound, earned in sorted(indicator.thresholds, key=lambda pair: -Decimal(str(pair[0]))):
            if value >= Decimal(str(bound)):
                return Decimal(str(earned)).quantize(CENT)
        return Decimal("0.00")
    if indicator.rule == Rule.RANK:
        return Decimal("0.00")
    share = (value - indicator.floor) / (indicator.target - indicator.floor)
    return (HUNDRED * min(max(share, Decimal(0)), Decimal(1))).quantize(CENT)


def rank_points(values, parents):
    """Points by rank among siblings (those with the same parent): the first 100, the last 0, the
    rest evenly between; ties share the better rank."""
    groups = defaultdict(list)
    for value in values:
        groups[parents[value.area_id]].append(value)
    for siblings in groups.values():
        ordered = sorted(value.value for value in siblings)
        for value in siblings:
            better = sum(1 for other in ordered if other > value.value)
            share = Decimal(1) if len(siblings) == 1 else Decimal(len(siblings) - 1 - better) / (len(siblings) - 1)
            value.points = (HUNDRED * share).quantize(CENT)


def computed_figures(leaf, period):
    """{area id: (numerator, denominator)} of a computed leaf for the areas of all its levels, from
    its registered source."""
    figures = registry.indicator_sources[leaf.source].compute(leaf.levels, period.start, period.end)
    return {area_id: pair for area_id, pair in figures.items() if pair[1]}  # no denominator: not applicable


def entered_figures(leaf, level, period, accepted, entries):
    """{area id: (numerator, denominator)} of an entered leaf for every area of `level`: the value
    entered where the area or its street was accepted, else nothing (0 points: a value not entered,
    or not accepted, does not count)."""
    figures = dict.fromkeys(Area.objects.filter(level=level).values_list("id", flat=True), (0, 0))
    for area_id, code, numerator, denominator in entries.get(leaf.pk, ()):
        if area_id in figures and any(code.startswith(prefix) for prefix in accepted):
            figures[area_id] = (numerator, denominator)
    return figures


def leaf_values(period, leaf, figures):
    values = []
    for area_id, (numerator, denominator) in figures.items():
        value = (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001")) if denominator else Decimal(0)
        values.append(
            Value(
                period=period,
                indicator=leaf,
                area_id=area_id,
                numerator=numerator,
                denominator=denominator,
                value=value,
                points=points(leaf, value),
            )
        )
    if leaf.rule == Rule.RANK and values:
        rank_points(values, dict(Area.objects.filter(level__in=leaf.levels).values_list("id", "parent_id")))
    return values


def area_figures(period):
    """Every registered headline figure for every area from the city down to the grids, as rows
    of (period, area, key, numerator, denominator): one query a figure, for all its levels."""
    for figure in registry.figures:
        for area_id, (numerator, denominator) in figure.compute(FIGURE_LEVELS, period.start, period.end).items():
            yield period.pk, area_id, figure.key, numerator, denominator


def children_scores(cursor, period, level, aggregation):
    if aggregation == MEAN:
        cursor.execute(CHILDREN_SCORES_SQL, {"period": period.pk, "level": str(level)})
        return
    child_level = BOTTOM_UP[BOTTOM_UP.index(level) - 1]
    weights = registry.area_weights[aggregation].compute(str(child_level))
    cursor.execute(
        WEIGHTED_CHILDREN_SCORES_SQL,
        {
            "period": period.pk,
            "level": str(level),
            "ids": list(weights),
            "weights": [Decimal(w) for w in weights.values()],
        },
    )


def steps(period):
    """How many steps a rollup of `period` reports: its leaves, then the headline figures."""
    indicators = period.indicator_set.indicators.exclude(levels=[])
    return indicators.count() + 1


def rollup(period, progress=None):
    """Write the period's values, scores and headline figures anew. Returns (values written,
    scores written)."""
    if period.status == PeriodStatus.CLOSED:
        raise ValidationError(_("考核周期已关闭，结果已冻结，不能重新计算。"))
    indicator_set = period.indicator_set
    leaves = [leaf for leaf in indicator_set.indicators.all() if leaf.is_leaf]
    total = len(leaves) + 1
    entries = defaultdict(list)
    for row in Entry.objects.filter(period=period).values_list(
        "indicator_id", "area_id", "area__code", "numerator", "denominator"
    ):
        entries[row[0]].append(row[1:])
    accepted = accepted_prefixes(period)
    with transaction.atomic():
        lock_period(period)  # one rollup of a period at a time (the night's and a click), and not past its closing
        if Period.objects.filter(pk=period.pk, status=PeriodStatus.CLOSED).exists():
            raise ValidationError(_("考核周期已关闭，结果已冻结，不能重新计算。"))
        for model in (Value, Score, AreaFigure):
            model.objects.filter(period=period).delete()
        values = []
        for n, leaf in enumerate(leaves, 1):
            if leaf.entered:
                figures = {}
                for level in leaf.levels:
                    figures.update(entered_figures(leaf, level, period, accepted, entries))
            else:
                figures = computed_figures(leaf, period)  # every level of the leaf in one query
            values += leaf_values(period, leaf, figures)
            if progress:
                progress(n, total)
        copy_rows(
            Value,
            ["period", "indicator", "area", "numerator", "denominator", "value", "points"],
            ((period.pk, v.indicator_id, v.area_id, v.numerator, v.denominator, v.value, v.points) for v in values),
        )
        with connection.cursor() as cursor:
            for level in BOTTOM_UP:
                cursor.execute(OWN_SCORES_SQL, {"period": period.pk, "level": str(level)})
                if level != BOTTOM_UP[0]:
                    children_scores(cursor, period, level, indicator_set.aggregation)
            cursor.execute(
                RANKS_SQL,
                {"period": period.pk, "last": indicator_set.last_places, "share": indicator_set.last_share},
            )
        figures = list(area_figures(period))  # read before the COPY: the connection is busy during it
        copy_rows(AreaFigure, ["period", "area", "key", "numerator", "denominator"], figures)
        period.rolled_up_at = timezone.now()  # what the dashboards say their figures date from
        Period.objects.filter(pk=period.pk).update(rolled_up_at=period.rolled_up_at)
        if progress:
            progress(total, total)
        return len(values), Score.objects.filter(period=period).count()
