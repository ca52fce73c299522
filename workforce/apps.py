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

        from core.registry import registry

        from .demo_set import fill_scored_copy

        # the set with the workforce's leaves, after its records and before the assessment's demo (300)
        registry.add_demo_filler(fill_scored_copy, order=290)


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

    from . import demo_workers, importers_workers, indicators_workers, menu, views_workers, widgets_workers
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
            group=menu.GROUP,
            section=menu.WORKERS,
        )
    )
    indicators_workers.register()
    registry.add_demo_filler(demo_workers.fill_demo_workers, order=250)


def register_committees():
    """The two committees (workforce/models_committees.py): members and terms, 交叉任职 and 一肩挑,
    election statistics, 名书记工作室 and 1+10 mentoring — the pages and their API routes and menu
    entries (队伍与阵地), the members' import, a term's statistics panel, the area page's lazy card,
    the home tile of elections due, the menu bar's search, the sources and figure, and the demo."""
    from core.registry import Panel, Searchable, Widget, registry

    from . import demo_committees, importers_committees, indicators_committees, tallies, views_committees
    from .models_committees import CommitteeMember

    for tally in tallies.TALLIES:  # the election statistics of a subtree, kept by triggers (migration 0003)
        registry.add_tally(tally)

    for _prefix, pages in views_committees.PAGES:
        pages.register()
    importers_committees.register()
    registry.add_panel(
        "workforce.committeeterm", Panel("workforce/committees/term_panel.html", views_committees.term_panel)
    )
    registry.add_panel(
        "orgs.area", Panel("workforce/committees/panel_place.html", views_committees.panel_place, order=55)
    )
    registry.add_widget(
        Widget(
            "workforce_elections_due",
            "workforce/committees/widget_due.html",
            views_committees.elections_due,
            order=62,
            lazy=True,
            visible=views_committees.may_read,
        )
    )
    # A member by name (two to five Chinese characters, as a name is typed: no query for a code or
    # a Latin text) or by ID number through its mask rules (core.search).
    registry.add_searchable(
        Searchable(
            CommitteeMember,
            names=(),
            id_numbers=("id_number",),
            terms=views_committees.name_terms,
            detail=lambda m: f"{m.area.name} · {m.get_post_display()}",
            related=("area",),
            order=90,
        )
    )
    indicators_committees.register()
    registry.add_demo_filler(demo_committees.fill_demo_committees, order=270)


def register_venues():
    """Service venues and demonstration sites (workforce/models_venues.py): compliance with the
    standard (floor area, 五有), the meetings held there, 1+1+N sites."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from core.registry import Link, MenuItem, Panel, Searchable, Widget, registry
    from orgs.scoping import can_anywhere

    from . import api_venues, demo_venues, importers_venues, indicators_venues, menu, views_venues, widgets_venues
    from .models_venues import Venue
    from .permissions import READ_VENUES

    for _prefix, pages in views_venues.PAGES:
        pages.register()
    for prefix, viewset, basename in api_venues.ROUTES:
        registry.add_api_route(prefix, viewset, basename)
    importers_venues.register()
    registry.add_menu_item(
        MenuItem(
            _("未达标阵地"),
            lambda user: reverse("workforce:venues_short"),
            lambda user: can_anywhere(user, READ_VENUES),
            active="workforce:venues_short",
            icon="exclamation-diamond",
            order=62,
            group=menu.GROUP,
            section=menu.PLACES,
        )
    )
    registry.add_menu_item(
        MenuItem(
            _("示范点分区统计"),
            lambda user: reverse("workforce:sites_by_district"),
            lambda user: can_anywhere(user, READ_VENUES),
            active="workforce:sites_by_district",
            icon="bar-chart",
            order=63,
            group=menu.GROUP,
            section=menu.PLACES,
        )
    )
    registry.add_panel("workforce.venue", Panel("workforce/venues/venue_panel.html", views_venues.venue_panel))
    registry.add_panel("orgs.area", Panel("workforce/venues/panel_place.html", views_venues.area_panel_place, order=52))
    registry.add_panel(
        "party.partyorganisation", Panel("workforce/venues/titles_panel.html", views_venues.titles_panel, order=86)
    )
    registry.add_link(
        "workforce.demonstrationsite",
        Link(
            _("命名文件"),
            lambda site: reverse("workforce:demonstrationsite_document", args=[site.pk]),
            lambda request, site: bool(site.document),
            icon="paperclip",
        ),
    )
    registry.add_widget(
        Widget(
            "workforce_venues_short",
            "workforce/venues/widget_short.html",
            widgets_venues.venues_short,
            order=62,
            lazy=True,
            visible=widgets_venues.keeps_venues,
        )
    )
    registry.add_searchable(
        Searchable(Venue, names=("name",), detail=lambda v: v.area.name, related=("area",), order=90)
    )
    registry.add_place_source(views_venues.place_names)
    indicators_venues.register()
    registry.add_demo_filler(demo_venues.fill_demo_venues, order=260)


def register_secretaries():
    """Secretary projects and 述职评议, street and lane chiefs (workforce/models_secretaries.py): the
    pages and their menu entries (队伍与阵地), the API routes, the importers (a street's roads and
    chiefs, projects' milestones), the record pages' panels, the area page's lazy card, the roads'
    card on grids' coverage and roster pages (their registry slots), the home widget (projects
    late), the menu bar's search, the assessment's sources and the dashboards' figure, the demo."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from core.registry import MenuItem, Panel, Searchable, Widget, registry
    from orgs.scoping import can_anywhere

    from . import api_secretaries, demo_secretaries, importers_secretaries, indicators_secretaries, menu
    from . import views_secretaries as views
    from .models_secretaries import Road, SecretaryProject
    from .permissions import READ_SECRETARY_PROJECTS

    for _prefix, pages in views.PAGES:
        pages.register()
    for prefix, viewset, basename in api_secretaries.ROUTES:
        registry.add_api_route(prefix, viewset, basename)
    importers_secretaries.register()
    registry.add_menu_item(
        MenuItem(
            _("书记项目推进"),
            lambda user: reverse("workforce:secretaries_overview"),
            lambda user: can_anywhere(user, READ_SECRETARY_PROJECTS),
            group=menu.GROUP,
            section=menu.COMMITTEES,
            order=121,
            icon="bar-chart-steps",
            active="workforce:secretaries_overview",
        )
    )
    registry.add_panel(
        "workforce.secretaryproject", Panel("workforce/secretaries/project_panel.html", views.project_panel)
    )
    registry.add_panel(
        "workforce.secretaryreport", Panel("workforce/secretaries/report_panel.html", views.report_panel)
    )
    registry.add_panel("workforce.road", Panel("workforce/roads/road_panel.html", views.road_panel))
    registry.add_panel("orgs.area", Panel("workforce/secretaries/lazy.html", views.area_panel_place, order=60))
    for slot in ("grids.coverage", "grids.roster"):  # beside the three heads (core.registry slots)
        registry.add_panel(slot, Panel("workforce/secretaries/lazy.html", views.roads_place, order=50))
    registry.add_widget(
        Widget(
            "workforce_secretary_projects_late",
            "workforce/secretaries/widget.html",
            views.projects_late,
            order=62,
            lazy=True,
            visible=views.keeps_projects,
        )
    )
    registry.add_searchable(
        Searchable(SecretaryProject, names=("title",), detail=lambda p: p.area.name, related=("area",), order=120)
    )
    registry.add_searchable(
        Searchable(Road, names=("name",), detail=lambda r: r.area.name, related=("area",), order=121)
    )
    indicators_secretaries.register()
    registry.add_demo_filler(demo_secretaries.fill_demo_secretaries, order=280)
