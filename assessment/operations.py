"""The assessment's line on the operator's page (core.registry.OperatorFigure): its last rollup."""

from django.utils import timezone
from django.utils.translation import gettext as _


def last_rollup():
    """When the last rollup ended, of which period, and how; "" before the first."""
    from .models import RollupJob

    job = RollupJob.objects.select_related("period").exclude(finished_at=None).order_by("-finished_at").first()
    if job is None:
        return _("尚未运行过")
    return _("{when} · {period} · {status}").format(
        when=timezone.localtime(job.finished_at).strftime("%Y-%m-%d %H:%M"),
        period=job.period,
        status=job.get_status_display(),
    )
