"""The assessment's part of the demo city: the last two quarters opened and rolled up with the
default indicator set, the older one closed, so that a newcomer's first dashboard has ranks,
changes since the last quarter and a last-placed list."""

import datetime
import time

from django.utils import timezone

from .choices import PeriodKind, PeriodStatus
from .models import IndicatorSet, Period
from .rollup import rollup

DEFAULT_SET = "党建引领基层治理考核指标（默认）"


def quarter_containing(day):
    start = datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    following = datetime.date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)
    return start, following - datetime.timedelta(days=1)


def fill_demo_assessment(size):
    started = time.perf_counter()
    indicators = IndicatorSet.objects.filter(name=DEFAULT_SET).first()
    if indicators is None:
        return "没有默认指标体系，未生成考核结果。"
    current = quarter_containing(timezone.localdate())
    previous = quarter_containing(current[0] - datetime.timedelta(days=1))
    scores = 0
    for (start, end), closed in ((previous, True), (current, False)):
        period, _created = Period.objects.get_or_create(
            kind=PeriodKind.QUARTER, start=start, defaults={"end": end, "indicator_set": indicators}
        )
        if not period.scores.exists():  # new, or its rows went with the areas of a rebuilt demo
            period.status = PeriodStatus.OPEN
            scores += rollup(period)[1]
        period.status = PeriodStatus.CLOSED if closed else PeriodStatus.OPEN
        period.save(update_fields=["status"])
    return f"已生成最近两个季度的考核结果（{scores} 个区划得分），用时 {time.perf_counter() - started:.1f} 秒。"
