from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    """Services (服务, DESIGN §3 services/): the lists as data (清单) and the admission gate (准入);
    whistles (吹哨报到) and residents' requests (诉求) join later."""

    name = "services"
    verbose_name = _("服务")

    def ready(self):
        from . import permissions  # noqa: F401  (the services actions)

        register_presence()
        register_demo()
        register_whistles()
        register_requests()


def register_presence():
    """The pages' API routes, the item import and the menu entries (one 服务 group), the record
    pages' panels, the area page's 清单 panel and the home widgets (core.registry)."""
    from core.registry import Panel, Searchable, Widget, registry

    from . import api, views, widgets
    from .models import GateTask

    for _prefix, pages in views.PAGES:
        pages.register()
    for prefix, viewset, basename in api.ROUTES:
        registry.add_api_route(prefix, viewset, basename)
    registry.add_panel("services.servicelist", Panel("services/panels/list.html", widgets.list_panel))
    registry.add_panel("services.listversion", Panel("services/panels/version.html", widgets.version_panel))
    registry.add_panel("services.gatetask", Panel("services/panels/task.html", widgets.task_panel))
    add_area_panel(
        widgets.AreaPanel("lists", _("清单"), "services/panels/area.html", widgets.area_panel, widgets.shows_lists),
        order=45,
    )
    registry.add_widget(
        Widget(
            "lists_awaiting",
            "services/widgets/drafts.html",
            widgets.drafts_awaiting,
            order=58,
            lazy=True,
            visible=keeps_lists,
        )
    )
    registry.add_widget(
        Widget(
            "gate_stops",
            "services/widgets/gate_stops.html",
            widgets.gate_stops,
            order=21,
            lazy=True,
            visible=decides_gate,
        )
    )
    registry.add_searchable(Searchable(GateTask, detail=lambda t: t.community.name, related=("community",), order=70))


def add_area_panel(panel, order):
    """One of services' cards on the area page, loaded after the page (services.widgets.AreaPanel)."""
    from core.registry import Panel, registry

    from .widgets import AREA_PANELS

    AREA_PANELS[panel.name] = panel
    registry.add_panel("orgs.area", Panel("services/panels/lazy.html", panel.place, order=order))


def register_demo():
    from core.registry import registry

    from . import demo

    registry.add_demo_filler(demo.fill_demo_lists, order=220)


def keeps_lists(request):
    from orgs.scoping import can_anywhere

    from .permissions import KEEP_LISTS

    return can_anywhere(request.user, KEEP_LISTS)


def decides_gate(request):
    from orgs.scoping import can_anywhere

    from .permissions import DECIDE_GATE

    return can_anywhere(request.user, DECIDE_GATE)


# --- 吹哨报到 (services/whistles.py) ----------------------------------------------------------------


def register_whistles():
    """The whistles' pages, API routes, menu entries (服务), panels (the area's, the whistle's, a
    property compound's — by its model label: services imports nothing of property), home widgets,
    the overdue escalation (a DueSource), the ranking's menu entry and the demo."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from core.registry import DueSource, Link, MenuItem, Panel, Searchable, Widget, registry

    from . import api_whistles, demo_whistles, views_whistles, whistles, widgets_whistles
    from .models_whistles import Whistle
    from .widgets import AreaPanel

    for _prefix, pages in views_whistles.PAGES:
        pages.register()
    for prefix, viewset, basename in api_whistles.ROUTES:
        registry.add_api_route(prefix, viewset, basename)
    registry.add_menu_item(
        MenuItem(
            _("部门报到排名"),
            lambda user: reverse("services:whistle_ranking"),
            whistles.may_rank,
            active="services:whistle_ranking",
            icon="bar-chart-line",
            order=74,
            group=_("服务"),
        )
    )
    add_area_panel(
        AreaPanel(
            "whistles",
            _("吹哨报到"),
            "services/whistles/panel.html",
            widgets_whistles.area_panel,
            widgets_whistles.shows_whistles,
        ),
        order=46,
    )
    registry.add_panel(
        "services.whistle", Panel("services/whistles/responses_panel.html", widgets_whistles.whistle_panel)
    )
    registry.add_link(
        "services.whistleresponse",
        Link(
            _("办结材料"),
            lambda response: reverse("services:whistleresponse_evidence", args=[response.pk]),
            lambda request, response: bool(response.evidence),
            icon="paperclip",
        ),
    )
    registry.add_panel(
        "property.compound", Panel("services/whistles/panel.html", widgets_whistles.compound_panel, order=80)
    )
    registry.add_widget(
        Widget(
            "whistles_to_answer",
            "services/whistles/widget.html",
            widgets_whistles.department_work,
            order=20,
            lazy=True,
            visible=lambda request: bool(user_departments_of(request.user)),
        )
    )
    registry.add_widget(
        Widget(
            "whistles_to_verify",
            "services/whistles/widget.html",
            widgets_whistles.street_work,
            order=22,
            lazy=True,
            visible=verifies_whistles,
        )
    )
    registry.add_due_source(DueSource("services.whistle_overdue", _("吹哨逾期上报区级"), whistles.overdue_due))
    # The menu bar's search: a whistle by its matter, among those the user reads (a department: those
    # addressed to it, wherever they are; the street and the 组织部: their subtree).
    registry.add_searchable(
        Searchable(Whistle, names=("title",), detail=lambda w: w.area.name, related=("area",), order=71)
    )
    registry.add_demo_filler(demo_whistles.fill_demo_whistles, order=225)


def user_departments_of(user):
    from orgs.scoping import user_departments

    return user_departments(user)


def verifies_whistles(request):
    from orgs.scoping import can_anywhere

    from .permissions import VERIFY_WHISTLE

    return can_anywhere(request.user, VERIFY_WHISTLE)


# --- Residents' requests (诉求) ---------------------------------------------------------------------


def register_requests():
    """The requests' pages, API routes and menu entry (服务 group), a request's panel and the area
    page's lights, the home widgets (due today and overdue for who handles; overdue for a street),
    the overdue requests escalated to the street (a DueSource), the rates as IndicatorSources and
    the dashboards' figures, the 12345 hotline's import (services/hotline.py) and the demo's quarter
    of requests."""
    from django.utils.translation import gettext_lazy

    from core.registry import DueSource, Panel, Searchable, Widget, registry

    from . import api_requests, demo_requests, hotline, indicators_requests, requests_flow, views_requests  # noqa: F401
    from .models_requests import ResidentRequest
    from .widgets import AreaPanel

    for _prefix, pages in views_requests.PAGES:
        pages.register()
    for prefix, viewset, basename in api_requests.ROUTES:
        registry.add_api_route(prefix, viewset, basename)
    registry.add_panel("services.residentrequest", Panel("services/requests/panel.html", views_requests.request_panel))
    add_area_panel(
        AreaPanel(
            "requests",
            gettext_lazy("诉求"),
            "services/requests/area_panel.html",
            views_requests.area_panel,
            views_requests.shows_requests,
        ),
        order=47,
    )
    registry.add_widget(
        Widget(
            "requests_due",
            "services/requests/widget.html",
            views_requests.due_for_me,
            order=19,
            lazy=True,
            visible=views_requests.handles_requests,
        )
    )
    registry.add_widget(
        Widget(
            "requests_overdue",
            "services/requests/widget.html",
            views_requests.overdue_in_street,
            order=20,
            lazy=True,
            visible=views_requests.is_street,
        )
    )
    registry.add_due_source(DueSource("services.requests", gettext_lazy("诉求超期"), requests_flow.overdue))
    # The menu bar's search: a request by its number or a word of its content (never the resident's
    # name or phone), among those the user reads (a department: those routed to it).
    registry.add_searchable(
        Searchable(
            ResidentRequest,
            names=("description",),
            terms=ResidentRequest.by_number,
            detail=lambda r: f"{r.category} · {r.area.name}",
            related=("area", "category"),
            order=72,
        )
    )
    indicators_requests.register()
    registry.add_demo_filler(demo_requests.fill_demo_requests, order=225)
