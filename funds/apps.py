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
    """Demands, resources, claims and projects (funds/models_projects.py, views_projects.py)."""


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
        return {"url": reverse("funds:area_panel", args=[area.code])}

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
