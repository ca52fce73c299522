"""党群服务阵地's home tile: the venues of the user's scope out of the standard, with what each lacks,
for who keeps venues (a street's or a community's cadre)."""

from django.db.models import Count, Window
from django.urls import reverse

from orgs.choices import Role
from orgs.scoping import can_anywhere, user_roles

from .models_venues import Venue
from .permissions import KEEP_VENUES

LISTED = 8


def keeps_venues(request):
    roles = user_roles(request.user)
    return Role.STREET_CADRE in roles or Role.COMMUNITY_CADRE in roles


def venues_short(request):
    """Home tile: the first venues out of the standard and how many there are (one query)."""
    if not can_anywhere(request.user, KEEP_VENUES):
        return None
    rows = list(
        Venue.objects.scoped(request.user, KEEP_VENUES)
        .filter(compliant=False)
        .select_related("area")
        .annotate(total=Window(Count("pk")))
        .order_by("area__code", "name")[:LISTED]
    )
    if not rows:
        return None
    return {
        "rows": [(venue, venue.lacks()) for venue in rows],
        "count": rows[0].total,
        "all_url": reverse("workforce:venues_short"),
    }
