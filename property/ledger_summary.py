"""台账进度: the ledger of compounds without management summed over an area and each of its
children — how many remain, closed this quarter, overdue — and the burn-down toward zero by the
year's end (清零, seed 003) from the entries' own history (pghistory's LedgerEntryEvent). A few
grouped queries whatever the size of the subtree; the children's figures from the communities'."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils import timezone

from core.models import StateChange
from orgs.scoping import within

from .choices import LedgerStatus
from .models import LedgerEntry

CHILDREN_LIMIT = 400  # a city's districts, a district's streets, a street's communities


@dataclass
class Figures:
    remain: int = 0
    closed_this_quarter: int = 0
    overdue: int = 0


def quarter_start(day):
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def by_community(area, today):
    """{community code: Figures} under `area`: two grouped queries."""
    figures = defaultdict(Figures)
    entries = LedgerEntry.objects.filter(within("compound__community__code", area.code)).order_by()
    for code, remain, overdue in (
        entries.filter(status=LedgerStatus.OPEN)
        .values_list("compound__community__code")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(deadline__lt=today)))
    ):
        figures[code].remain, figures[code].overdue = remain, overdue
    start = timezone.make_aware(datetime.datetime.combine(quarter_start(today), datetime.time()))
    closes = StateChange.objects.filter(
        content_type=ContentType.objects.get_for_model(LedgerEntry), transition="close", at__gte=start
    ).values("object_id")
    for code, n in (
        entries.filter(status=LedgerStatus.CLOSED, pk__in=closes)
        .values_list("compound__community__code")
        .annotate(n=Count("pk"))
    ):
        figures[code].closed_this_quarter = n
    return figures


def summary(area, today=None):
    """(the area's Figures, [(child, Figures)]) — the children in code order."""
    today = today or timezone.localdate()
    communities = by_community(area, today)
    total = Figures()
    children = list(area.children.order_by("code")[:CHILDREN_LIMIT])
    rows = [(child, Figures()) for child in children]
    for code, f in communities.items():
        total.remain += f.remain
        total.closed_this_quarter += f.closed_this_quarter
        total.overdue += f.overdue
        for child, g in rows:
            if code.startswith(child.code):
                g.remain += f.remain
                g.closed_this_quarter += f.closed_this_quarter
                g.overdue += f.overdue
                break
    return total, rows


def week_dates(year, today):
    """The burn-down's days: 1 January, each Monday after it, 31 December."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    days = [first]
    day = first + datetime.timedelta(days=(7 - first.weekday()) % 7 or 7)
    while day < last:
        days.append(day)
        day += datetime.timedelta(days=7)
    days.append(last)
    return days


def burndown_series(events, year, today):
    """The burn-down from `events` — (entry id, day, status) of each entry's history, in time
    order — : the open count at the end of each day of `week_dates` up to today (None after), and
    the ideal line from the count at the year's start (or the first count) to zero on 31 December."""
    days = week_dates(year, today)
    shown = [d for d in days if d <= today] or days[:1]
    if today not in shown and today.year == year:
        shown.append(today)
    days = sorted(set(days) | set(shown))
    status = {}
    counts = []
    events = sorted(events, key=lambda e: e[1])
    i = 0
    for day in days:
        if day > today:
            counts.append(None)
            continue
        while i < len(events) and events[i][1] <= day:
            status[events[i][0]] = events[i][2]
            i += 1
        counts.append(sum(1 for s in status.values() if s == LedgerStatus.OPEN))
    start = counts[0] if counts and counts[0] else max((c for c in counts if c is not None), default=0)
    span = (days[-1] - days[0]).days or 1
    ideal = [round(start * (1 - (d - days[0]).days / span), 2) for d in days]
    return {"dates": [d.isoformat() for d in days], "open": counts, "ideal": ideal}


def burndown(area, today=None):
    """The burn-down of the ledger under `area` for this year, from the entries' history: one query."""
    today = today or timezone.localdate()
    events = apps.get_model("property", "LedgerEntryEvent").objects.filter(
        within("compound__community__code", area.code), pgh_created_at__date__lte=today
    )
    rows = [
        (entry, timezone.localdate(at), state)
        for entry, at, state in events.order_by("pgh_created_at", "pgh_id").values_list(
            "pgh_obj_id", "pgh_created_at", "status"
        )
    ]
    return burndown_series(rows, today.year, today)
