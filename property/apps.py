from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PropertyConfig(AppConfig):
    name = "property"
    verbose_name = _("红色物业")

    def ready(self):
        from . import (
            notices,  # noqa: F401  (the ledger's deadlines and the committees' terms, core/notices.py)
            permissions,  # noqa: F401  (the property actions)
        )

        register_presence()
        register_demo_and_figures()


def register_presence():
    """The pages' API routes, importers and menu entries (one 物业 group), the area page's 物业
    panel, the record pages' panels, the home widgets and the search (core.registry)."""
    from core.registry import Panel, Searchable, Widget, registry

    from . import api, views, widgets
    from .models import Compound, PropertyCompany

    for _prefix, pages in views.PAGES:
        pages.register()  # the derived API routes, the imports, the menu entries
    for prefix, viewset, basename in api.ROUTES:
        registry.add_api_route(prefix, viewset, basename)
    registry.add_panel("orgs.area", Panel("property/panels/area.html", widgets.area_panel, order=40))
    registry.add_panel("property.compound", Panel("property/panels/compound.html", widgets.compound_panel))
    registry.add_panel("property.propertycompany", Panel("property/panels/company.html", widgets.company_panel))
    registry.add_panel("property.ownerscommittee", Panel("property/panels/committee.html", widgets.committee_panel))
    registry.add_panel("property.ledgerentry", Panel("property/panels/ledger.html", widgets.ledger_panel))
    registry.add_widget(Widget("ledger_due", "property/widgets/ledger_due.html", widgets.ledger_due, order=55))
    registry.add_widget(
        Widget(
            "committees_expiring",
            "property/widgets/committees_expiring.html",
            widgets.committees_expiring,
            order=56,
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
    indicators.register()
    registry.add_widget(
        Widget("housing_register", "property/widgets/housing_register.html", housing.housing_register, order=54)
    )
