from django.apps import AppConfig


class KitAppConfig(AppConfig):
    """A simple scoped model declared on the kit, installed by the test settings only (issue #7,
    acceptance 3): its pages, API, export and import come from declarations alone."""

    name = "tests.kitapp"
    label = "kitapp"
    verbose_name = "服务点（测试）"

    def ready(self):
        from .declarations import ServicePointPages

        ServicePointPages.register()  # the API route and the importer
