"""The two committees' and the mentoring's pages on the kit (ModelPages), and the pages of what is
derived: an area's committees (a community's current terms with 交叉任职, 一肩挑 and the next
election; above it, its children's statistics against the previous terms — one query), the area
page's lazy card, a term's statistics against the previous term (a panel of the term's page) and
the home tile of elections due."""

import re

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.views.generic import ModelPages
from orgs.choices import AreaLevel
from orgs.models import Area
from orgs.scoping import can, can_anywhere, scoped_area, within

from . import committees
from . import filters_committees as filters
from . import tables_committees as tables
from .api_committees import MEMBER_FIELDS, CommunityCommitteeMemberSerializer
from .menu import COMMITTEES
from .menu import GROUP as MENU
from .models_committees import Committee, CommitteeMember, CommitteeTerm, MentorPair, MentorStudio, StudioSession
from .permissions import KEEP_COMMITTEES, READ_COMMITTEES

SECTION = COMMITTEES
LEVELS = (AreaLevel.CITY, AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMUNITY)
CHILD = {
    AreaLevel.CITY: AreaLevel.DISTRICT,
    AreaLevel.DISTRICT: AreaLevel.STREET,
    AreaLevel.STREET: AreaLevel.COMMUNITY,
}
LISTED = 10


class CommitteeTermPages(ModelPages):
    model = CommitteeTerm
    fields = ("area", "committee", "number", "elected_on", "ends_on", "note")
    queryset = (
        CommitteeTerm.objects.select_related("area")
        .annotate(members_count=Count("members"))
        .order_by("area__code", "committee", "-elected_on")
    )
    table = tables.CommitteeTermTable
    filterset = filters.CommitteeTermFilterSet
    change_action = KEEP_COMMITTEES
    detail_fields = ("area", "committee", "number", "elected_on", "ends_on", "note")
    api = "community-committee-terms"
    menu = {"group": MENU, "section": SECTION, "order": 30, "icon": "people", "label": gettext_lazy("两委班子")}


class CommitteeMemberPages(ModelPages):
    model = CommitteeMember
    fields = MEMBER_FIELDS
    queryset = committees.with_flags(CommitteeMember.objects.select_related("area", "term"))
    table = tables.CommitteeMemberTable
    filterset = filters.CommitteeMemberFilterSet
    change_action = KEEP_COMMITTEES
    detail_fields = ("area", *MEMBER_FIELDS)
    api = "community-committee-members"
    serializer = CommunityCommitteeMemberSerializer  # the kit's, with 交叉任职 and 一肩挑 read-only
    import_kind = "workforce_committee_members"
    menu = {"group": MENU, "section": SECTION, "order": 31, "icon": "person-badge", "label": gettext_lazy("两委成员")}
    basename = "workforce-committeemember"  # property's owners' committee members are "committeemember"

    @classmethod
    def register(cls):
        from core.registry import registry

        registry.add_api_route(cls.api, cls.viewset, cls.basename)
        registry.add_menu_item(cls.menu_item())


class MentorStudioPages(ModelPages):
    model = MentorStudio
    fields = ("area", "name", "secretary_name", "id_number", "founded_on")
    queryset = (
        MentorStudio.objects.select_related("area")
        .annotate(sessions_count=Count("sessions"))
        .order_by("area__code", "name")
    )
    table = tables.MentorStudioTable
    filterset = filters.MentorStudioFilterSet
    change_action = KEEP_COMMITTEES
    api = "mentor-studios"
    menu = {
        "group": MENU,
        "section": SECTION,
        "order": 33,
        "icon": "mortarboard",
        "label": gettext_lazy("名书记工作室"),
    }


class StudioSessionPages(ModelPages):
    model = StudioSession
    fields = ("studio", "held_on", "topic", "attendees")
    queryset = StudioSession.objects.select_related("area", "studio")
    table = tables.StudioSessionTable
    filterset = filters.StudioSessionFilterSet
    change_action = KEEP_COMMITTEES
    detail_fields = ("area", "studio", "held_on", "topic", "attendees")
    api = "studio-sessions"
    menu = {
        "group": MENU,
        "section": SECTION,
        "order": 34,
        "icon": "calendar-event",
        "label": gettext_lazy("工作室活动"),
    }


class MentorPairPages(ModelPages):
    model = MentorPair
    fields = (
        "area",
        "mentee_name",
        "mentee_id_number",
        "mentor_name",
        "mentor_id_number",
        "mentor_area",
        "started_on",
        "ended_on",
    )
    queryset = MentorPair.objects.select_related("area", "mentor_area")
    table = tables.MentorPairTable
    filterset = filters.MentorPairFilterSet
    change_action = KEEP_COMMITTEES
    api = "mentor-pairs"
    menu = {"group": MENU, "section": SECTION, "order": 35, "icon": "diagram-2", "label": gettext_lazy("1+10传帮带")}


PAGES = (
    ("workforce/committee-terms", CommitteeTermPages),
    ("workforce/committee-members", CommitteeMemberPages),
    ("workforce/mentor-studios", MentorStudioPages),
    ("workforce/studio-sessions", StudioSessionPages),
    ("workforce/mentor-pairs", MentorPairPages),
)


# --- what is derived ------------------------------------------------------------------------------


def comparison(current, previous):
    """[(label, current value, previous value, change)] of the seeds' statistics of two Stats."""
    rows = []
    labels = (
        ("members", gettext_lazy("成员人数"), False),
        ("average_age", gettext_lazy("平均年龄（岁）"), True),
        ("young", gettext_lazy("35岁以下占比（%）"), True),
        ("college", gettext_lazy("大专及以上学历占比（%）"), True),
        ("women", gettext_lazy("女性占比（%）"), True),
        ("crossing", gettext_lazy("交叉任职占比（%）"), True),
    )
    now, before = current.shares, previous.shares if previous is not None else None
    for key, label, is_share in labels:
        value = now[key] if is_share else current["members"]
        old = None if before is None else (before[key] if is_share else previous["members"])
        change = round(value - old, 1) if value is not None and old is not None else None
        rows.append((label, value, old, change))
    return rows


def community_context(area, today=None):
    """A community's current terms (with members and their flags), its 一肩挑, its 交叉任职 and its
    next election — a few queries whatever its size."""
    today = today or timezone.localdate()
    terms = {t.committee: t for t in committees.current_terms(today).filter(area=area)}
    members = list(
        committees.with_flags(CommitteeMember.objects.filter(term__in=list(terms.values())))
        .select_related("term")
        .order_by("term__committee", "post", "name")
    )
    previous = {c: committees.previous_term(t) for c, t in terms.items()}
    ids = [t.pk for t in terms.values()] + [t.pk for t in previous.values() if t is not None]
    stats = committees.term_statistics(ids, today)
    blocks = []
    for committee in Committee:
        term = terms.get(committee.value)
        before = previous.get(committee.value)
        blocks.append(
            {
                "committee": committee.label,
                "term": term,
                "members": [m for m in members if term is not None and m.term_id == term.pk],
                "rows": comparison(
                    stats.get(term.pk, committees.EMPTY), stats.get(before.pk, committees.EMPTY) if before else None
                )
                if term
                else [],
                "previous": before,
            }
        )
    one_shoulder = next((m for m in members if m.one_shoulder and m.post == "secretary"), None)
    crossing = sorted({m.name for m in members if m.crossing})
    ends = [t.ends_on for t in terms.values()]
    return {
        "blocks": blocks,
        "one_shoulder": one_shoulder,
        "crossing": crossing,
        "next_election": min(ends) if ends else None,
        "due": any(t.is_due for t in terms.values()),
    }


def children_context(area, today=None):
    """The statistics of the area's children and of the area itself (one query for both levels)."""
    child_level = CHILD[area.level]
    figures = committees.rollup((child_level, area.level), today, under=area)  # both levels, one pass of the facts
    own = figures.get(area.pk)
    children = list(Area.objects.filter(parent=area, level=child_level).order_by("code").only("pk", "code", "name"))
    rows = []
    for child in children:
        f = figures.get(child.pk)
        rows.append({"area": child, "figures": f, "summary": summary(f)})
    return {"rows": rows, "own": summary(own), "own_rows": rollup_rows(own)}


def summary(figures):
    """The headline of an area's current terms: 一肩挑 and 交叉任职 shares, members, young and women."""
    if not figures:
        return None
    party = figures["current"][Committee.PARTY]
    both = committees.Stats(
        {k: figures["current"][Committee.PARTY][k] + figures["current"][Committee.RESIDENTS][k] for k in party}
    )
    return {
        "communities": figures["communities"],
        "one_shoulder": party["both_heads"],
        "one_shoulder_share": round(100 * party["both_heads"] / figures["communities"], 1)
        if figures["communities"]
        else None,
        "crossing_share": party.share("crossing"),
        "members": both["members"],
        "shares": both.shares,
    }


def rollup_rows(figures):
    if not figures:
        return []
    blocks = []
    for committee in Committee:
        blocks.append(
            {
                "committee": committee.label,
                "rows": comparison(figures["current"][committee.value], figures["previous"][committee.value]),
            }
        )
    return blocks


@login_required
def area_committees(request, code):
    """An area's committees page: a community's current terms; a street's, district's or city's
    statistics per child against the previous terms (one query a level)."""
    area = scoped_area(request, code, READ_COMMITTEES)
    if area.level not in LEVELS:
        from django.http import Http404

        raise Http404
    context = {
        "object": area,
        "area": area,
        "breadcrumb": area.breadcrumb(),
        "may_keep": can(request.user, KEEP_COMMITTEES, area),
    }
    if area.level == AreaLevel.COMMUNITY:
        context.update(community_context(area))
    else:
        context.update(children_context(area))
    context["terms_url"] = reverse("workforce:committeeterm_list") + f"?within={area.code}"
    context["members_url"] = reverse("workforce:committeemember_list") + f"?within={area.code}"
    return render(request, "workforce/committees/area.html", context)


@login_required
def area_panel(request, code):
    """The area page's 两委 card (htmx): a community's current terms, 一肩挑, 交叉任职 and next
    election; above it, the 一肩挑 and 交叉任职 shares and the elections due. Empty for who reads none."""
    area = scoped_area(request, code, READ_COMMITTEES)
    if area.level not in LEVELS:
        return HttpResponse("")
    context = {"object": area, "page_url": reverse("workforce:area_committees", args=[area.code])}
    if area.level == AreaLevel.COMMUNITY:
        context.update(community_context(area))
    else:
        figures = committees.rollup(area.level, under=area).get(area.pk)
        context["summary"] = summary(figures)
        context["due_count"] = (
            committees.current_terms().filter(within("area__code", area.code), ends_on__lte=committees.due_by()).count()
        )
        context["due_url"] = reverse("workforce:committeeterm_list") + f"?within={area.code}&due=true"
    return render(request, "workforce/committees/area_panel.html", context)


def panel_place(request, area):
    if area.level not in LEVELS or not can(request.user, READ_COMMITTEES, area):
        return None
    return {"url": reverse("workforce:committees_area_panel", args=[area.code])}


def term_panel(request, term):
    """A term's page: its statistics against the previous term of the same committee."""
    before = committees.previous_term(term)
    stats = committees.term_statistics([term.pk] + ([before.pk] if before else []))
    return {
        "term": term,
        "previous": before,
        "rows": comparison(
            stats.get(term.pk, committees.EMPTY), stats.get(before.pk, committees.EMPTY) if before else None
        ),
        "members_url": reverse("workforce:committeemember_list") + f"?within={term.area.code}",
        "add_url": reverse("workforce:committeemember_add") + f"?term={term.pk}",
        "may_add": can(request.user, KEEP_COMMITTEES, term.area),
    }


NAME = re.compile(r"^[\u4e00-\u9fff·]{2,5}$")


def name_terms(text):
    """The menu bar's search of members by name: a text of two to five Chinese characters, else none."""
    return Q(name__contains=text) if NAME.match(text) else None


def may_read(request):
    return can_anywhere(request.user, READ_COMMITTEES)


def elections_due(request):
    """Home tile: the current terms of the user's scope ending within six months or overdue."""
    user = request.user
    if not can_anywhere(user, READ_COMMITTEES):
        return None
    rows = list(
        committees.current_terms()
        .scoped(user, READ_COMMITTEES)
        .filter(ends_on__lte=committees.due_by())
        .select_related("area")
        .order_by("ends_on", "area__code")[: LISTED + 1]
    )
    if not rows:
        return None
    today = timezone.localdate()
    return {
        "rows": rows[:LISTED],
        "more": len(rows) > LISTED,
        "today": today,
        "list_url": reverse("workforce:committeeterm_list") + "?due=true",
    }


urlpatterns = [
    path("workforce/committees/<code:code>/", area_committees, name="area_committees"),
    path("areas/<code:code>/committees/", area_panel, name="committees_area_panel"),
]
