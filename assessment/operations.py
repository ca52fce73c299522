"""The assessment's line on the operator's page (core.registry.OperatorFigure): its last rollup."""

from django.utils import timezone
from django.utils.translation import gettext as _


def last_rollup():
    """When the last rollup was written, of which period — whatever ran it (beat, the 汇总计算
    button, the demo's seeding: each stamps the period's `rolled_up_at`) — and a failure of the
    worker's rollup since then; "" before the first."""
    from core.choices import JobStatus

    from .models import Period, RollupJob

    period = Period.objects.exclude(rolled_up_at=None).order_by("-rolled_up_at").first()
    failed = RollupJob.objects.select_related("period").filter(status=JobStatus.FAILED).order_by("-finished_at").first()
    if failed is not None and failed.finished_at and (period is None or failed.finished_at > period.rolled_up_at):
        return _("{when} · {period} · 失败").format(
            when=timezone.localtime(failed.finished_at).strftime("%Y-%m-%d %H:%M"), period=failed.period
        )
    if period is None:
        return _("尚未运行过")
    return _("{when} · {period}").format(
        when=timezone.localtime(period.rolled_up_at).strftime("%Y-%m-%d %H:%M"), period=period
    )
