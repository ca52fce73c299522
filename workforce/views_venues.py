"""党群服务阵地's and 示范点's pages on the kit (ModelPages); a venue's photos and a site's naming
document served to who reads the record; the venue page's card of what it lacks, its photos and
the meetings held there; the non-compliant venues per street; the sites per district; the area
page's lazy card; the cards of the demonstration titles on an area's and an organisation's page."""

import datetime

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core import files
from core.views.generic import ModelPages
from orgs.choices import AreaLevel
from orgs.models import Area
from orgs.scoping import can, can_anywhere, scoped_area, within
from party.models import Meeting

from . import filters_venues as filters
from . import forms_venues as forms
from . import tables_venues as tables
from .menu import GROUP as MENU
from .menu import PLACES
from .models_venues import DemonstrationSite, SiteLevel, Venue, VenuePhoto
from .permissions import KEEP_VENUES, MARK_SITES, READ_VENUES

SECTION = PLACES
LISTED = 10
LATEST_MEETINGS = 5


class VenuePages(ModelPages):
    model = Venue
    queryset = Venue.objects.select_related("area")
    table = tables.VenueTable
    filterset = filters.VenueFilterSet
    form = forms.VenueForm
    change_action = KEEP_VENUES
    detail_fields = (
        "area",
        "level",
        "name",
        "address",
        "floor_area",
        "opening_hours",
        "has_sign",
        "has_fixed_site",
        "has_facilities",
        "has_rules",
        "has_team",
        "compliant",
    )
    import_kind = "workforce_venues"
    menu = {
        "group": MENU,
        "section": SECTION,
        "order": 60,
        "icon": "house-heart",
        "label": gettext_lazy("党群服务阵地"),
    }


class DemonstrationSitePages(ModelPages):
    model = DemonstrationSite
    queryset = DemonstrationSite.objects.select_related("area", "organisation", "venue")
    table = tables.DemonstrationSiteTable
    filterset = filters.DemonstrationSiteFilterSet
    form = forms.DemonstrationSiteForm
    change_action = MARK_SITES
    detail_fields = (
        "kind",
        "area",
        "organisation",
        "venue",
        "level",
        "theme",
        "year",
        "document_number",
        "document_name",
    )
    menu = {"group": MENU, "section": SECTION, "order": 61, "icon": "award", "label": gettext_lazy("示范点")}


PAGES = (
    ("workforce/venues", VenuePages),
    ("workforce/sites", DemonstrationSitePages),
)


# --- files, served only in scope ------------------------------------------------------------------


@login_required
def venue_photo(request, pk):
    """A venue's photo, to who may see the venue (404 otherwise)."""
    photo = get_object_or_404(VenuePhoto.objects.filter(venue__in=Venue.objects.scoped(request.user)), pk=pk)
    response = files.serve(photo.file, photo.name)
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline", 1)
    return response


@login_required
def site_document(request, pk):
    """A demonstration site's naming document, to who may see the site (404 otherwise)."""
    site = get_object_or_404(DemonstrationSite.objects.scoped(request.user), pk=pk)
    if not site.document:
        raise Http404
    return files.serve(site.document, site.document_name or site.document.name.rsplit("/", 1)[-1])


# --- a venue's card: what it lacks, its photos, the meetings held there -----------------------------


def meetings_held(venue, user, today=None):
    """(this year's count, the latest few the user may open) of the party's meetings held at `venue`."""
    today = today or timezone.localdate()
    held = venue.meetings()
    count = held.filter(held_on__gte=datetime.date(today.year, 1, 1), held_on__lte=today).count()
    latest = list(
        held.filter(pk__in=Meeting.objects.scoped(user).values("pk"))
        .select_related("organisation")
        .order_by("-held_on", "-pk")[:LATEST_MEETINGS]
    )
    return count, latest


def venue_panel(request, venue):
    count, latest = meetings_held(venue, request.user)
    return {
        "venue": venue,
        "lacks": venue.lacks(),
        "standard": venue.standard(),
        "photos": list(venue.photos.all()),
        "meetings_count": count,
        "meetings": latest,
        "year": timezone.localdate().year,
        "sites": list(venue.demonstration_sites.order_by("-year")),
        "may_mark": can(request.user, MARK_SITES, venue.area),
    }


# --- the non-compliant venues per street ------------------------------------------------------------


@login_required
def venues_short(request):
    """The venues of the user's scope out of the standard, grouped by their street, each with what it
    lacks; `?within=` narrows to a subtree. Two queries whatever the number of streets."""
    if not can_anywhere(request.user, READ_VENUES):
        raise Http404
    venues = Venue.objects.scoped(request.user).filter(compliant=False).select_related("area")
    code = request.GET.get("within", "").strip()
    if code:
        root = scoped_area(request, code, READ_VENUES)
        venues = venues.filter(within("area__code", root.code))
    rows = list(venues.order_by("area__code", "level", "name")[:2000])
    prefixes = {code for v in rows for code in [*v.area.ancestor_codes(), v.area.code]}
    streets = {s.code: s for s in Area.objects.filter(level=AreaLevel.STREET, code__in=prefixes).only("code", "name")}
    groups = {}
    for venue in rows:
        street = next((s for c, s in streets.items() if venue.area.code.startswith(c)), None)
        groups.setdefault(street, []).append((venue, venue.lacks()))
    return render(
        request,
        "workforce/venues/short.html",
        {
            "title": gettext_lazy("未达标的党群服务阵地"),
            "groups": sorted(groups.items(), key=lambda item: item[0].code if item[0] else ""),
            "count": len(rows),
            "list_url": reverse("workforce:venue_list") + "?compliant=false",
        },
    )


# --- the demonstration sites per district ------------------------------------------------------------


@login_required
def sites_by_district(request):
    """The demonstration sites of the user's scope counted per district and level (one query)."""
    if not can_anywhere(request.user, READ_VENUES):
        raise Http404
    sites = DemonstrationSite.objects.scoped(request.user)
    districts = Area.objects.filter(level=AreaLevel.DISTRICT)
    counts = {
        district.code: {"district": district, "total": 0, "by_level": dict.fromkeys(SiteLevel.values, 0)}
        for district in districts.only("pk", "code", "name").order_by("code")
    }
    for row in sites.values("area__code", "level").annotate(n=Count("pk")).order_by():
        entry = next((e for c, e in counts.items() if row["area__code"].startswith(c)), None)
        if entry is not None:
            entry["by_level"][row["level"]] += row["n"]
            entry["total"] += row["n"]
    shown = [
        {**entry, "levels": [entry["by_level"][level] for level in SiteLevel.values]}
        for entry in counts.values()
        if entry["total"]
    ]
    return render(
        request,
        "workforce/sites/by_district.html",
        {
            "title": gettext_lazy("示范点分区统计"),
            "rows": shown,
            "levels": SiteLevel.choices,
            "total": sum(e["total"] for e in shown),
            "list_url": reverse("workforce:demonstrationsite_list"),
        },
    )


# --- the area page's card (lazy) and the demonstration titles ----------------------------------------

AREA_LEVELS = (AreaLevel.CITY, AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMUNITY)


def area_panel_place(request, area):
    if area.level not in AREA_LEVELS or not can(request.user, READ_VENUES, area):
        return None
    return {"url": reverse("workforce:venues_area_panel", args=[area.code])}


@login_required
def area_panel(request, code):
    """党群服务阵地 on an area's page (htmx): its subtree's venues, how many comply, the first
    non-compliant ones with what they lack, and its demonstration sites."""
    area = scoped_area(request, code, READ_VENUES)
    venues = Venue.objects.filter(within("area__code", area.code))
    figures = venues.aggregate(total=Count("pk"), compliant=Count("pk", filter=Q(compliant=True)))
    if not figures["total"] and not can(request.user, KEEP_VENUES, area):
        return HttpResponse("")
    short = list(venues.filter(compliant=False).select_related("area").order_by("area__code", "name")[:LISTED])
    sites = DemonstrationSite.objects.filter(within("area__code", area.code)).count()
    titles = titles_panel(request, area) or {}  # the area's own titles, here rather than a query on its page
    query = f"?within={area.code}"
    return render(
        request,
        "workforce/venues/area_panel.html",
        {
            "object": area,
            **figures,
            "rate": round(100 * figures["compliant"] / figures["total"]) if figures["total"] else None,
            "short": [(venue, venue.lacks()) for venue in short],
            "sites": sites,
            "titles": titles.get("sites", []),
            "mark_url": titles.get("add_url", ""),
            "venues_url": reverse("workforce:venue_list") + query,
            "short_url": reverse("workforce:venues_short") + query,
            "sites_url": reverse("workforce:demonstrationsite_list") + query,
            "add_url": reverse("workforce:venue_add") if can(request.user, KEEP_VENUES, area) else "",
        },
    )


def titles_panel(request, obj):
    """The demonstration titles of an area or a party organisation (its own, not its subtree's): a
    panel of the organisation's page; an area's are in its 党群服务阵地 card (`area_panel`), which
    loads after the page."""
    if not can_anywhere(request.user, READ_VENUES):
        return None
    if obj._meta.label_lower == "orgs.area":
        sites = DemonstrationSite.objects.filter(area=obj, kind="area")
        add = {"area": obj.code}
    else:
        sites = DemonstrationSite.objects.filter(organisation=obj)
        add = {"organisation": obj.pk}
    sites = list(sites.scoped(request.user, READ_VENUES).order_by("-year", "pk"))
    may_mark = can(request.user, MARK_SITES, obj.area if hasattr(obj, "area") else obj)
    if not sites and not may_mark:
        return None
    from urllib.parse import urlencode

    return {
        "sites": sites,
        "add_url": reverse("workforce:demonstrationsite_add") + "?" + urlencode(add) if may_mark else "",
    }


def place_names(user, area):
    """The venues' names a meeting's place may be (core.registry.add_place_source): those at the
    organisation's area or above it (where a meeting there is counted), else those of the user's scope."""
    if area is not None:
        codes = [*area.ancestor_codes(), area.code]
        venues = Venue.objects.filter(area__code__in=codes).order_by("-area__code", "name")
    elif can_anywhere(user, READ_VENUES):
        venues = Venue.objects.scoped(user, READ_VENUES).order_by("area__code", "name")
    else:
        return []
    return list(venues.values_list("name", flat=True)[:50])


urlpatterns = [
    path("workforce/venues/short/", venues_short, name="venues_short"),
    path("workforce/venue-photos/<int:pk>/", venue_photo, name="venuephoto_download"),
    path("workforce/sites/districts/", sites_by_district, name="sites_by_district"),
    path("workforce/sites/<int:pk>/document/", site_document, name="demonstrationsite_document"),
    path("areas/<code:code>/venues/", area_panel, name="venues_area_panel"),
]
