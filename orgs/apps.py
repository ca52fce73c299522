from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = _("区划与组织")

    def ready(self):
        from django.urls import register_converter

        from . import checks, importers  # noqa: F401  (register the system checks and the importers of this app)
        from .converters import AreaCodeConverter

        register_converter(AreaCodeConverter, "code")  # <code:code> in every app's URLs
