"""Figures of the party side over a subtree, each in a fixed number of queries whatever its size:
the area page's panel, the organisation chart, the meetings behind their required frequency."""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from core import calendar
from core.calendar import Quarter
from orgs.models import Area
from orgs.scoping import Action, within

from . import tallies
from .choices import REQUIRED_EVERY, REQUIRED_MEETINGS, MeetingKind, MemberStatus, OrgKind
from .models import InServiceMember, Meeting, PartyMember, PartyOrganisation, counted_members

SCHEDULE_QUARTERS = 6  # the quarters the meeting schedule offers: the one under way and five before


@dataclass
class Shortfall:
    """What one organisation held in a quarter against what it had to."""

    organisation: PartyOrganisation
    kinds: list = field(default_factory=list)  # [(MeetingKind, held, required)]
    # In a quarter under way, what the months ended so far ask of each kind: a kind short of the
    # quarter's number but not of this is 进行中 (under way), not missed.
    due: dict = field(default_factory=dict)  # {MeetingKind: required so far}

    @property
    def missing(self):
        return [(kind, held, required) for kind, held, required in self.kinds if held < required]

    @property
    def running(self):
        """The kinds short of the quarter's number only because the quarter is under way."""
        return {kind for kind, held, _required in self.missing if kind in self.due and held >= self.due[kind]}

    @property
    def behind(self):
        """Whether some kind fell short of what the months ended asked (未达到要求)."""
        return any(kind not in self.running for kind, _held, _required in self.missing)


def required_in_quarter(kind):
    return Quarter.MONTHS // REQUIRED_EVERY[kind]


def shortfalls(organisations, start, end):
    """[Shortfall] of the organisations (a queryset) that held fewer meetings of a required kind
    than required between `start` and `end` (a quarter): two queries. In a quarter under way each
    also knows what the months ended so far asked (`due`)."""
    organisations = list(organisations.filter(kind__in=list(REQUIRED_MEETINGS)))
    held = {
        (row["organisation"], row["kind"]): row["n"]
        for row in Meeting.objects.filter(
            organisation__in=[o.pk for o in organisations],
            held_on__gte=start,
            held_on__lte=end,
            kind__in=list(REQUIRED_EVERY),
        )
        .values("organisation", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    }
    found = []
    for organisation in organisations:
        kinds = [
            (MeetingKind(kind), held.get((organisation.pk, kind), 0), required_in_quarter(kind))
            for kind in REQUIRED_MEETINGS[organisation.kind]
        ]
        due = {}
        today = timezone.localdate()
        if start <= today <= end:
            ended = calendar.months_ended(start, end, today)
            due = {kind: ended // REQUIRED_EVERY[kind] for kind, _held, _required in kinds}
        shortfall = Shortfall(organisation, kinds, due)
        if shortfall.missing:
            found.append(shortfall)
    return found


def behind_count(organisations, start, end):
    """How many of the organisations (a queryset) held fewer meetings of a required kind than
    required between `start` and `end`: one query, counted in SQL (a city's 13,000 organisations
    are not loaded)."""
    sql, params = _behind_sql(organisations, start, end)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql}) behind", params)
        return cursor.fetchone()[0]


def first_behind(organisations, start, end, limit):
    """The first `limit` of those organisations' shortfalls, in the order of their areas: two
    queries more."""
    sql, params = _behind_sql(organisations, start, end)
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} ORDER BY min(o.area_code), o.id LIMIT %s", [*params, limit])
        ids = [row[0] for row in cursor.fetchall()]
    found = {s.organisation.pk: s for s in shortfalls(PartyOrganisation.objects.filter(pk__in=ids), start, end)}
    return [found[pk] for pk in ids if pk in found]


def _behind_sql(organisations, start, end):
    """SQL of the ids of the organisations behind (one row each), and its parameters. Each
    organisation's meetings of each required kind are counted by a probe of the meetings' index
    (organisation, kind, held_on): aggregating every meeting of the quarter first cost 50 ms even
    for a street's eight organisations."""
    required = [
        (str(org_kind), str(kind), required_in_quarter(kind))
        for org_kind, kinds in REQUIRED_MEETINGS.items()
        for kind in kinds
    ]
    ids_sql, ids_params = organisations.order_by().values("pk").query.sql_with_params()
    values = ", ".join(["(%s, %s, %s)"] * len(required))
    sql = f"""
        SELECT o.id
          FROM (SELECT p.id, p.kind, a.code AS area_code FROM {PartyOrganisation._meta.db_table} p
                  JOIN {Area._meta.db_table} a ON a.id = p.area_id) o
         WHERE o.id IN ({ids_sql})
           AND EXISTS (SELECT 1 FROM (VALUES {values}) AS req(org_kind, kind, required)
                        WHERE req.org_kind = o.kind
                          AND (SELECT count(*) FROM {Meeting._meta.db_table} m
                                WHERE m.organisation_id = o.id AND m.kind = req.kind
                                  AND m.held_on BETWEEN %s AND %s) < req.required)
         GROUP BY o.id
    """
    return sql, [*ids_params, *(value for row in required for value in row), start, end]


def in_service_within(code):
    """In-service members reported to a community of `code`'s subtree, or assigned to a grid of it
    (a grid's page finds the members assigned there): the model's within_paths, as its list's
    区划代码（含下级） filter reads them."""
    community, grid = InServiceMember.within_paths
    return within(community, code) | within(grid, code)


def organisations_under(area, user, action=Action.VIEW):
    """The organisations of `area`'s subtree that `user` may see."""
    return PartyOrganisation.objects.scoped(user, action).filter(within("area__code", area.code))


def area_figures(area, user):
    """The area page's panel: organisations, members (probationary among them), reported in-service
    members and the organisations behind their meetings last quarter, over the subtree. The counts
    of organisations and members and the organisations behind are summed from the party's tallies
    (party/tallies.py: exact, kept by triggers), so a city costs what a street does: whoever may
    view the area sees its whole subtree (Action.VIEW holds over the subtree for every role), so
    the tallies, which know no user, count what the user's scoped querysets would."""
    figures = tallies.FIGURES.sum(area.code)
    last = Quarter.current().previous()
    return {
        "organisations": figures["organisations"],
        "members": figures["members"],
        "probationary": figures["probationary"],
        "central": figures["central"],
        "flowing": figures["flowing"],
        "in_service": tallies.IN_SERVICE.sum(area.code)["in_service"],
        "behind": tallies.BEHIND.sum(area.code)["previous"],
        "quarter": last.label,
    }


def area_figures_counted(area, user):
    """The same figures counted over the subtree as the user's querysets reach it (what the tallies
    must equal: the tests compare them)."""
    organisations = organisations_under(area, user)
    members = PartyMember.objects.scoped(user).filter(within("organisation__area__code", area.code))
    counts = members.aggregate(
        members=Count("pk"),
        probationary=Count("pk", filter=Q(status=MemberStatus.PROBATIONARY)),
        central=Count("pk", filter=Q(is_central_household=True)),
        flowing=Count("pk", filter=Q(is_flowing=True)),
    )
    last = Quarter.current().previous()
    return {
        "organisations": organisations.count(),
        **counts,
        "in_service": InServiceMember.objects.scoped(user).filter(in_service_within(area.code)).count(),
        "behind": behind_count(organisations, last.start, last.end),
        "quarter": last.label,
    }


# Above this many organisations (a district, a city) the chart stops at the communities' committees:
# the grid branches and building groups of a community are on the community's chart.
CHART_LIMIT = 800
DEEP_KINDS = (OrgKind.GRID_BRANCH, OrgKind.BUILDING_GROUP)


def chart(area, user):
    """The organisations of `area`'s subtree as a tree: [(organisation, [children…])], roots first;
    an organisation whose parent the user cannot see (or lies outside the subtree) is a root. One
    query for the organisations with their member counts (two for a large subtree). Returns
    (tree, whether the grid branches and building groups were left out)."""
    under = organisations_under(area, user)
    shallow = under.count() > CHART_LIMIT
    if shallow:
        under = under.exclude(kind__in=DEEP_KINDS)
    organisations = list(under.select_related("area", "secretary").annotate(member_count=counted_members()))
    by_parent = {}
    ids = {o.pk for o in organisations}
    for organisation in organisations:
        parent = organisation.parent_id if organisation.parent_id in ids else None
        by_parent.setdefault(parent, []).append(organisation)

    placed = set()

    def order(organisations):
        return sorted(organisations, key=lambda o: (o.area.code, o.name))

    def branch(parent):
        children = [o for o in order(by_parent.get(parent, [])) if o.pk not in placed]
        placed.update(o.pk for o in children)
        return [(o, branch(o.pk)) for o in children]

    roots = branch(None)
    # An organisation whose parents go round in a loop (data written before the loop was refused)
    # reaches no root: it is shown as one rather than dropped, and each is shown once.
    for organisation in order(organisations):
        if organisation.pk not in placed:
            placed.add(organisation.pk)
            roots.append((organisation, branch(organisation.pk)))
    return roots, shallow
