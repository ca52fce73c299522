"""The rollup (issue #10): for a period, every computed leaf's value for every area of its levels
(one query per source and level: core.registry.IndicatorSource), its points by the leaf's rule,
each area's score — the weighted points of its own leaves, or else the mean of its children's
scores — level by level from the grids up to the city, and the rank among siblings with the
last-placed flagged. Everything of the period is rewritten in one transaction: running it twice
gives identical rows. A closed period is frozen and refused."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from core.registry import registry
from orgs.choices import AreaLevel
from orgs.models import Area

from .choices import PeriodStatus, Rule
from .models import Score, Value

HUNDRED = Decimal(100)
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
RANKS_SQL = f"""
    UPDATE {SCORE} s
       SET rank = r.rank, siblings = r.siblings, last_place = r.siblings > 1 AND r.rank > r.siblings - %(last)s
      FROM (SELECT s.id,
                   rank() OVER (PARTITION BY a.parent_id, a.level ORDER BY s.points DESC) AS rank,
                   count(*) OVER (PARTITION BY a.parent_id, a.level) AS siblings
              FROM {SCORE} s JOIN {AREA} a ON a.id = s.area_id
             WHERE s.period_id = %(period)s) r
     WHERE s.id = r.id
"""


def points(indicator, value):
    """The points (0–100) a value (a share, 0–1) earns by the indicator's rule."""
    if indicator.rule == Rule.THRESHOLDS:
        for bound, earned in sorted(indicator.thresholds, key=lambda pair: -Decimal(str(pair[0]))):
            if value >= Decimal(str(bound)):
                return Decimal(str(earned)).quantize(Decimal("0.01"))
        return Decimal("0.00")
    share = (value - indicator.floor) / (indicator.target - indicator.floor)
    return (HUNDRED * min(max(share, Decimal(0)), Decimal(1))).quantize(Decimal("0.01"))


def rollup(period, progress=None):
    """Write the period's values and scores anew. Returns (values written, scores written)."""
    if period.status == PeriodStatus.CLOSED:
        raise ValidationError(_("考核周期已关闭，结果已冻结，不能重新计算。"))
    leaves = [leaf for leaf in period.indicator_set.indicators.all() if leaf.source and leaf.levels]
    with transaction.atomic():
        Value.objects.filter(period=period).delete()
        Score.objects.filter(period=period).delete()
        values = []
        for n, leaf in enumerate(leaves, 1):
            source = registry.indicator_sources[leaf.source]
            for level in leaf.levels:
                for area_id, (numerator, denominator) in source.compute(level, period.start, period.end).items():
                    if not denominator:
                        continue  # nothing to count here: the leaf does not apply
                    value = (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"))
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
            if progress:
                progress(n, len(leaves))
        Value.objects.bulk_create(values, batch_size=5000)
        with connection.cursor() as cursor:
            for level in BOTTOM_UP:
                params = {"period": period.pk, "level": str(level)}
                cursor.execute(OWN_SCORES_SQL, params)
                cursor.execute(CHILDREN_SCORES_SQL, params)
            cursor.execute(RANKS_SQL, {"period": period.pk, "last": period.indicator_set.last_places})
        return len(values), Score.objects.filter(period=period).count()
