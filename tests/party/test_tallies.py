"""The party's tallies (core.tallies, party/tallies.py) are exact: after every kind of write — a
form's save, a queryset update, a bulk insert, a move, a deletion, a recoded area — the figures the
党建 panel and the home page show equal the same figures counted over the subtree, and a write
changes the figure shown at once."""

import datetime
import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core.calendar import Quarter
from core.models import StaleTally, TallyRow, TallyState
from orgs import tree
from orgs.choices import Role
from orgs.models import Area
from orgs.queries import descendant_counts as counted_descendants
from orgs.tallies import descendant_counts
from party import queries, tallies
from party.choices import MemberStatus, OrgKind
from party.models import InServiceMember, Meeting, PartyMember, PartyOrganisation
from tests.conftest import make_user
from tests.party.conftest import COMMUNITY_A1, GRID_A1, GRID_B1, STREET_A, STREET_B

CODES = ["2201", "220104", STREET_A, COMMUNITY_A1, GRID_A1, STREET_B, GRID_B1]


def assert_exact(user, codes=CODES):
    for code in codes:
        area = Area.objects.get(code=code)
        assert queries.area_figures(area, user) == queries.area_figures_counted(area, user), code


def shown_members(client, code):
    """The member count the 党建 panel shows for `code`."""
    html = client.get(reverse("party:party_summary", args=[code]), headers={"HX-Request": "true"}).content.decode()
    return int(re.search(r'fs-5 fw-semibold">(\d+)</div><div class="small text-body-secondary">党员', html).group(1))


def test_a_member_added_or_removed_changes_the_figure_shown_at_once(party, city_org, client_for):
    client = client_for(city_org)
    before = shown_members(client, STREET_A)
    member = PartyMember.objects.create(name="新党员", organisation=party["grid_a1"])
    assert shown_members(client, STREET_A) == before + 1
    assert shown_members(client, "2201") == before + 2  # street B's member too
    member.delete()
    assert shown_members(client, STREET_A) == before


def test_every_kind_of_write_keeps_the_panel_exact(party, city_org):
    assert_exact(city_org)
    # A form's save, a status changed, a member moved to another street's organisation.
    li = party["li"]
    li.status = MemberStatus.FULL
    li.save()
    assert_exact(city_org)
    PartyMember.objects.filter(pk=party["zhang"].pk).update(organisation=party["grid_b1"], is_flowing=True)
    assert_exact(city_org)
    # A bulk insert (the member import writes so) and a queryset update of many rows.
    PartyMember.objects.bulk_create(
        [PartyMember(name=f"党员{n}", organisation=party["community_a1"]) for n in range(7)]
    )
    PartyMember.objects.filter(organisation=party["community_a1"]).update(is_central_household=True)
    assert_exact(city_org)
    # An organisation moved to another area with its members, a new one, one deleted.
    PartyOrganisation.objects.filter(pk=party["community_a1"].pk).update(area=Area.objects.get(code=STREET_B))
    assert_exact(city_org)
    new = PartyOrganisation.objects.create(
        name="新支部", kind=OrgKind.GRID_BRANCH, area=Area.objects.get(code=GRID_B1), parent=party["street_b"]
    )
    assert_exact(city_org)
    new.delete()
    assert_exact(city_org)
    # Raw SQL, as no form writes.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM orgs_partymember WHERE name LIKE '党员%%'")
    assert_exact(city_org)


def test_meetings_held_change_who_is_behind_and_the_home_page_agrees(party, areas, client_for):
    community = make_user("community_a1", Role.COMMUNITY_CADRE, areas[COMMUNITY_A1])
    quarter = Quarter.current()
    organisations = PartyOrganisation.objects.filter(area__code__startswith=COMMUNITY_A1)
    owed = queries.behind_count(organisations, quarter.start, quarter.end)
    assert owed and tallies.BEHIND.sum(COMMUNITY_A1)["current"] == owed
    home = client_for(community).get("/").content.decode()
    assert f"（{owed} 个党组织）" in home

    # The grid branch holds every meeting it owes this quarter: one fewer behind, on the page too.
    branch = party["grid_a1"]
    day = max(quarter.start, min(timezone.localdate(), quarter.end))
    for shortfall in queries.shortfalls(PartyOrganisation.objects.filter(pk=branch.pk), quarter.start, quarter.end):
        for kind, held, required in shortfall.kinds:
            Meeting.objects.bulk_create(
                [Meeting(organisation=branch, kind=kind, topic="补开", held_on=day) for _ in range(required - held)]
            )
    assert tallies.BEHIND.sum(COMMUNITY_A1)["current"] == owed - 1
    assert queries.behind_count(organisations, quarter.start, quarter.end) == owed - 1
    home = client_for(community).get("/").content.decode()
    assert (f"（{owed - 1} 个党组织）" in home) if owed > 1 else ("均已按要求开展" in home)

    # A meeting moved into the last quarter counts there, not in this one.
    last = quarter.previous()
    Meeting.objects.filter(organisation=branch, topic="补开").update(held_on=last.start + datetime.timedelta(days=1))
    assert tallies.BEHIND.sum(COMMUNITY_A1)["current"] == owed
    assert_exact(make_user("city_for_behind", Role.ORG_DEPARTMENT, areas["2201"]))


def test_in_service_members_are_counted_where_they_report_or_serve(party, city_org):
    assert_exact(city_org)
    member = InServiceMember.objects.get(unit=party["unit"])
    member.grid = Area.objects.get(code="220104001001002")
    member.save()
    assert_exact(city_org)
    InServiceMember.objects.filter(pk=member.pk).update(grid=None)
    assert_exact(city_org)
    member.delete()
    assert_exact(city_org)


def test_a_new_quarter_recounts_the_tally_whole(party, city_org):
    assert_exact(city_org)
    # Figures of another quarter stored, as they would stand the day a quarter ends.
    TallyRow.objects.filter(key="party.behind").update(figures=[99, 99])
    TallyState.objects.filter(key="party.behind").update(epoch="1999Q1")
    assert_exact(city_org)
    assert TallyState.objects.get(key="party.behind").epoch == Quarter.current().key


def test_a_recoded_area_moves_its_figures_and_its_areas(party, city_org):
    community = Area.objects.get(code=COMMUNITY_A1)
    street_b = Area.objects.get(code=STREET_B)
    tree.move_area(community, street_b, f"{STREET_B}009")
    assert StaleTally.objects.filter(code=COMMUNITY_A1).exists()  # both codes marked, for every tally
    assert_exact(city_org, ["2201", "220104", STREET_A, STREET_B, f"{STREET_B}009", f"{STREET_B}009001"])
    areas = list(Area.objects.exclude(level__in=["building", "unit"]))
    assert descendant_counts(areas) == counted_descendants(areas)


def test_the_areas_tally_follows_bulk_loads_and_deletions(areas):
    listed = list(Area.objects.exclude(level__in=["building", "unit"]))
    assert descendant_counts(listed) == counted_descendants(listed)
    tree.bulk_load(
        [tree.AreaRow(f"2201049{n:02}", f"新街道{n}", "street", "220104") for n in range(1, 4)]
        + [tree.AreaRow(f"220104001001001{b:03}", f"{b}栋", "building", "220104001001001") for b in range(2, 6)]
    )
    listed = list(Area.objects.exclude(level__in=["building", "unit"]))
    assert descendant_counts(listed) == counted_descendants(listed)
    tree.delete_area(Area.objects.get(code="220104901"))
    listed = list(Area.objects.exclude(level__in=["building", "unit"]))
    assert descendant_counts(listed) == counted_descendants(listed)
    assert descendant_counts([Area.objects.get(code="2201")])[Area.objects.get(code="2201").pk]["street"] == 4


@pytest.mark.parametrize("code", ["2201", STREET_A, GRID_A1])
def test_the_panel_reads_the_same_number_of_queries_whatever_the_subtree(code, party, city_org, client_for):
    client = client_for(city_org)
    url = reverse("party:party_summary", args=[code])
    headers = {"HX-Request": "true"}
    client.get(url, headers=headers)
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url, headers=headers)
    grid = Area.objects.get(code=GRID_A1)
    PartyMember.objects.bulk_create([PartyMember(name=f"党员{n}", organisation=party["grid_a1"]) for n in range(200)])
    for n in range(20):
        organisation = PartyOrganisation.objects.create(name=f"支部{n}", kind=OrgKind.BRANCH, area=grid)
        PartyMember.objects.bulk_create([PartyMember(name=f"员{n}-{m}", organisation=organisation) for m in range(5)])
    client.get(url, headers=headers)  # the first view after the writes recounts what they touched
    with CaptureQueriesContext(connection) as large:
        client.get(url, headers=headers)
    assert len(large) == len(small)
