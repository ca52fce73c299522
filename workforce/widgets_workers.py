"""社区工作者's home tiles and the area page's card: the workers in post whose training hours this year
are short of the requirement so far, the certificates expiring within 90 days (for who keeps the
workers), and an area's workers, certified share and staffing."""

import datetime

from django.db.models import Count, DecimalField, Q, Sum, Value, Window
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from orgs.choices import AreaLevel
from orgs.models import Area
from orgs.scoping import can, can_anywhere, within

from .indicators_workers import owed_by
from .models_workers import Certificate, Worker, training_requirement
from .permissions import KEEP_WORKERS, READ_WORKERS
from .staffing_workers import communities_of, in_post

LISTED = 10
EXPIRING_DAYS = 90
HOURS = DecimalField(max_digits=7, decimal_places=1)


def keeps_workers(request):
    return can_anywhere(request.user, KEEP_WORKERS)


def with_hours(workers, today):
    """Workers with their training hours from the year's first day to `today`, summed in SQL."""
    first = datetime.date(today.year, 1, 1)
    return workers.annotate(
        hours_this_year=Coalesce(
            Sum("trainings__hours", filter=Q(trainings__trained_on__range=(first, today))),
            Value(0, output_field=HOURS),
            output_field=HOURS,
        )
    )


def training_short(request):
    """Home tile: the workers in post of the user's scope short of the hours owed so far this year."""
    user = request.user
    if not can_anywhere(user, KEEP_WORKERS):
        return None
    today = timezone.localdate()
    owed = owed_by(today)
    workers = Worker.objects.scoped(user, KEEP_WORKERS).filter(in_post("", today))
    short = with_hours(workers, today).filter(hours_this_year__lt=owed)
    rows = list(
        short.select_related("area").annotate(total=Window(Count("pk"))).order_by("hours_this_year", "pk")[:LISTED]
    )
    if not rows:
        return None
    return {
        "rows": rows,
        "count": rows[0].total,
        "owed": owed,
        "requirement": training_requirement(),
        "year": today.year,
        "list_url": reverse("workforce:trainingrecord_list") + f"?year={today.year}",
    }


def certificates_expiring(request):
    """Home tile: the certificates of the user's scope expiring within 90 days."""
    user = request.user
    if not can_anywhere(user, KEEP_WORKERS):
        return None
    today = timezone.localdate()
    soon = Certificate.objects.scoped(user, KEEP_WORKERS).filter(
        expires_on__range=(today, today + datetime.timedelta(days=EXPIRING_DAYS))
    )
    rows = list(
        soon.select_related("worker__area").annotate(total=Window(Count("pk"))).order_by("expires_on", "pk")[:LISTED]
    )
    if not rows:
        return None
    return {"rows": rows, "count": rows[0].total, "list_url": reverse("workforce:certificate_list") + "?expiring=true"}


def area_figures(user, area):
    """The area page's card, or None for who reads no workers there or an area below a community."""
    if area.level not in (AreaLevel.CITY, AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMUNITY):
        return None
    if not can(user, READ_WORKERS, area):
        return None
    communities = communities_of(Area.objects.filter(within("code", area.code)), within=area.code)
    today = timezone.localdate()
    workers = Worker.objects.filter(within("area__code", area.code)).filter(in_post("", today))
    counts = workers.aggregate(
        total=Count("pk"),
        secretaries=Count("pk", filter=Q(post="secretary")),
        certified=Count(
            "pk",
            filter=Q(
                pk__in=Certificate.objects.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today)).values(
                    "worker_id"
                )
            ),
        ),
    )
    share = round(counts["certified"] * 100 / counts["total"], 1) if counts["total"] else None
    short = [c for c in communities if c.short]
    return {
        "counts": counts,
        "share": share,
        "communities": communities,
        "short": short,
        "total_short": sum(c.short for c in short),
        "list_url": reverse("workforce:worker_list") + f"?within={area.code}&current=true",
        "staffing_url": reverse("workforce:staffing") + f"?within={area.code}",
        "is_community": area.level == AreaLevel.COMMUNITY,
    }
