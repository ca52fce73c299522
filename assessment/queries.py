"""What the dashboards read: stored rollup rows only, a fixed number of queries per page."""

from django.db.models import Prefetch

from core.registry import registry

from .models import Indicator, Period, Score, Value


def latest_scored_period():
    return Period.objects.filter(scores__isnull=False).distinct().order_by("-end", "-pk").first()


def previous_period(period):
    return (
        Period.objects.filter(kind=period.kind, end__lt=period.start, scores__isnull=False)
        .distinct()
        .order_by("-end")
        .first()
    )


def dashboard(area, period):
    """The area's score, its children's scores ranked, the last-placed among them, and the change
    since the previous period of the same kind: four queries."""
    own = Score.objects.filter(period=period, area=area).first()
    children = list(
        Score.objects.filter(period=period, area__parent=area).select_related("area").order_by("rank", "area__code")
    )
    before = previous_period(period)
    earlier = {}
    if before is not None:
        earlier = dict(
            Score.objects.filter(period=before, area_id__in=[area.pk, *[s.area_id for s in children]]).values_list(
                "area_id", "points"
            )
        )
    for score in children:
        score.change = score.points - earlier[score.area_id] if score.area_id in earlier else None
    change = own.points - earlier[area.pk] if own is not None and area.pk in earlier else None
    return {
        "own": own,
        "change": change,
        "children": children,
        "last_placed": [s for s in children if s.last_place],
        "previous": before,
    }


def siblings(area, period):
    """The area's siblings' names, scores and ranks (published among siblings, seed 004): nothing
    else of theirs."""
    if area.parent_id is None:
        return []
    return list(
        Score.objects.filter(period=period, area__parent_id=area.parent_id)
        .select_related("area")
        .order_by("rank", "area__code")
    )


def breakdown(area, period):
    """Each leaf of the period's set with the area's value: raw value, numerator of denominator,
    rule, points and weight, grouped by system. Two queries."""
    values = {v.indicator_id: v for v in Value.objects.filter(period=period, area=area)}
    systems = (
        Indicator.objects.filter(indicator_set=period.indicator_set, parent=None)
        .order_by("order", "pk")
        .prefetch_related(Prefetch("children", queryset=Indicator.objects.order_by("order", "pk")))
    )
    sources = registry.indicator_sources
    return [
        (system, [(leaf, values.get(leaf.pk), sources.get(leaf.source)) for leaf in system.children.all()])
        for system in systems
    ]
