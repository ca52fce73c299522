"""What the party side adds to other pages (core.registry): the area page's panel, the panels of
its own records' pages and the home page's widgets for a branch secretary."""

from django.db.models import Count, Max, Window

from core.calendar import Quarter
from orgs.choices import AreaLevel
from orgs.models import Area
from orgs.scoping import Action, Scope, can, can_anywhere, user_scopes

from . import queries, tallies
from .choices import REQUIRED_MEETINGS, MeetingKind
from .models import InServiceMember, PartyMember, PartyOrganisation, ReportingUnit, ServiceRecord, counted_members
from .permissions import CHANGE_PARTY, CHANGE_REPORTING, LOG_SERVICE, RECORD_MEETING, VIEW_PARTY

LISTED = 8


def unit_account(request):
    """The home page of a reporting unit's account (no role over an area): its units, its
    in-service members and its unit's page, where another user's scope card stands."""
    user = request.user
    if user.is_superuser or user_scopes(user, Action.VIEW):  # a role somewhere (read once a request)
        return None
    units = list(ReportingUnit.objects.filter(users=user).order_by("name"))
    return {"units": units} if units else None


def area_panel(request, area):
    """党建 on an area's page: organisations, members, reported in-service members and the
    organisations behind their meetings, over the subtree, loaded after the page so that the page
    stays as fast as the tree."""
    if area.level in (AreaLevel.BUILDING, AreaLevel.UNIT) or not can(request.user, VIEW_PARTY, area):
        return None
    return {"area": area}  # the figures come after the page (htmx): party.views.party_summary


def organisation_panel(request, organisation):
    """Its members, sub-organisations and meetings. An organisation seen through an area it covers
    (an alliance, an industry committee) may hold records beyond the viewer's scope: the panel
    names only those the viewer may open, and counts the others."""
    user = request.user
    children = list(organisation.children.scoped(user).annotate(member_count=counted_members()))
    members = organisation.members.scoped(user).order_by("name")
    member_count = organisation.members.count()
    shown_count = members.count()
    meetings = organisation.meetings.scoped(user)
    listed_meetings = list(meetings.with_attendance().order_by("-held_on", "-pk")[:LISTED])
    committee = list(organisation.committee.scoped(user).order_by("name"))
    return {
        "organisation": organisation,
        "children": children,
        "members": members[: 3 * LISTED],
        "member_count": member_count,
        "shown_count": shown_count,
        "unlisted_members": member_count - shown_count,
        "committee": committee,
        "unlisted_committee": organisation.committee.count() - len(committee),
        "requires_committee": MeetingKind.COMMITTEE_MEETING in REQUIRED_MEETINGS.get(organisation.kind, ()),
        "meetings": listed_meetings,
        "unlisted_meetings": organisation.meetings.count() - meetings.count() if len(listed_meetings) < LISTED else 0,
        "can_record": can(request.user, RECORD_MEETING, organisation),
        "can_change": can(request.user, CHANGE_PARTY, organisation),
    }


def meeting_panel(request, meeting):
    """Who came and who did not (with why), of those expected that day, and the photos."""
    came = list(meeting.attendees.order_by("name"))
    absences = list(meeting.absences.select_related("member")[:300])
    # A meeting recorded before absences were: how many stayed away is all that is known.
    unnamed = max(0, meeting.expected - len(came) - len(absences)) if not absences else 0
    return {
        "meeting": meeting,
        "came": came,
        "absences": absences,
        "unnamed": unnamed,
        "photos": list(meeting.photos.all()),
    }


def member_panel(request, member):
    # The same ID number registered again where this user sees it too: one of the two is to go.
    twins = []
    if member.id_number:
        twins = list(
            PartyMember.objects.scoped(request.user)
            .filter(id_number=member.id_number)
            .exclude(pk=member.pk)
            .select_related("organisation")[:5]
        )
    return {
        "member": member,
        "twins": twins,
        "transfers": member.transfers.select_related("from_organisation", "to_organisation"),
        "can_transfer": can(request.user, CHANGE_PARTY, member),
    }


def unit_panel(request, unit):
    return {
        "unit": unit,
        "can_register": can_anywhere(request.user, CHANGE_REPORTING),
        "registrations": unit.registrations.scoped(request.user).select_related("community"),
        "members": InServiceMember.objects.scoped(request.user).filter(unit=unit).select_related("community")[:50],
    }


def in_service_panel(request, member):
    return {
        "member": member,
        "services": member.services.select_related("confirmed_by")[:20],
        "can_log": can(request.user, LOG_SERVICE, member),
    }


def service_panel(request, record):
    """Confirm a service (the community), or, once confirmed, say that it is locked and let the
    community reopen it."""
    if record.confirmed_at is None and not can(request.user, CHANGE_REPORTING, record):
        return None
    return {
        "record": record,
        "can_reopen": record.confirmed_at is not None and can(request.user, CHANGE_REPORTING, record),
    }


# --- home page ---------------------------------------------------------------------------------------


def meetings_due(request):
    """The organisations of the user's scope still owing meetings this quarter: how many, summed
    from the party's tally (party/tallies.py), and the first of them in the order of their areas,
    found from the tally's rows (the areas that hold one) — a city costs what a grid does."""
    user = request.user
    scopes = own_scopes = user_scopes(user, RECORD_MEETING)
    if not scopes and not user.is_superuser:
        return None
    if user.is_superuser:
        cities = Area.objects.filter(parent__isnull=True).values_list("code", flat=True)
        scopes = [Scope(code, False) for code in cities]
    quarter = Quarter.current()
    start, end, label = quarter.start, quarter.end, quarter.label
    organisations = PartyOrganisation.objects.scoped(user, RECORD_MEETING)
    count = tallies.BEHIND.total(scopes)["current"]
    if not count:
        # Nothing owed: a grid's or a community's few organisations, to record the next meeting.
        own = list(
            organisations.filter(kind__in=list(REQUIRED_MEETINGS))
            .annotate(last_held=Max("meetings__held_on"))
            .order_by("area__code", "name")[: LISTED + 1]
        )
        if not own or len(own) > LISTED:
            return None
        return {"rows": [], "count": 0, "quarter": label, "organisations": own}
    codes = tallies.BEHIND.codes_with("current", scopes, LISTED, refresh=False)  # refreshed by total()
    # The organisations of those areas, in the order of their areas, and of them those behind.
    found = queries.shortfalls(organisations.filter(area__code__in=codes).order_by("area__code", "pk"), start, end)
    behind = found[:LISTED]
    return {
        "rows": behind,
        "count": count,
        "quarter": label,
        "scope_code": own_scopes[0].code if len(own_scopes) == 1 else "",
        "quarter_value": quarter.key,
    }


def members_to_attend(request):
    """Probationary members whose year ends within a month, and flowing members, for the offices
    that keep members."""
    user = request.user
    if not can_anywhere(user, CHANGE_PARTY):
        return None
    members = PartyMember.objects.scoped(user, CHANGE_PARTY).select_related("organisation")
    due = list(members.probationary_due().order_by("joined_on")[:LISTED])
    flowing = list(members.filter(is_flowing=True).order_by("name")[:LISTED])
    if not due and not flowing:
        return None
    return {"due": due, "flowing": flowing}


def idle_in_service(request):
    """In-service members of the user's communities (or unit) with no service logged this quarter."""
    user = request.user
    if not can_anywhere(user, LOG_SERVICE):
        return None
    idle = (
        InServiceMember.objects.scoped(user)
        .exclude(services__served_on__gte=Quarter.current().start)
        .select_related("unit", "community")
        .order_by("community__code", "name")
    )
    rows = list(idle.annotate(total=Window(Count("pk")))[:LISTED])  # the count with the rows: one query
    if not rows:
        return None
    return {"rows": rows, "count": rows[0].total}


def services_to_confirm(request):
    """The services logged in the user's communities that wait for the community's confirmation:
    they count towards the in-service rate once confirmed."""
    user = request.user
    if not can_anywhere(user, CHANGE_REPORTING):
        return None
    waiting = (
        ServiceRecord.objects.scoped(user, CHANGE_REPORTING)
        .filter(confirmed_at__isnull=True)
        .select_related("member__unit")
        .order_by("served_on", "pk")
    )
    rows = list(waiting.annotate(total=Window(Count("pk")))[:LISTED])  # the count with the rows: one query
    if not rows:
        return None
    return {"rows": rows, "count": rows[0].total}
