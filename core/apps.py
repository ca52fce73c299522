from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The kit every app is declared on (KIT.md): it imports no app of the project."""

    name = "core"
    verbose_name = _("公共组件")

    def ready(self):
        from . import checks, tasks  # noqa: F401  (register the deploy checks and the kit's Celery tasks)
