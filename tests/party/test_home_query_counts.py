"""Every role's home page costs the same number of queries on a small subtree and on a much larger
one (issue #17: widgets that count a subtree read tallies; lists stop at their few rows), and the
kit measures each widget it renders (core.registry.WidgetCost), whichever app registered it."""

import datetime
import re

import pghistory
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core.registry import registry
from grids.choices import Post
from grids.models import HeadAssignment, Person
from orgs import tree
from orgs.choices import Role
from orgs.models import Area
from party.choices import MeetingKind, MemberStatus, OrgKind
from party.models import InServiceMember, Meeting, PartyMember, PartyOrganisation, ServiceRecord
from tests.conftest import make_user
from tests.party.conftest import COMMUNITY_A1, GRID_A1, STREET_A

# The roles of the daily mix, each at its own level (bench/pages.py ROLES).
ROLES = {
    "city_org_home": (Role.ORG_DEPARTMENT, "2201"),
    "district_org_home": (Role.ORG_DEPARTMENT, "220104"),
    "street_home": (Role.STREET_CADRE, STREET_A),
    "community_home": (Role.COMMUNITY_CADRE, COMMUNITY_A1),
    "grid_home": (Role.GRID_WORKER, GRID_A1),
    "district_department_home": (Role.DEPARTMENT, "220104"),
    "city_department_home": (Role.DEPARTMENT, "2201"),
}
# Measured: 36-46 queries (the menu, the notices' count, each widget's few); room for a widget more.
HOME_MAX_QUERIES = 60


@pytest.fixture
def cast(party, monkeypatch):
    """The party's cast with something in every list of the home pages (a post appointed, an
    in-service member idle this quarter), so that the small and the large subtree differ in size
    only. The latest changes look at a window of one event: both sizes take the same plan."""
    import core.history

    monkeypatch.setattr(core.history, "LATEST_WINDOW", 1)
    grid = Area.objects.get(code=GRID_A1)
    # Written by a user, as the writes after the first view are (a test is one transaction: the
    # first request's history context stays set), so that both sizes name who changed what.
    with pghistory.context(user=party["unit"].users.get().pk):
        with transaction.atomic():
            tree.bulk_load([tree.AreaRow(f"{GRID_A1}099", "99栋", "building", GRID_A1)])
        HeadAssignment.objects.create(
            person=Person.objects.create(name="楼栋长"),
            area=Area.objects.get(code=f"{GRID_A1}001"),
            post=Post.BUILDING_HEAD,
            start_date=datetime.date.today(),
        )
    InServiceMember.objects.create(name="孙在职", unit=party["unit"], community=grid.parent, grid=grid)
    return party


def grow(party):
    """Hundreds more areas, organisations, members, meetings, posts and in-service members, in the
    subtrees every role's home page shows (and beside them)."""
    with transaction.atomic():
        rows = []
        for c in range(3, 13):
            community = f"{STREET_A}{c:03}"
            rows.append(tree.AreaRow(community, f"A{c}社区", "community", STREET_A))
            rows += [tree.AreaRow(f"{community}{g:03}", f"第{g}网格", "grid", community) for g in range(1, 6)]
        rows += [tree.AreaRow(f"{GRID_A1}{b:03}", f"{b}栋", "building", GRID_A1) for b in range(2, 60)]
        rows += [tree.AreaRow(f"2201{d}", f"新区{d}", "district", "2201") for d in range(81, 86)]
        tree.bulk_load(rows)
    today = datetime.date.today()
    grids = list(Area.objects.filter(level="grid", code__startswith=STREET_A))
    for n, grid in enumerate(grids):
        organisation = PartyOrganisation.objects.create(
            name=f"新支部{n}", kind=OrgKind.GRID_BRANCH, area=grid, parent=party["community_a1"]
        )
        PartyMember.objects.bulk_create(
            [
                PartyMember(
                    name=f"党员{n}-{m}",
                    organisation=organisation,
                    status=MemberStatus.PROBATIONARY if m % 3 == 0 else MemberStatus.FULL,
                    joined_on=today - datetime.timedelta(days=340 + m),
                    is_flowing=m % 4 == 0,
                )
                for m in range(8)
            ]
        )
        Meeting.objects.create(organisation=organisation, kind=MeetingKind.PARTY_DAY, topic="主题党日", held_on=today)
        person = Person.objects.create(name=f"网格长{n}")
        HeadAssignment.objects.create(person=person, area=grid, post=Post.GRID_HEAD, start_date=today)
        member = InServiceMember.objects.create(
            name=f"在职{n}", unit=party["unit"], community=Area.objects.get(code=grid.code[:12]), grid=grid
        )
        if n % 2:
            ServiceRecord.objects.create(member=member, description="服务", hours=1)


LAZY = re.compile(r'hx-get="(/home/widgets/[^"/]+/)"')


def home_queries(client):
    """The queries of one view of the home page (after one that recounts what writes made stale),
    and of each widget it loads after itself (core.registry.Widget.lazy)."""
    assert client.get("/").status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.status_code == 200
    counts = [len(captured)]
    for url in LAZY.findall(response.content.decode()):
        with CaptureQueriesContext(connection) as fragment:
            assert client.get(url).status_code == 200
        counts.append(len(fragment))
    return counts, response


@pytest.mark.parametrize("username", list(ROLES))
def test_every_roles_home_page_costs_the_same_queries_on_a_larger_subtree(username, cast, client_for):
    party = cast
    role, code = ROLES[username]
    user = make_user(username, role, Area.objects.get(code=code))
    client = client_for(user)
    small, _ = home_queries(client)

    grow(party)

    large, response = home_queries(client)
    assert large == small
    assert large[0] <= HOME_MAX_QUERIES


def test_the_unit_accounts_home_page_costs_the_same_queries_with_more_members(cast, unit_user, client_for):
    party = cast
    client = client_for(unit_user)
    small, _ = home_queries(client)
    grow(party)
    large, _ = home_queries(client)
    assert large == small


def test_the_kit_measures_each_widget_it_renders(cast, client_for, areas):
    user = make_user("street_home", Role.STREET_CADRE, areas[STREET_A])
    client = client_for(user)
    response = client.get("/")
    costs = response.wsgi_request.widget_costs
    assert [cost.name for cost in costs] == [
        widget.name
        for section in ("work", "dashboard", "changes")
        for widget in registry.widgets
        if widget.section == section
    ]
    shown = {cost.name for cost in costs if cost.shown}
    assert {"scope", "meetings_due", "area_figures", "roster_changes"} <= shown
    # A lazy widget leaves its place on the page and is measured in its own request.
    lazy = {cost.name for cost in costs if cost.lazy}
    assert {"idle_in_service", "services_to_confirm"} <= lazy
    request = response.wsgi_request
    placed = {w.name for w in registry.widgets if w.lazy and (w.visible is None or w.visible(request))}
    assert placed <= lazy and {"idle_in_service", "services_to_confirm"} <= placed
    for name in lazy - placed:  # not for this user (a housing department's): no place, nothing asked
        assert f'hx-get="/home/widgets/{name}/"' not in response.content.decode()
    for name in placed:
        assert f'hx-get="/home/widgets/{name}/"' in response.content.decode()
        fragment = client.get(f"/home/widgets/{name}/")
        [cost] = fragment.wsgi_request.widget_costs
        assert cost.name == name and cost.queries > 0 and not cost.lazy
    assert client.get("/home/widgets/scope/").status_code == 404  # not a lazy widget
    assert all(cost.seconds > 0 for cost in costs)
    by_name = {cost.name: cost for cost in costs}
    assert by_name["meetings_due"].queries >= 2  # the tally's state and its sum, at least
    assert sum(cost.queries for cost in costs) > 0
