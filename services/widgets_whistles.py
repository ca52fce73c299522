"""What 吹哨报到 adds to other pages (core.registry): the area page's panel (the whistles about the
area's subtree), the whistle's panel (its departments' responses), the compound page's panel (the
whistles linked to it, by content type: services imports nothing of property), and the home
widgets — a department's responses to sign for or close (overdue first), a street's responses
awaiting verification."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from orgs.choices import AreaLevel
from orgs.scoping import can, can_anywhere, user_departments, within

from .models_whistles import OPEN_STATES, ResponseStatus, Whistle, WhistleResponse, overdue
from .permissions import BLOW_WHISTLE, READ_WHISTLES, VERIFY_WHISTLE

LISTED = 8


def with_late(queryset):
    late = WhistleResponse.objects.filter(
        whistle=OuterRef("pk"), status__in=OPEN_STATES, whistle__deadline__lt=timezone.localdate()
    )
    return queryset.annotate(late=Exists(late))


def listing(queryset, all_url, **more):
    rows = list(with_late(queryset.select_related("area", "kind"))[:LISTED])
    return {"rows": rows, "count": len(rows) if len(rows) < LISTED else queryset.count(), "all_url": all_url, **more}


def shows_whistles(request, area):
    """Whether the area page has a place for 吹哨报到: from the street down, for who reads whistles
    (the street, the 组织部, a department: those addressed to it)."""
    return area.level not in (AreaLevel.CITY, AreaLevel.DISTRICT) and can_anywhere(request.user, READ_WHISTLES)


def area_panel(request, area):
    """吹哨报到 on an area's page from the street down: its subtree's whistles, newest first."""
    if not shows_whistles(request, area):
        return None
    whistles = Whistle.objects.scoped(request.user).filter(within("area__code", area.code))
    blow = can(request.user, BLOW_WHISTLE, area)
    if not blow and not whistles.exists():
        return None
    return listing(
        whistles,
        reverse("services:whistle_list") + f"?within={area.code}",
        blow_url=reverse("services:whistle_add") + f"?area={area.code}" if blow else "",
    )


def compound_panel(request, compound):
    """吹哨报到 on a property compound's page: the whistles linked to it (物业纠纷)."""
    kind = ContentType.objects.get_for_model(compound)
    whistles = Whistle.objects.scoped(request.user).filter(subject_type=kind, subject_id=compound.pk)
    if not whistles.exists():
        return None
    return listing(whistles, reverse("services:whistle_list") + f"?subject_id={compound.pk}", blow_url="")


def whistle_panel(request, whistle):
    """The whistle's departments and where each response stands (a department sees its own only)."""
    rows = list(
        WhistleResponse.objects.scoped(request.user)
        .filter(whistle=whistle)
        .select_related("department", "whistle")
        .order_by("department__name")
    )
    return {"rows": rows}


def department_work(request):
    """A department's responses to sign for or to close, overdue first."""
    user = request.user
    if not user_departments(user):
        return None
    waiting = WhistleResponse.objects.scoped(user).filter(status__in=OPEN_STATES)
    rows = list(waiting.select_related("whistle", "department").order_by("whistle__deadline", "pk")[:LISTED])
    if not rows:
        return None
    return {
        "heading": _("吹哨待报到、待办结 {n} 项").format(n=waiting.count()),
        "rows": rows,
        "count": waiting.count(),
        "overdue": overdue(waiting).count(),
        "all_url": reverse("services:whistleresponse_list"),
    }


def street_work(request):
    """A street's responses closed and awaiting its verification and score."""
    user = request.user
    if not can_anywhere(user, VERIFY_WHISTLE):
        return None
    waiting = WhistleResponse.objects.scoped(user, VERIFY_WHISTLE).filter(status=ResponseStatus.CLOSED)
    rows = list(waiting.select_related("whistle", "department").order_by("closed_at", "pk")[:LISTED])
    if not rows:
        return None
    return {
        "heading": _("部门已办结待核验评分 {n} 项").format(n=waiting.count()),
        "rows": rows,
        "count": waiting.count(),
        "overdue": 0,
        "all_url": reverse("services:whistleresponse_list") + "?status=closed",
    }
