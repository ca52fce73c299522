"""Where apps meet (KIT.md), in the spirit of NetBox's registry: each app registers its menu
entries, the links and panels it adds to other apps' pages, its home-page widgets, its API
routes, its demo data, its beat schedules and what it has due by a date (notices) from its own
AppConfig.ready(). The kit renders what is registered, and neither core nor the owning app of a
page names the apps that add to it.

Every callable receives the request (or the user) and decides for that user: an entry, a link
or a widget that the user cannot use is not shown (`visible` returns False, `context` None).
"""

import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class MenuItem:
    """An entry of the navigation bar."""

    label: Any  # lazy Chinese text
    url: Callable[[Any], str]  # user → URL
    visible: Callable[[Any], bool]  # user → whether the entry is shown
    active: str = ""  # the entry is highlighted on views whose name starts with this
    icon: str = ""  # a Bootstrap icon name, e.g. "diagram-3"
    order: int = 100
    group: Any = ""  # entries of one group (lazy Chinese text) share a dropdown of the menu bar
    section: Any = ""  # within a group's dropdown, entries of one section share a heading (a column on a desktop)
    # "bar": the menu bar; "account": the dropdown under the user's name (pages about the running of
    # the portal rather than its records, kept off a superuser's menu bar, the longest one)
    place: str = "bar"


@dataclass(frozen=True)
class Link:
    """A button on another model's page (e.g. "三长覆盖" on an area's page)."""

    label: Any
    url: Callable[[Any], str]  # object → URL
    visible: Callable[[Any, Any], bool]  # (request, object) → whether the button is shown
    icon: str = ""
    order: int = 100


@dataclass(frozen=True)
class Panel:
    """A card on another model's page: `context(request, obj)` gives the template's context, or
    None to leave the card out for this user."""

    template: str
    context: Callable[[Any, Any], dict | None]
    order: int = 100


# The rows of a home page's "what changed lately" lists: short, below and beside the work to do.
CHANGES_LISTED = 5


@dataclass(frozen=True)
class Widget:
    """A tile of the home page: `context(request)` gives the template's context, or None when the
    widget has nothing for this user. Section "work" is what to do, "dashboard" the figures of
    the user's scope, "changes" what changed there lately."""

    name: str
    template: str
    context: Callable[[Any], dict | None]
    section: str = "work"
    order: int = 100
    # Loaded after the page (htmx, core:home_widget) rather than with it: for a widget whose list
    # costs more than the page should wait for. `visible(request)`, cheap (no query, or the
    # request's cached scopes), says whether to leave it a place at all; the widget still says
    # None when it has nothing, and its place is then removed.
    lazy: bool = False
    visible: Callable[[Any], bool] | None = None


@dataclass(frozen=True)
class IndicatorSource:
    """A figure the assessment computes for every area of a level at once (issue #10), registered
    by the app that owns the data: `compute(level, start, end)` returns {area id: (numerator,
    denominator)} for every area of `level` (a level, or a list of levels: all in the same query)
    that has a denominator, in one query whatever the number of areas — never one query per area.
    The value is numerator / denominator."""

    key: str  # "grids.grid_head_coverage"
    label: Any  # lazy Chinese text: "网格长覆盖率"
    levels: tuple  # the area levels it is computed for
    compute: Callable[[str, Any, Any], dict]
    numerator_label: Any = ""  # "有网格长的网格"
    denominator_label: Any = ""  # "网格"
    # Where an assessed cadre sees the records behind the numerator and the gaps behind the
    # denominator (the vacant grids themselves), or None where there is no such page:
    # - records_url(area) → URL;
    # - gaps_url(area, start, end) → the URL of the gaps as they stood in the period (the vacancies
    #   on its last day, the meetings owed in it), or None where the page cannot show that period;
    # - current_gaps_url(area) → the URL of today's gaps, for a figure whose gaps the page cannot
    #   show as of a period: the breakdown says plainly that the link shows today's.
    records_url: Callable[[Any], str] | None = None
    gaps_url: Callable[[Any, Any, Any], str | None] | None = None
    current_gaps_url: Callable[[Any], str] | None = None


@dataclass(frozen=True)
class AreaWeight:
    """What a parent's score may weight its children's by (the number of grids under each), chosen
    per indicator set: `compute(level)` returns {area id: weight} for every area of `level` in one
    query; `compute(level, within=code)` at least those within the area of that code, a reader of
    one subtree (a street's staffing) reading no more than it needs."""

    key: str
    label: Any
    compute: Callable[..., dict]


@dataclass(frozen=True)
class Figure:
    """A headline figure of the dashboards (organisations, members, grids, coverage), registered by
    the app that owns the data and stored by each rollup for every area, so that a dashboard reads
    rows and never counts a city per request: `compute(level, start, end)` returns {area id:
    (numerator, denominator)} for every area of `level` in one query; a count has denominator 0,
    a share shows numerator of denominator. `level` may be a list of levels, as for IndicatorSource."""

    key: str
    label: Any
    compute: Callable[[str, Any, Any], dict]
    order: int = 100
    icon: str = ""
    share: bool = False  # shown as a percentage (with numerator of denominator)
    coverage: bool = False  # a series of the dashboards' coverage chart rather than a tile and a column
    # The same figure for one area as the app's own pages show it now (area → (numerator,
    # denominator), a few queries), so that a dashboard can say where its rollup's figure and the
    # live page differ; and that page (area → URL). None where no page shows it live.
    live: Callable[[Any], tuple] | None = None
    url: Callable[[Any], str] | None = None


@dataclass(frozen=True)
class Due:
    """One thing due or overdue, as a `DueSource` lists it: told to the users who hold `action` at
    `area` (the nearest ones), once for its `key` — stable while the same matter stays due (the
    member and the day the probation ends), new when a new matter arises."""

    key: str  # "party.probation:7:2026-12-20"
    area: Any  # the area (or its code) where who may act is found
    action: str  # the action that acts on it
    title: str  # "预备党员张三的预备期将于2026-12-20期满"
    due_on: Any  # a date: after it the item is overdue (and in the day's digest)
    body: str = ""
    url: str = ""  # the page where one acts on it
    record: Any = None  # the record it concerns, if any
    record_label: str = ""


@dataclass(frozen=True)
class DueSource:
    """What an app has due by a date (services awaiting the community's confirmation, probations
    ending, vacant posts), registered from its apps.py: `items(today)` returns the `Due` items of
    every area — due or overdue today — in a few queries, not one per area. The kit's daily job
    tells who may act on each (core/notices.py) and sends each a digest of what is overdue."""

    key: str  # "party.probation"
    label: Any  # lazy Chinese text: "预备党员转正"
    items: Callable[[Any], Any]


@dataclass(frozen=True)
class AccountKind:
    """An account that holds no role over an area but belongs to another app's record (a reporting
    unit's account, 双报到): user management offers it beside the roles when a user is created, and
    lists the records a user is the account of beside the user's roles."""

    key: str  # the new-user form's role choice: "unit_account"
    field: str  # the form's field that picks the record: "unit"
    label: Any  # lazy Chinese text: "报到单位账号"
    field_label: Any  # "报到单位"
    help_text: Any
    required_error: Any  # the field's error when no record is picked
    records: Callable[[Any], Any]  # granter → the records (a queryset) the granter may tie an account to
    attach: Callable[[Any, Any], None]  # (user, record) → the user becomes the record's account
    # user ids → {user id: [records]} in one query; a record has a name and get_absolute_url().
    held: Callable[[Any], dict]


@dataclass(frozen=True)
class SearchBox:
    """The search box of the navigation bar: where it sends the query (`q`)."""

    url_name: str
    placeholder: Any
    visible: Callable[[Any], bool]


@dataclass(frozen=True)
class Searchable:
    """A model the menu bar's search finds (core.search), registered by the app that owns it with
    the fields a person would type: `names` (text, matched anywhere: 名称, 姓名), `codes` (code
    paths, matched as a subtree: typing 220104001 finds the street and everything below it) and
    `id_numbers` (ID-number fields, matched by the whole number or by its mask as the portal shows
    it, 220104********1234 — never by a fragment, so numbers cannot be probed) and `terms(text)`,
    the Q of what else the typed text names, or None (a case number the portal shows: 诉求20261203-00012).
    Only the records the user may `action` on are searched; `detail(record)` is the grey text beside
    a result (its area, its organisation)."""

    model: Any
    names: tuple = ("name",)
    codes: tuple = ()
    id_numbers: tuple = ()
    terms: Callable[[str], Any] | None = None
    detail: Callable[[Any], str] | None = None
    related: tuple = ()  # select_related for `detail`, so a group costs one query
    label: Any = ""  # the group's heading; by default the model's verbose_name_plural
    action: str = "view"
    order: int = 100


@dataclass(frozen=True)
class OperatorFigure:
    """A line of the operator's page (core/views/operations.py, superusers only) about the running
    of an app, registered by the app that owns it (the assessment's last rollup, the roster's
    stale coverage): `compute()` returns the text to show, or "" when there is nothing to say."""

    key: str
    label: Any  # lazy Chinese text
    compute: Callable[[], str]
    order: int = 100


class Registry:
    def __init__(self):
        self.search = None  # a SearchBox
        self.searchables = []  # [Searchable], in order: what the menu bar's search finds
        self.user_office = None  # user → the office the user acts as, beside the name in the menu bar
        self.menu = []
        self.links = defaultdict(list)  # model label ("orgs.area") → [Link]
        self.panels = defaultdict(list)  # model label → [Panel]
        self.widgets = []
        self.api_routes = []  # (prefix, viewset, basename)
        self._demo_fillers = []  # (order, n, function: size → a line for seed_demo to print)
        self.indicator_sources = {}  # key → IndicatorSource
        self.area_weights = {}  # key → AreaWeight
        self.figures = []  # [Figure], in order
        self.account_kinds = []  # [AccountKind]
        # name → {"task": task name, "schedule": seconds or a crontab}: celery beat's schedule
        # (config/celery.py hands this very dict to Celery, which reads it when beat starts).
        self.schedules = {}
        self.due_sources = {}  # key → DueSource: what the daily notices job tells (core/notices.py)
        self.tallies = {}  # key → core.tallies.Tally: figures of a subtree kept by triggers
        # (column, root) → raw SQL: the code `column` lies in the subtree of the code `root`;
        # orgs registers its one spelling of the subtree (orgs.scoping.within_sql).
        self.subtree_sql = None
        # (user, area or None) → names: the places a form suggests where a place is typed (a
        # meeting's 地点 offered the service venues' names, so that it is typed as they are named).
        self.place_sources = []
        self.operator_figures = []  # [OperatorFigure], in order: the operator's page

    def add_menu_item(self, item):
        self.menu.append(item)
        self.menu.sort(key=lambda entry: entry.order)

    def add_link(self, model_label, link):
        self.links[model_label].append(link)
        self.links[model_label].sort(key=lambda entry: entry.order)

    def add_panel(self, model_label, panel):
        self.panels[model_label].append(panel)
        self.panels[model_label].sort(key=lambda entry: entry.order)

    def add_widget(self, widget):
        self.widgets.append(widget)
        self.widgets.sort(key=lambda entry: entry.order)

    def add_searchable(self, searchable):
        if any(each.model is searchable.model for each in self.searchables):
            raise ValueError(f"{searchable.model._meta.label} registered twice for search")
        self.searchables.append(searchable)
        self.searchables.sort(key=lambda entry: entry.order)
        return searchable

    def add_api_route(self, prefix, viewset, basename):
        self.api_routes.append((prefix, viewset, basename))

    def add_indicator_source(self, source):
        if source.key in self.indicator_sources:
            raise ValueError(f"indicator source {source.key!r} registered twice")
        self.indicator_sources[source.key] = source
        return source

    def add_area_weight(self, weight):
        if weight.key in self.area_weights:
            raise ValueError(f"area weight {weight.key!r} registered twice")
        self.area_weights[weight.key] = weight
        return weight

    def add_figure(self, figure):
        if any(f.key == figure.key for f in self.figures):
            raise ValueError(f"figure {figure.key!r} registered twice")
        self.figures.append(figure)
        self.figures.sort(key=lambda entry: entry.order)
        return figure

    def add_account_kind(self, kind):
        if any(k.key == kind.key for k in self.account_kinds):
            raise ValueError(f"account kind {kind.key!r} registered twice")
        self.account_kinds.append(kind)
        return kind

    def accounts_held(self, user_ids):
        """{user id: [(account kind, record)]} for the users that are some record's account."""
        held = {}
        for kind in self.account_kinds:
            for user_id, records in kind.held(user_ids).items():
                held.setdefault(user_id, []).extend((kind, record) for record in records)
        return held

    def add_schedule(self, name, task, schedule):
        """A periodic task run by `celery beat`: `task` is the task or its name, `schedule` seconds
        or a celery.schedules.crontab."""
        if name in self.schedules:
            raise ValueError(f"schedule {name!r} registered twice")
        self.schedules[name] = {"task": getattr(task, "name", task), "schedule": schedule}

    def add_tally(self, tally):
        if tally.key in self.tallies:
            raise ValueError(f"tally {tally.key!r} registered twice")
        self.tallies[tally.key] = tally
        return tally

    def add_operator_figure(self, figure):
        if any(each.key == figure.key for each in self.operator_figures):
            raise ValueError(f"operator figure {figure.key!r} registered twice")
        self.operator_figures.append(figure)
        self.operator_figures.sort(key=lambda entry: entry.order)
        return figure

    def add_due_source(self, source):
        if source.key in self.due_sources:
            raise ValueError(f"due source {source.key!r} registered twice")
        self.due_sources[source.key] = source
        return source

    def add_place_source(self, function):
        """`function(user, area)` → the names of the places at or above `area` (or, without one, in
        the user's scope) that a typed place may be, best first."""
        self.place_sources.append(function)
        return function

    def places_for(self, user, area=None, limit=50):
        """The suggested place names for `user` (and the chosen record's `area`), each once."""
        names = []
        for source in self.place_sources:
            for name in source(user, area):
                if name and name not in names:
                    names.append(name)
        return names[:limit]

    def add_demo_filler(self, function, order=100):
        """A part of the demo city, run by seed_demo in `order` (the party after the roster it links)."""
        self._demo_fillers.append((order, len(self._demo_fillers), function))
        self._demo_fillers.sort(key=lambda entry: entry[:2])
        return function

    @property
    def demo_fillers(self):
        return [function for _order, _n, function in self._demo_fillers]

    # --- what a page shows to one user ---------------------------------------------------------

    def menu_for(self, user):
        return [item for item in self.menu if item.visible(user)]

    def links_for(self, request, obj):
        return [link for link in self.links[obj._meta.label_lower] if link.visible(request, obj)]

    def panels_for(self, request, obj, slot=None):
        """The cards of `obj`'s page, or of a page's named `slot` ("grids.coverage": a page that is
        not one record's, such as the coverage page of an area) given its object."""
        shown = []
        for panel in self.panels[slot or obj._meta.label_lower]:
            context = panel.context(request, obj)
            if context is not None:
                shown.append((panel.template, context))
        return shown

    def widgets_for(self, request, section):
        shown = []
        for widget in self.widgets:
            if widget.section != section:
                continue
            context = widget.context(request)
            if context is not None:
                shown.append((widget.template, context))
        return shown

    def render_widgets(self, request, section):
        """The HTML of the home-page tiles of `section` that have something for this user, each
        measured (WidgetCost, appended to `request.widget_costs`): what a widget costs is the
        kit's to show (bench/pages.py prints it for every home page), whichever app registered it."""
        from django.template.loader import render_to_string
        from django.urls import reverse

        parts = []
        for widget in self.widgets:
            if widget.section != section:
                continue
            with measured(request, widget.name) as cost:
                if widget.lazy:
                    # Its place, filled after the page by render_widget (core.views.home.home_widget).
                    cost.lazy = True
                    if widget.visible is None or widget.visible(request):
                        url = reverse("core:home_widget", args=[widget.name])
                        parts.append(render_to_string("core/widgets/lazy.html", {"url": url}, request=request))
                    continue
                context = widget.context(request)
                if context is not None:
                    parts.append(render_to_string(widget.template, context, request=request))
                cost.shown = context is not None
        return "".join(parts)

    def render_widget(self, request, name):
        """The HTML of the lazy widget `name` for this user ("" when it has nothing), measured as
        the page's widgets are; None when no lazy widget has that name."""
        from django.template.loader import render_to_string

        widget = next((w for w in self.widgets if w.name == name and w.lazy), None)
        if widget is None or (widget.visible is not None and not widget.visible(request)):
            return None
        with measured(request, widget.name) as cost:
            context = widget.context(request)
            cost.shown = context is not None
            return render_to_string(widget.template, context, request=request) if context is not None else ""


@dataclass
class WidgetCost:
    """What one widget took on one request: its context and its template, wall time and queries."""

    name: str
    seconds: float = 0.0
    queries: int = 0
    shown: bool = False
    lazy: bool = False  # only its place was rendered: its cost is that of its own request


class _QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@contextmanager
def measured(request, name):
    """Time and count the queries of what runs inside, as the cost of widget `name` on `request`
    (`request.widget_costs`, in order). Cheap enough to stay on in production: a clock and a
    counter."""
    from django.db import connection

    cost = WidgetCost(name)
    counter = _QueryCounter()
    start = time.perf_counter()
    try:
        with connection.execute_wrapper(counter):
            yield cost
    finally:
        cost.seconds = time.perf_counter() - start
        cost.queries = counter.count
        request.__dict__.setdefault("widget_costs", []).append(cost)


registry = Registry()
