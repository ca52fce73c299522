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
    certificates, the 一定双评 rating and staffing against the standard."""


def register_committees():
    """The two committees (workforce/models_committees.py): members and terms, 交叉任职 and 一肩挑,
    election statistics, 名书记工作室 and 1+10 mentoring — the pages and their API routes and menu
    entries (队伍与阵地), the members' import, a term's statistics panel, the area page's lazy card,
    the home tile of elections due, the menu bar's search, the sources and figure, and the demo."""
    from core.registry import Panel, Searchable, Widget, registry

    from . import demo_committees, importers_committees, indicators_committees, views_committees
    from .models_committees import CommitteeMember

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


def register_secretaries():
    """Secretary projects and 述职评议, street and lane chiefs (workforce/models_secretaries.py)."""
