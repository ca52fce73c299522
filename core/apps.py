from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The kit every app is declared on (KIT.md): it imports no app of the project."""

    name = "core"
    verbose_name = _("公共组件")

    def ready(self):
        from . import checks, tasks  # noqa: F401  (register the deploy checks and the kit's Celery tasks)
        from .db import register_lookups

        register_lookups()
        register_monitoring()
        register_presence()
        register_schedules()
        register_demo()


def register_demo():
    from .notices import fill_demo_notices
    from .registry import registry

    registry.add_demo_filler(fill_demo_notices, order=900)  # after every app's records


def register_monitoring():
    from django.conf import settings

    from . import logs, metrics

    logs.configure_structlog()
    metrics.connect_celery_signals()
    if settings.LOG_JSON:
        from . import monitoring

        monitoring.connect_request_log()


def register_schedules():
    from celery.schedules import crontab

    from .registry import registry

    # Jobs queued while Redis was away are sent once it is back (the worker also does it on start).
    registry.add_schedule("redispatch-pending-imports", "core.redispatch_pending_jobs", 60.0)
    # Beat's heartbeat, recorded as beat sends it: /health/ready says whether beat runs (core/health.py).
    from .health import BEAT_HEARTBEAT_SECONDS

    registry.add_schedule("beat-heartbeat", "core.beat_heartbeat", BEAT_HEARTBEAT_SECONDS)
    # The add forms' one-time tokens older than a week are forgotten, at night.
    registry.add_schedule("forget-old-form-tokens", "core.forget_old_form_tokens", crontab(hour=3, minute=20))
    # What the apps have due (core.registry.DueSource) told to who may act, and the digests of what
    # is overdue, before the working day.
    registry.add_schedule("due-notices", "core.send_due_notices", crontab(hour=7, minute=0))


def register_presence():
    from django.urls import reverse

    from . import gate, importing, operations, widgets
    from .registry import MenuItem, OperatorFigure, Widget, registry

    def may_import(user):
        return any(gate.can_anywhere(user, cls.permission_action) for cls in importing.REGISTRY.values())

    registry.add_menu_item(
        MenuItem(_("导入记录"), lambda user: reverse("core:import_list"), may_import, active="core:import", order=70)
    )
    registry.add_menu_item(
        MenuItem(
            _("运行状态"),
            lambda user: reverse("core:operations"),
            lambda user: user.is_superuser,
            active="core:operations",
            icon="activity",
            order=95,
            place="account",  # under the user's name: the superuser's menu bar is full at 1366 px
        )
    )
    registry.add_operator_figure(
        OperatorFigure("core.stale_tallies", _("各项统计"), operations.stale_tallies, order=50)
    )
    registry.add_widget(
        Widget("pending_imports", "core/widgets/pending_imports.html", widgets.pending_imports, section="work", order=5)
    )
