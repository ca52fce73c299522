"""Staffing against the standard (seed 003: workers per 1,000 households, per city): for the
communities of a user's scope, the households (red property's compounds, through the registry),
the workers the standard asks, those in post, the certified among them — and per street the
communities short and by how many. Two queries whatever the number of communities."""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from orgs.choices import AreaLevel
from orgs.models import Area
from orgs.scoping import user_scopes, within

from .indicators_workers import households
from .models_workers import required_workers
from .permissions import READ_WORKERS


@dataclass
class CommunityStaffing:
    area: Area
    households: int
    required: int
    in_post: int
    certified: int

    @property
    def short(self):
        return max(self.required - self.in_post, 0)

    @property
    def certified_share(self):
        return round(self.certified * 100 / self.in_post, 1) if self.in_post else None


@dataclass
class StreetStaffing:
    street: Area
    communities: list = field(default_factory=list)

    @property
    def short_ones(self):
        return [c for c in self.communities if c.short]

    @property
    def total_short(self):
        return sum(c.short for c in self.communities)

    @property
    def households(self):
        return sum(c.households for c in self.communities)

    @property
    def required(self):
        return sum(c.required for c in self.communities)

    @property
    def in_post(self):
        return sum(c.in_post for c in self.communities)

    @property
    def certified_share(self):
        certified = sum(c.certified for c in self.communities)
        return round(certified * 100 / self.in_post, 1) if self.in_post else None


def in_post(prefix, on):
    return Q(**{f"{prefix}hired_on__lte": on}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": on})
    )


def communities_of(areas, on=None, within=None):
    """[CommunityStaffing] of the communities of `areas` (a queryset of areas), by code; `within`: the
    code of an area they all lie in, so that only its compounds' households are read."""
    on = on or timezone.localdate()
    worker = "workforce_worker__"
    valid = Q(**{f"{worker}certificates__obtained_on__lte": on}) & (
        Q(**{f"{worker}certificates__expires_on__isnull": True}) | Q(**{f"{worker}certificates__expires_on__gte": on})
    )
    rows = (
        areas.filter(level=AreaLevel.COMMUNITY)
        .select_related("parent")
        .annotate(
            in_post=Count("workforce_worker", filter=in_post(worker, on), distinct=True),
            certified=Count("workforce_worker", filter=in_post(worker, on) & valid, distinct=True),
        )
        .order_by("code")
    )
    weights = households(within)
    return [
        CommunityStaffing(
            area,
            weights.get(area.pk, 0),
            required_workers(weights.get(area.pk, 0), area.code),
            area.in_post,
            area.certified,
        )
        for area in rows
    ]


def by_street(user, code=""):
    """[StreetStaffing] of the communities the user reads workers of (within `code` when given)."""
    areas = Area.objects.scoped(user, READ_WORKERS)
    scopes = user_scopes(user, READ_WORKERS)
    if code:
        areas = areas.filter(within("code", code))
    elif len(scopes) == 1:  # one office's scope (a street's, a district's): only its compounds are read
        code = scopes[0].code
    streets = {}
    for row in communities_of(areas, within=code or None):
        street = row.area.parent
        streets.setdefault(street.pk, StreetStaffing(street)).communities.append(row)
    return list(streets.values())
