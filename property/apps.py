from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PropertyConfig(AppConfig):
    name = "property"
    verbose_name = _("红色物业")

    def ready(self):
        from . import (
            notices,  # noqa: F401  (the ledger's deadlines and the committees' terms, core/notices.py)
            permissions,  # noqa: F401  (the property actions)
            permissions_evaluation,  # noqa: F401  (the evaluation's actions)
        )

        register_presence()
        register_demo_and_figures()
        register_evaluation()
        register_ledger_progress()


def register_presence():
    """The pages' API routes, importers and menu entries (one 物业 group), the area page's 物业
    panel, the record pages' panels, the home widgets and the search (core.registry)."""
    from core.registry import Link, Panel, Searchable, Widget, registry
    from orgs.scoping import can

    from . import api, views, widgets
    from .models import Compound, PropertyCompany
    from .permissions import LINK_PARTY

    for _prefix, pages in views.PAGES:
        pages.register()  # the derived API routes, the imports, the menu entries
    for prefix, viewset, basename in api.ROUTES:
        registry.add_api_route(prefix, viewset, basename)
    registry.add_panel("orgs.area", Panel("property/panels/area.html", widgets.area_panel, order=40))
    registry.add_panel("property.compound", Panel("property/panels/compound.html", widgets.compound_panel))
    registry.add_panel("property.propertycompany", Panel("property/panels/company.html", widgets.company_panel))
    # Its party links, recorded by the streets and communities it serves (not by the housing bureau).
    registry.add_link(
        "property.propertycompany",
        Link(
            _("党建联系"),
            lambda company: reverse("property:propertycompany_party", args=[company.pk]),
            lambda request, company: can(request.user, LINK_PARTY, company),
            icon="flag",
            order=10,
        ),
    )
    registry.add_panel("property.ownerscommittee", Panel("property/panels/committee.html", widgets.committee_panel))
    registry.add_panel("property.ledgerentry", Panel("property/panels/ledger.html", widgets.ledger_panel))
    # The home widgets of red property load after the page (lazy): the home page waits for none of
    # their counts, whatever else the apps register (issue 17). `visible` asks the cached scopes.
    registry.add_widget(
        Widget(
            "ledger_due",
            "property/widgets/ledger_due.html",
            widgets.ledger_due,
            order=55,
            lazy=True,
            visible=keeps_property,
        )
    )
    registry.add_widget(
        Widget(
            "committees_expiring",
            "property/widgets/committees_expiring.html",
            widgets.committees_expiring,
            order=56,
            lazy=True,
            visible=keeps_property,
        )
    )
    registry.add_searchable(
        Searchable(PropertyCompany, names=("name", "credit_code"), detail=lambda c: c.credit_code, order=60)
    )
    registry.add_searchable(Searchable(Compound, detail=lambda c: c.community.name, related=("community",), order=61))


def register_demo_and_figures():
    """seed_demo's red property (after the party and the roster's party heads, before the
    assessment scores the quarters), the assessment's indicator sources, the dashboards' figures
    and the housing department's home widget (core.registry)."""
    from core.registry import Widget, registry

    from . import demo, housing, indicators

    registry.add_demo_filler(demo.fill_demo_property, order=200)
    registry.add_demo_filler(demo.fill_demo_evaluations, order=210)  # on the companies and compounds
    indicators.register()
    registry.add_widget(
        Widget(
            "housing_register",
            "property/widgets/housing_register.html",
            housing.housing_register,
            order=54,
            lazy=True,
            visible=serves_a_department,
        )
    )


def register_evaluation():
    """The annual evaluation's pages, API routes, menu entries, panels and home widgets (issue 18 B1)."""
    from core.registry import Link, MenuItem, Panel, Widget, registry

    from . import api_evaluation, indicators, views_evaluation, widgets_evaluation

    indicators.register_evaluation_sources()  # the mean grade of the companies serving an area

    for _prefix, pages in views_evaluation.PAGES:
        pages.register()
    for prefix, viewset, basename in api_evaluation.ROUTES:
        registry.add_api_route(prefix, viewset, basename)
    from core.importing import register

    from .importers_evaluation import ScoreSheetImporter

    register(ScoreSheetImporter)
    registry.add_menu_item(
        MenuItem(
            _("信用评价排名"),
            lambda user: reverse("property:evaluation_ranking"),
            lambda user: views_evaluation.may_rank(user),
            active="property:evaluation_",
            icon="trophy",
            order=67,
            group=_("物业"),
        )
    )
    registry.add_link(
        "property.propertycompany",
        Link(
            _("信用评价"),
            lambda company: reverse("property:evaluation_breakdown", args=[company.pk]),
            lambda request, company: views_evaluation.may_rank(request.user),
            icon="trophy",
        ),
    )
    registry.add_panel(
        "property.propertyevaluation",
        Panel("property/evaluation/panels/evaluation.html", widgets_evaluation.evaluation_panel),
    )
    registry.add_panel(
        "property.inspection", Panel("property/evaluation/panels/inspection.html", widgets_evaluation.inspection_panel)
    )
    registry.add_widget(
        Widget(
            "evaluations_due",
            "property/evaluation/widgets/evaluations_due.html",
            widgets_evaluation.evaluations_due,
            order=57,
            lazy=True,
            visible=scores_or_reviews,
        )
    )
    registry.add_widget(
        Widget(
            "housing_work",
            "property/evaluation/widgets/housing_work.html",
            widgets_evaluation.housing_work,
            order=20,
            lazy=True,
            visible=serves_a_department,
        )
    )


def register_ledger_progress():
    """The menu's 台账进度 (the ledger's summary and burn-down at the user's highest area)."""
    from core.registry import MenuItem, registry
    from orgs.scoping import Action, can_anywhere

    registry.add_menu_item(
        MenuItem(
            _("台账进度"),
            lambda user: reverse("property:ledger_progress_home"),
            lambda user: user.is_superuser or can_anywhere(user, Action.VIEW),
            active="property:ledger_progress",
            icon="graph-down",
            order=62,
            group=_("物业"),
        )
    )


def keeps_property(request):
    from orgs.scoping import can_anywhere

    from .permissions import CHANGE_PROPERTY

    return can_anywhere(request.user, CHANGE_PROPERTY)


def scores_or_reviews(request):
    from orgs.scoping import can_anywhere

    from .permissions_evaluation import REVIEW_EVALUATION, SCORE

    return can_anywhere(request.user, SCORE) or can_anywhere(request.user, REVIEW_EVALUATION)


def serves_a_department(request):
    from orgs.scoping import user_departments

    return bool(user_departments(request.user))
