from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    name = "grids"
    verbose_name = _("网格与三长")

    def ready(self):
        from . import importers, indicators, permissions  # noqa: F401  (the roster's importer and actions)

        register_presence()
        indicators.register()
        register_schedules()
        register_due_dates()


def register_due_dates():
    from core.registry import registry

    from . import notices

    # Posts of the three heads fallen vacant, told to who appoints (core/notices.py).
    registry.add_due_source(notices.SOURCE)


def register_schedules():
    from celery.schedules import crontab

    from core.registry import registry

    # The day's coverage (posts start and end at midnight), recounted before anyone reads it.
    registry.add_schedule("refresh-coverage-tallies", "grids.refresh_coverage_tallies", crontab(hour=0, minute=1))
    # The operator's page (superusers): the stale buckets waiting for a reader, and the oldest.
    from core.registry import OperatorFigure

    from .operations import stale_coverage

    registry.add_operator_figure(OperatorFigure("grids.stale_coverage", _("三长覆盖统计"), stale_coverage))


def register_presence():
    """What the roster adds to the portal (core.registry): its menu entry, its buttons and panel on
    an area's page, its home-page widgets, its API routes and its part of the demo city."""
    from django.urls import reverse

    from core.registry import Link, MenuItem, Panel, Widget, registry
    from orgs.scoping import can

    from . import api, demo, widgets
    from .permissions import VIEW_ROSTER

    def reads_roster(request, area):
        return can(request.user, VIEW_ROSTER, area)

    registry.add_menu_item(
        MenuItem(
            _("我的网格"),
            lambda user: reverse("grids:my_grids"),
            widgets.has_own_grids,
            active="grids:my_grids",
            icon="phone",
            order=20,
        )
    )
    registry.add_link(
        "orgs.area",
        Link(_("三长覆盖"), lambda area: reverse("grids:coverage", args=[area.code]), reads_roster, icon="grid-3x3"),
    )
    registry.add_link(
        "orgs.area",
        Link(_("人员名册"), lambda area: reverse("grids:roster", args=[area.code]), reads_roster, icon="people"),
    )
    registry.add_panel("orgs.area", Panel("grids/panels/area_coverage.html", widgets.area_coverage_panel, order=10))
    registry.add_widget(
        Widget("area_coverage", "grids/widgets/area_coverage.html", widgets.area_coverage, section="work", order=25)
    )
    registry.add_widget(Widget("my_grids", "grids/widgets/my_grids.html", widgets.my_grids, section="work", order=20))
    registry.add_widget(
        Widget("vacancies", "grids/widgets/vacancies.html", widgets.vacancies, section="work", order=30)
    )
    registry.add_widget(
        Widget("roster_changes", "grids/widgets/roster_changes.html", widgets.roster_changes, section="changes")
    )
    registry.add_api_route("people", api.PersonViewSet, "person")
    registry.add_api_route("head-assignments", api.HeadAssignmentViewSet, "headassignment")
    registry.add_demo_filler(demo.fill_demo_roster)
    registry.add_demo_filler(demo.fill_demo_party_heads, order=150)  # after the party's (orgs) and the roster
