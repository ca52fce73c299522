from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    """The community workforce (issue 21): the workers on their career ladder, the two committees
    and their mentoring, the service venues against the standard and the demonstration sites, the
    secretaries' projects and their annual 述职评议, and the street and lane chiefs. Each part
    registers its pages, API, menu entries, panels, widgets, sources and demo from its own function
    below."""

    name = "workforce"
    verbose_name = "队伍与阵地"

    def ready(self):
        register_workers()
        register_committees()
        register_venues()
        register_secretaries()


def register_workers():
    """Community workers (workforce/models_workers.py): posts, the ladder, promotions, training,
    certificates, the 一定双评 rating and staffing against the standard — the pages, their API and
    menu entries (队伍与阵地), the workers' import, the worker's page's career and training card, the
    area page's card (loaded after the page), the home tiles (training hours short, certificates
    expiring), the menu bar's search (name, ID number), the assessment's sources, the dashboards'
    figures and the demo."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from core.registry import MenuItem, Panel, Searchable, Widget, registry
    from orgs.scoping import can_anywhere

    from . import demo_workers, importers_workers, indicators_workers, views_workers, widgets_workers
    from .models_workers import Worker
    from .permissions import READ_WORKERS

    for _prefix, pages in views_workers.PAGES:
        pages.register()
    importers_workers.register()
    registry.add_panel("workforce.worker", Panel("workforce/workers/worker_panel.html", views_workers.worker_panel))
    registry.add_panel("orgs.area", Panel("workforce/workers/lazy.html", views_workers.area_panel_place, order=52))
    registry.add_widget(
        Widget(
            "workforce_training_short",
            "workforce/workers/widget_training.html",
            widgets_workers.training_short,
            order=61,
            lazy=True,
            visible=widgets_workers.keeps_workers,
        )
    )
    registry.add_widget(
        Widget(
            "workforce_certificates_expiring",
            "workforce/workers/widget_certificates.html",
            widgets_workers.certificates_expiring,
            order=62,
            lazy=True,
            visible=widgets_workers.keeps_workers,
        )
    )
    registry.add_searchable(
        Searchable(
            Worker,
            names=("name",),
            id_numbers=("id_number",),
            detail=lambda worker: worker.area.name,
            related=("area",),
            order=90,
        )
    )
    registry.add_menu_item(
        MenuItem(
            _("社工配备"),
            lambda user: reverse("workforce:staffing"),
            lambda user: can_anywhere(user, READ_WORKERS),
            active="workforce:staffing",
            icon="people",
            order=15,
            group=views_workers.GROUP,
        )
    )
    indicators_workers.register()
    registry.add_demo_filler(demo_workers.fill_demo_workers, order=250)


def register_committees():
    """The two committees (workforce/models_committees.py): members and terms, 交叉任职 and 一肩挑,
    election statistics, 名书记工作室 and 1+10 mentoring."""


def register_venues():
    """Service venues and demonstration sites (workforce/models_venues.py): compliance with the
    standard (floor area, 五有), the meetings held there, 1+1+N sites."""


def register_secretaries():
    """Secretary projects and 述职评议, street and lane chiefs (workforce/models_secretaries.py)."""
