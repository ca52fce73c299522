"""What the dashboards read: stored rollup rows only (scores, values, headline figures), a fixed
number of queries per page whatever the size of the tree below the area."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import calendar
from core.registry import registry
from orgs.models import Area

from .choices import PeriodKind
from .models import AreaFigure, Entry, Indicator, Period, Score, Value

UNRANKED_LEVELS = ("building", "unit")  # below the grids nothing is scored
TREND_PERIODS = 6  # the sparklines and the trend chart: the last six periods of the same kind


def scored():
    """The periods with scores: an EXISTS probe per period, not a join with every score."""
    return Period.objects.filter(Exists(Score.objects.filter(period=OuterRef("pk"))))


def requested_period(request, default):
    """The period asked for (`?period=`, or a form's `period`), else `default()`; 404 for a bad one.
    `?period=` is the portal's one word for a period (core.calendar): the assessment's links carry
    the period's calendar key (`Period.key`: "2026Q4", "2026H1", "2026"); links and bookmarks made
    before, with the period's number ("?period=7"), still open their period."""
    asked = str(request.POST.get(calendar.QUERY) or request.GET.get(calendar.QUERY) or "")
    if not asked:
        return default()
    period = period_named(asked)
    if period is None:
        raise Http404
    return period


def period_named(value):
    """The period `value` names, or None: by its calendar key first (the period of those dates),
    else by its number, as the links before the calendar's keys named it. A year's key wins over a
    number that is also a year ("2026"): no install numbers two thousand periods."""
    span = calendar.parse(value)
    if span is not None:
        found = Period.objects.filter(kind=span.KIND, start=span.start, end=span.end).first()
        if found is not None:
            return found
    if value.isdigit() and len(value) < 10:
        return Period.objects.filter(pk=int(value)).first()
    return None


WORKING_KIND = PeriodKind.QUARTER  # 季度调度: what the offices work in from day to day


def working_period(periods=None):
    """The period a user works in when none is asked for: the running quarter (the one holding
    today), else the last quarter before it. Never a quarter yet to come, and never a half-year or
    a year: those are chosen, not fallen into (opening 2026年度 must not move every default view)."""
    periods = Period.objects.all() if periods is None else periods
    today = timezone.localdate()
    return periods.filter(kind=WORKING_KIND, start__lte=today).order_by("-end", "-pk").first()


def working_entry_period():
    """What entry pages start on: the running quarter, else the last quarter before it."""
    return working_period()


def working_scored_period():
    """What dashboards and the home card start on: the running quarter once it is rolled up, else
    the last quarter before it that was."""
    return working_period(scored())


def scored_periods(kind=None, until=None, limit=TREND_PERIODS):
    """The periods with scores (of `kind`, ending by `until`), oldest first: the trend's axis."""
    periods = scored()
    if kind:
        periods = periods.filter(kind=kind)
    if until:
        periods = periods.filter(end__lte=until)
    return list(reversed(periods.order_by("-end", "-pk")[:limit]))


@dataclass
class Tile:
    key: str
    label: object
    icon: str
    share: bool
    numerator: int | None = None
    denominator: int | None = None
    change: Decimal | None = None
    url: str = ""  # the page that shows the figure live
    now: tuple | None = None  # (numerator, denominator) on that page now, where it differs from the rollup's

    @property
    def rate(self):
        return self.numerator / self.denominator if self.denominator else None


def headline_figures():
    """The figures shown as tiles and as the children's table's columns (the coverage chart's
    series are not)."""
    return [figure for figure in registry.figures if not figure.coverage]


def figures_of(period, area, before=None, children=None):
    """The period's rollup figures of the area and of all its children, and the area's own in the
    period `before`, in two queries (one when the ids of its `children` are given): ({area id:
    {figure key: (numerator, denominator)}} of the period, {figure key: (numerator, denominator)}
    of the area before). The areas are listed first: `area OR area.parent` over a join read every
    figure of the period (36,000 rows at a city, 50 ms)."""
    now, earlier = defaultdict(dict), {}
    if children is None:
        children = Area.objects.filter(parent=area).values_list("pk", flat=True)
    ids = [area.pk, *children]
    wanted = Q(period=period, area__in=ids)
    if before is not None:
        wanted |= Q(period=before, area=area)
    for period_id, area_id, key, numerator, denominator in AreaFigure.objects.filter(wanted).values_list(
        "period_id", "area_id", "key", "numerator", "denominator"
    ):
        if period_id == period.pk:
            now[area_id][key] = (numerator, denominator)
        else:
            earlier[key] = (numerator, denominator)
    return now, earlier


def tiles(own_figures, earlier_figures, area=None, live=False):
    """The headline figures of the area as of the rollup, with their change since the earlier
    period; `live`: each also as its own page shows it now, kept where the two differ."""
    shown = []
    for figure in headline_figures():
        tile = Tile(figure.key, figure.label, figure.icon, figure.share)
        if area is not None and figure.url:
            tile.url = figure.url(area)
        if live and figure.live and figure.key in own_figures:
            now = tuple(figure.live(area))
            if now != tuple(own_figures[figure.key]):
                tile.now = now
        if figure.key in own_figures:
            tile.numerator, tile.denominator = own_figures[figure.key]
            if figure.key in earlier_figures:
                before_n, before_d = earlier_figures[figure.key]
                if figure.share:
                    if tile.denominator and before_d:
                        tile.change = Decimal(100 * (tile.numerator / tile.denominator - before_n / before_d)).quantize(
                            Decimal("0.1")
                        )
                else:
                    tile.change = tile.numerator - before_n
        shown.append(tile)
    return shown


def children_scores(area, period):
    return list(
        Score.objects.filter(period=period, area__parent=area).select_related("area").order_by("rank", "area__code")
    )


@dataclass
class FigureRow:
    """A row of the children's table that is not a child: the area's own (直属) records, the
    children without a score, the total. Figures only."""

    label: str
    figures: dict
    total: bool = False


def figure_rows(area, now, children):
    """What makes the children's rows add up to the area's figures: the area's own records (its
    直属 organisations and members: the area's figures less all its children's), the children
    that have no score, and the total. `now`: figures_of's figures of the area and its children."""
    keys = [figure.key for figure in headline_figures()]
    own_figures = now.get(area.pk, {})
    under = defaultdict(lambda: (0, 0))
    for area_id, figures in now.items():
        if area_id != area.pk:
            for key, (n, d) in figures.items():
                under[key] = (under[key][0] + n, under[key][1] + d)
    ranked = defaultdict(lambda: (0, 0))
    for score in children:
        for key, (n, d) in score.figures.items():
            ranked[key] = (ranked[key][0] + n, ranked[key][1] + d)

    def difference(whole, part):
        found = {}
        for key in keys:
            n, d = whole.get(key, (0, 0))
            found[key] = (n - part.get(key, (0, 0))[0], d - part.get(key, (0, 0))[1])
        return found

    def any_figure(figures):
        return any(n or d for n, d in figures.values())

    rows = []
    direct = difference(own_figures, under)
    if any_figure(direct):
        rows.append(FigureRow(_("{area}直属").format(area=area.name), direct))
    unranked = difference(under, ranked)
    if any_figure(unranked):
        rows.append(FigureRow(_("未参加排名的下级"), unranked))
    if rows:
        rows.append(FigureRow(_("合计"), own_figures, total=True))
    return rows


def dashboard(area, period, live=True):
    """The area's score and rank, its headline figures with their change since the previous period
    of the same kind, its children ranked with their figures and trend, the last-placed among
    them, the rows that make the children add up to the area (its 直属 records), and the charts'
    data. Eight queries, whatever lies below the area; while the period runs (and `live`), a few
    more for the figures as their own pages show them now, where those differ from the rollup's."""
    live = live and period.running
    own = Score.objects.filter(period=period, area=area).first()
    children = children_scores(area, period)
    periods = scored_periods(period.kind, until=period.end)
    before = periods[-2] if len(periods) > 1 and periods[-1].pk == period.pk else None
    ids = [area.pk, *[s.area_id for s in children]]
    history = defaultdict(dict)  # area id → {period id: points}
    for area_id, period_id, points in Score.objects.filter(period__in=periods, area_id__in=ids).values_list(
        "area_id", "period_id", "points"
    ):
        history[area_id][period_id] = points
    below = list(Area.objects.filter(parent=area).values_list("pk", "level"))  # the children, scored or not
    now, earlier = figures_of(period, area, before, children=[pk for pk, _level in below])

    def change(area_id, points):
        previous = history[area_id].get(before.pk) if before else None
        return points - previous if previous is not None else None

    for score in children:
        score.change = change(score.area_id, score.points)
        score.trend = [history[score.area_id].get(p.pk) for p in periods]
        score.figures = now.get(score.area_id, {})
    own_figures = now.get(area.pk, {})
    shown = tiles(own_figures, earlier, area, live=live)
    return {
        "own": own,
        "change": change(area.pk, own.points) if own else None,
        "children": children,
        "unscored": max(0, sum(1 for _pk, level in below if level not in UNRANKED_LEVELS) - len(children)),
        "last_placed": [s for s in children if s.last_place],
        "previous": before,
        "tiles": shown,
        "differs": any(tile.now for tile in shown),
        "columns": headline_figures(),
        "figure_rows": figure_rows(area, now, children) if children else [],
        "trend": [(p, history[area.pk].get(p.pk)) for p in periods],
    }


def charts(area, period, board):
    """The charts' data (templates/assessment/includes/charts.html): the children's scores ranked,
    the area's trend, coverage by child and the tree of children and grandchildren by score."""
    children = board["children"]

    def link(code):
        return reverse("assessment:dashboard", args=[code]) + f"?period={period.key}"

    grandchildren = defaultdict(list)
    for score in (
        Score.objects.filter(period=period, area__parent__parent=area).select_related("area").order_by("area__code")
    ):
        grandchildren[score.area.parent_id].append(score)
    sizes = {
        area_id: n
        for area_id, n in AreaFigure.objects.filter(
            period=period, key="grids.grids", area__parent__parent=area
        ).values_list("area_id", "numerator")
    }
    shares = [f for f in registry.figures if f.coverage]
    return {
        "ranking": {
            "names": [s.area.name for s in children],
            "scores": [float(s.points) for s in children],
            "last": [s.last_place for s in children],
            "links": [link(s.area.code) for s in children],
        },
        "trend": {
            "periods": [p.label for p, points in board["trend"] if points is not None],
            "scores": [float(points) for _p, points in board["trend"] if points is not None],
        },
        "coverage": {
            "names": [s.area.name for s in children],
            "series": [
                {
                    "name": str(figure.label),
                    "values": [
                        round(n / d, 4) if d else None for n, d in (s.figures.get(figure.key, (0, 0)) for s in children)
                    ],
                }
                for figure in shares
            ],
        },
        "tree": {
            "name": area.name,
            "value": float(board["own"].points) if board["own"] else None,
            "children": [
                {
                    "name": s.area.name,
                    "value": float(s.points),
                    "size": max(1, s.figures.get("grids.grids", (1, 0))[0]),
                    "link": link(s.area.code),
                    "children": [
                        {
                            "name": g.area.name,
                            "value": float(g.points),
                            "size": max(1, sizes.get(g.area_id, 1)),
                            "link": link(g.area.code),
                        }
                        for g in grandchildren[s.area_id]
                    ],
                }
                for s in children
            ],
        },
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


@dataclass
class Line:
    """One leaf of the breakdown: its value for the area and where to look."""

    leaf: Indicator
    value: Value | None
    source: object
    records_url: str = ""
    gaps_url: str = ""
    gaps_current: bool = False  # the gaps link shows today's gaps, not the period's
    gaps_day: object = None  # the day the dated gaps are shown as of
    gain: Decimal | None = None  # what full points on this leaf would add to the area's score
    entry: object = None  # an entered leaf's value as entered, accepted or not yet


def breakdown(area, period):
    """Each system of the period's set, its groups and their leaves with the area's value: raw
    value, numerator of denominator, rule, points and weight, and for computed values the links to
    the records behind the numerator and the gaps behind the denominator. Three queries."""
    values = {v.indicator_id: v for v in Value.objects.filter(period=period, area=area)}
    entries = {e.indicator_id: e for e in Entry.objects.filter(period=period, area=area)}
    # The sources count a period on its last day, or on its rollup's day while it runs (a head
    # 待到任 does not cover yet): its gaps are shown as of the same day.
    counted_on = period.as_of or min(period.end, timezone.localdate())
    indicators = list(Indicator.objects.filter(indicator_set_id=period.indicator_set_id).order_by("order", "pk"))
    children = defaultdict(list)
    for indicator in indicators:
        children[indicator.parent_id].append(indicator)

    def line(leaf):
        if area.level not in leaf.levels:
            return None
        source = registry.indicator_sources.get(leaf.source)
        value = values.get(leaf.pk)
        found = Line(leaf, value, source, entry=entries.get(leaf.pk))
        if source and value and value.denominator:
            found.records_url = source.records_url(area) if source.records_url else ""
            if value.numerator < value.denominator:
                # The gaps as of the period where the page can show them, else today's, said so.
                dated = source.gaps_url(area, period.start, counted_on) if source.gaps_url else None
                if dated:
                    found.gaps_url, found.gaps_day = dated, counted_on
                elif source.current_gaps_url:
                    found.gaps_url, found.gaps_current = source.current_gaps_url(area), True
        return found

    def lines(node):
        if node.is_leaf:
            found = line(node)
            return [found] if found else []
        return [found for child in children[node.pk] for found in lines(child)]

    systems = []
    for system in children[None]:
        groups = []
        for node in children[system.pk]:
            found = lines(node)
            if found:
                groups.append((None if node.is_leaf else node, found))
        weight = sum((ln.leaf.weight for _g, found in groups for ln in found if ln.value), Decimal(0))
        earned = sum((ln.value.points * ln.leaf.weight for _g, found in groups for ln in found if ln.value), Decimal(0))
        systems.append((system, groups, (earned / weight).quantize(Decimal("0.01")) if weight else None, weight))
    # What to fix to move up: a leaf's missing points, weighted as the score weighs them.
    scored = [
        ln for _s, groups, _p, _w in systems for _g, found in groups for ln in found if ln.value and ln.leaf.weight
    ]
    total = sum((ln.leaf.weight for ln in scored), Decimal(0))
    for ln in scored:
        ln.gain = ((100 - ln.value.points) * ln.leaf.weight / total).quantize(Decimal("0.01"))
    return systems


def indicator_tree(indicator_set):
    """The set's indicators as (indicator, depth) in order, systems first then their groups and
    leaves: one query."""
    indicators = list(indicator_set.indicators.order_by("order", "pk"))
    children = defaultdict(list)
    for indicator in indicators:
        children[indicator.parent_id].append(indicator)
    ordered = []

    def walk(parent_id, depth):
        for indicator in children[parent_id]:
            ordered.append((indicator, depth))
            walk(indicator.pk, depth + 1)

    walk(None, 0)
    return ordered
