"""经费's home tiles and the area page's card: the communities whose year's allocations of a type are
below the minimum (for who allocates), the communities that have not published a notice this
quarter (for who publishes), and an area's money, execution rate and notices."""

import datetime
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum, Window
from django.urls import reverse
from django.utils import timezone

from core.calendar import Quarter
from orgs.choices import AreaLevel
from orgs.models import Area
from orgs.scoping import can, can_anywhere, within

from .models_funding import (
    ZERO,
    Allocation,
    Expenditure,
    ExpenditureStatus,
    FundNotice,
    FundType,
    NoticeStatus,
    minimums,
)
from .permissions import KEEP_ALLOCATIONS, PUBLISH_NOTICE, READ_FUNDS

LISTED = 10


def money(value):
    """1234.5 → "1,234.50" (yuan, as the pages show it)."""
    return f"{value or ZERO:,.2f}"


def below_minimum(areas, year):
    """[(community, [(type label, allocated, minimum) as text])] of the communities of `areas` whose year's
    allocations of some type are below its minimum (a type never allocated counts as 0); one query."""
    sums = {
        kind: Sum("funds_allocation__amount", filter=Q(funds_allocation__year=year, funds_allocation__fund_type=kind))
        for kind in FundType.values
    }
    rows = areas.filter(level=AreaLevel.COMMUNITY).annotate(**{f"sum_{kind}": total for kind, total in sums.items()})
    flagged = []
    for community in rows.order_by("code").only("pk", "code", "name"):
        floor = minimums(community.code)
        short = [
            (FundType(kind).label, money(getattr(community, f"sum_{kind}")), money(floor[kind]))
            for kind in FundType.values
            if floor[kind] > 0 and (getattr(community, f"sum_{kind}") or ZERO) < floor[kind]
        ]
        if short:
            flagged.append((community, short))
    return flagged


def allocations_below(request):
    """Home tile: communities of the user's scope below a type's minimum this year."""
    user = request.user
    if not can_anywhere(user, KEEP_ALLOCATIONS):
        return None
    year = timezone.localdate().year
    flagged = below_minimum(Area.objects.scoped(user, KEEP_ALLOCATIONS), year)
    if not flagged:
        return None
    return {"rows": flagged[:LISTED], "count": len(flagged), "year": year, "list_url": reverse("funds:allocation_list")}


def unpublished(areas, quarter):
    published = FundNotice.objects.filter(
        area=OuterRef("pk"),
        status=NoticeStatus.PUBLISHED,
        published_at__date__range=(quarter.start, quarter.end),
    )
    return areas.filter(level=AreaLevel.COMMUNITY).filter(~Exists(published)).order_by("code")


def notices_not_published(request):
    """Home tile: communities of the user's scope without a notice published this quarter."""
    user = request.user
    if not can_anywhere(user, PUBLISH_NOTICE):
        return None
    quarter = Quarter.of(timezone.localdate())
    missing = unpublished(Area.objects.scoped(user, PUBLISH_NOTICE), quarter)
    # The first rows and how many there are in one query (the window counts before the limit), so
    # that a district's tile costs what a street's does.
    rows = list(missing.only("pk", "code", "name").annotate(total=Window(Count("pk")))[:LISTED])
    if not rows:
        return None
    return {
        "rows": rows,
        "count": rows[0].total,
        "quarter": quarter,
        "add_url": reverse("funds:fundnotice_add"),
    }


def keeps_allocations(request):
    return can_anywhere(request.user, KEEP_ALLOCATIONS)


def publishes_notices(request):
    return can_anywhere(request.user, PUBLISH_NOTICE)


def rate(spent, allocated):
    return (spent / allocated * 100).quantize(Decimal("0.1")) if allocated else None


def area_figures(user, area):
    """The area page's card, or None for who reads no funds there or an area below a community."""
    if area.level not in (AreaLevel.CITY, AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMUNITY):
        return None
    if not can(user, READ_FUNDS, area):
        return None
    today = timezone.localdate()
    year, quarter = today.year, Quarter.of(today)
    allocated = dict(
        Allocation.objects.filter(within("area__code", area.code), year=year)
        .values("fund_type")
        .annotate(total=Sum("amount"))
        .values_list("fund_type", "total")
    )
    spent_rows = (
        Expenditure.objects.filter(
            within("area__code", area.code),
            status=ExpenditureStatus.APPROVED,
            spent_on__range=(datetime.date(year, 1, 1), today),
        )
        .values("allocation__fund_type")
        .annotate(
            total=Sum("amount"),
            quarter=Sum("amount", filter=Q(spent_on__range=(quarter.start, quarter.end))),
        )
        .values_list("allocation__fund_type", "total", "quarter")
    )
    spent = {kind: (total, in_quarter or ZERO) for kind, total, in_quarter in spent_rows}
    types = [
        {
            "label": label,
            "allocated": allocated.get(kind) or ZERO,
            "spent": spent.get(kind, (ZERO, ZERO))[0],
            "quarter": spent.get(kind, (ZERO, ZERO))[1],
            "rate": rate(spent.get(kind, (ZERO, ZERO))[0], allocated.get(kind) or ZERO),
        }
        for kind, label in FundType.choices
    ]
    for t in types:
        t.update(allocated_text=money(t["allocated"]), spent_text=money(t["spent"]), quarter_text=money(t["quarter"]))
    total_allocated = sum((t["allocated"] for t in types), ZERO)
    total_spent = sum((t["spent"] for t in types), ZERO)
    context = {
        "year": year,
        "quarter": quarter,
        "types": types,
        "total_allocated": total_allocated,
        "total_spent": total_spent,
        "total_quarter": sum((t["quarter"] for t in types), ZERO),
        "total_rate": rate(total_spent, total_allocated),
        "total_allocated_text": money(total_allocated),
        "total_spent_text": money(total_spent),
        "total_quarter_text": money(sum((t["quarter"] for t in types), ZERO)),
        "expenditures_url": reverse("funds:expenditure_list") + f"?within={area.code}",
        "allocations_url": reverse("funds:allocation_list") + f"?within={area.code}",
    }
    if area.level == AreaLevel.COMMUNITY:
        flagged = below_minimum(Area.objects.filter(pk=area.pk), year)
        context["below"] = flagged[0][1] if flagged else []
        context["public_url"] = (
            reverse("funds:public_notice", args=[area.code])
            if FundNotice.objects.filter(area=area, status=NoticeStatus.PUBLISHED).exists()
            else ""
        )
    else:
        context["unpublished"] = unpublished(Area.objects.filter(within("code", area.code)), quarter).count()
    return context
