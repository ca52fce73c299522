from django.apps import AppConfig


class FundsConfig(AppConfig):
    """Demands, resources and projects with two-way claiming, and community funding with its public
    notice (issue 20). Each half registers its pages, API, menu entries, panels, widgets, sources
    and demo from its own function below."""

    name = "funds"
    verbose_name = "项目与经费"

    def ready(self):
        register_projects()
        register_funding()


def register_projects():
    """Demands, resources, claims and projects (funds/models_projects.py, views_projects.py): the
    pages and their menu entries (项目与经费), the API routes, the record pages' panels, the area
    page's lazy panel, the home widgets (the street's unclaimed demands, the projects late, a
    unit's account's demands to claim), the menu bar's search, the assessment's sources and the
    demo's year."""
    from core.registry import Panel, Searchable, Widget, registry

    from . import api_projects, demo_projects, indicators_projects, views_projects
    from .models_projects import Demand, Resource
    from .permissions import is_unit_account

    for _prefix, pages in views_projects.PAGES:
        pages.register()
    for prefix, viewset, basename in api_projects.ROUTES:
        registry.add_api_route(prefix, viewset, basename)
    registry.add_panel("funds.demand", Panel("funds/projects/demand_panel.html", views_projects.demand_panel))
    registry.add_panel("funds.resource", Panel("funds/projects/resource_panel.html", views_projects.resource_panel))
    registry.add_panel("funds.project", Panel("funds/projects/project_panel.html", views_projects.project_panel))
    registry.add_panel("orgs.area", Panel("funds/projects/lazy.html", views_projects.area_panel_place, order=48))
    # A provider's page (by model label: funds imports nothing of property, and party nothing of funds).
    for label in ("party.reportingunit", "property.propertycompany"):
        registry.add_panel(label, Panel("funds/projects/provider_panel.html", views_projects.provider_panel, order=85))
    registry.add_widget(
        Widget(
            "funds_unclaimed",
            "funds/projects/widget.html",
            views_projects.unclaimed_in_street,
            order=23,
            lazy=True,
            visible=views_projects.is_street,
        )
    )
    registry.add_widget(
        Widget(
            "funds_late",
            "funds/projects/widget.html",
            views_projects.projects_late,
            order=24,
            lazy=True,
            visible=views_projects.keeps_projects,
        )
    )
    registry.add_widget(
        Widget(
            "funds_to_claim",
            "funds/projects/widget.html",
            views_projects.demands_for_unit,
            order=18,
            lazy=True,
            visible=lambda request: is_unit_account(request.user),
        )
    )
    registry.add_searchable(
        Searchable(Demand, names=("title",), detail=lambda d: d.area.name, related=("area",), order=80)
    )
    registry.add_searchable(
        Searchable(Resource, names=("title",), detail=lambda r: r.provider_label, related=("area",), order=81)
    )
    indicators_projects.register()
    registry.add_demo_filler(demo_projects.fill_demo_projects, order=230)


def register_funding():
    """Allocations, expenditures and the public notice (funds/models_funding.py, views_funding.py):
    the pages and their API routes, the menu entries (项目与经费), the importers of the finance
    office's sheet, the area page's 经费 card (loaded after the page), the home tiles (allocations
    below the minimum, notices not published this quarter), the assessment's sources and the
    dashboards' figures and the demo's year."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from core.registry import Link, Panel, Widget, registry

    from . import api_funding, demo_funding, importers_funding, indicators_funding, views_funding, widgets_funding

    for _prefix, pages in views_funding.PAGES:
        pages.register()
    for prefix, viewset, basename in api_funding.ROUTES:
        registry.add_api_route(prefix, viewset, basename)
    importers_funding.register()

    def place(request, area):
        from orgs.choices import AreaLevel
        from orgs.scoping import can

        from .permissions import READ_FUNDS

        levels = (AreaLevel.CITY, AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMUNITY)
        if area.level not in levels or not can(request.user, READ_FUNDS, area):
            return None
        return {"url": reverse("funds:funding_area_panel", args=[area.code])}

    registry.add_panel("orgs.area", Panel("funds/funding/panel_place.html", place, order=49))
    registry.add_link(
        "funds.expenditure",
        Link(
            _("凭证"),
            lambda expenditure: reverse("funds:expenditure_voucher", args=[expenditure.pk]),
            lambda request, expenditure: bool(expenditure.voucher),
            icon="paperclip",
        ),
    )
    registry.add_panel("funds.allocation", Panel("funds/funding/allocation_panel.html", views_funding.allocation_panel))
    registry.add_widget(
        Widget(
            "funds_below_minimum",
            "funds/funding/widget_below.html",
            widgets_funding.allocations_below,
            order=59,
            lazy=True,
            visible=widgets_funding.keeps_allocations,
        )
    )
    registry.add_widget(
        Widget(
            "funds_notices_unpublished",
            "funds/funding/widget_unpublished.html",
            widgets_funding.notices_not_published,
            order=60,
            lazy=True,
            visible=widgets_funding.publishes_notices,
        )
    )
    indicators_funding.register()
    registry.add_demo_filler(demo_funding.fill_demo_funding, order=240)  # after the projects' demo
