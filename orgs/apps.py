from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = _("区划与组织")

    def ready(self):
        from django.urls import register_converter

        from core import gate

        from . import importers, scoping  # noqa: F401  (importers registers the area importer)
        from .converters import AreaCodeConverter

        register_converter(AreaCodeConverter, "code")  # <code:code> in every app's URLs
        gate.install(scoping)  # the kit's views, forms, API and menus ask this app's gate
