"""What the party side has due by a date (core/notices.py), registered with the kit's due sources
from one line of party/apps.py: the in-service members' services awaiting their community's
confirmation, and the probationary members (预备党员) whose year of probation ends."""

import datetime

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.registry import Due, DueSource, registry
from orgs.models import Area

from .models import PartyMember, ServiceRecord
from .permissions import CHANGE_PARTY, CHANGE_REPORTING

# A service logged is confirmed by the community within a week; later, it is overdue.
SERVICE_CONFIRMED_WITHIN = datetime.timedelta(days=7)
# Members are told of a probation a month before it ends (the branch meets on the conversion).
PROBATION_TOLD_BEFORE = 30


def services_to_confirm(today):
    """One item per community with services awaiting its confirmation: how many, since when; due a
    week after the oldest was served. It stays one matter while its oldest waits (its count is
    brought up to date daily); once that one is confirmed, what waits still is told anew."""
    waiting = (
        ServiceRecord.objects.filter(confirmed_at__isnull=True, served_on__lte=today)
        .values("member__community_id")
        .annotate(count=Count("id"), oldest=Min("served_on"), first=Min("id"))
        .order_by("member__community_id")
    )
    rows = list(waiting)
    communities = Area.objects.in_bulk([row["member__community_id"] for row in rows])
    url = reverse("party:servicerecord_list") + "?confirmed=no"
    for row in rows:
        community = communities[row["member__community_id"]]
        yield Due(
            key=f"party.services:{community.pk}:{row['oldest'].isoformat()}",
            area=community,
            action=CHANGE_REPORTING,
            title=_("{community}有 {count} 条在职党员服务记录待确认").format(
                community=community.name, count=row["count"]
            ),
            body=_("最早一条服务于 {day}。确认后才计入在职党员报到服务率。").format(day=row["oldest"].isoformat()),
            due_on=row["oldest"] + SERVICE_CONFIRMED_WITHIN,
            url=url,
            record_label=community.name,
        )


def probation_ends(joined_on):
    """The day a probation begun on `joined_on` ends: a year later (28 February for a 29th)."""
    try:
        return joined_on.replace(year=joined_on.year + 1)
    except ValueError:
        return joined_on.replace(year=joined_on.year + 1, day=28)


def probations_ending(today):
    """Each probationary member whose year ends within a month, or has ended: the branch discusses
    the conversion (转正) by then. Told to the nearest who keep the members of the branch's area."""
    members = (
        PartyMember.objects.probationary_due(within_days=PROBATION_TOLD_BEFORE, today=today)
        .filter(joined_on__isnull=False)
        .select_related("organisation__area")
        .order_by("joined_on", "pk")
    )
    for member in members:
        ends = probation_ends(member.joined_on)
        title = (
            _("预备党员{name}的预备期已于 {day} 期满，待转正").format(name=member.name, day=ends.isoformat())
            if ends < today
            else _("预备党员{name}的预备期将于 {day} 期满").format(name=member.name, day=ends.isoformat())
        )
        yield Due(
            key=f"party.probation:{member.pk}:{member.joined_on.isoformat()}",
            area=member.organisation.area,
            action=CHANGE_PARTY,
            title=title,
            body=_(
                "{organisation} · 入党日期 {joined}。请按程序讨论其转正，并在党员信息中更新党员类别和转正日期。"
            ).format(organisation=member.organisation.name, joined=member.joined_on.isoformat()),
            due_on=ends,
            url=member.get_absolute_url(),
            record=member,
            record_label=member.name,
        )


# Registered when party/apps.py imports this module.
registry.add_due_source(DueSource("party.services", gettext_lazy("服务记录待确认"), services_to_confirm))
registry.add_due_source(DueSource("party.probation", gettext_lazy("预备党员转正"), probations_ending))
