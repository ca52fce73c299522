"""The roster's line on the operator's page (core.registry.OperatorFigure): the coverage tallies
waiting to be recounted, and the oldest of them (grids/coverage.py recounts them on the next read,
and all of them once a day)."""

from django.db.models import Min
from django.utils.translation import gettext as _


def stale_coverage():
    from .models import CoverageTally, StaleCoverageTally

    stale = list(StaleCoverageTally.objects.values_list("prefix", flat=True)[:10_001])
    oldest = CoverageTally.objects.aggregate(day=Min("computed_on"))["day"]
    if not stale and oldest is None:
        return _("尚未计算")
    if not stale:
        return _("无待重算；最早一批计算于 {day}").format(day=oldest)
    oldest_stale = CoverageTally.objects.filter(prefix__in=stale).aggregate(day=Min("computed_on"))["day"]
    return _("{n} 个待重算，其中最早的计算于 {day}").format(
        n=len(stale) if len(stale) <= 10_000 else "10000+", day=oldest_stale or _("（尚未计算）")
    )
