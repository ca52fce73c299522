from django.apps import AppConfig


class KitAppConfig(AppConfig):
    """A simple scoped model declared on the kit, installed by the test settings only (issue #7,
    acceptance 3): its pages, API, export and import come from declarations alone."""

    name = "tests.kitapp"
    label = "kitapp"
    verbose_name = "服务点（测试）"

    def ready(self):
        from core import importing
        from core.registry import registry
        from core.resources import ResourceImporter

        from . import api, permissions
        from .resources import ServicePointResource

        registry.add_api_route("service-points", api.ServicePointViewSet, "servicepoint")
        importing.register(ResourceImporter.declare("service_points", ServicePointResource, permissions.CHANGE_POINT))
