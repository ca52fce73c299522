from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    name = "grids"
    verbose_name = _("网格与三长")

    def ready(self):
        from . import importers  # noqa: F401  (registers the roster importer)
