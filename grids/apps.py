from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    name = "grids"
    verbose_name = _("网格与三长")

    def ready(self):
        from orgs import demo as orgs_demo

        from . import demo, importers, permissions  # noqa: F401  (register the roster's importer and actions)

        orgs_demo.register_filler(demo.fill_demo_roster)
