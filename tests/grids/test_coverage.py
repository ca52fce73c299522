"""Coverage of the three heads (三长), counted by hand on a small roster of the cast's tree.

The cast's tree gets two more buildings and four more units, so that the city holds
3 grids, 4 buildings and 5 units:

    street A  220104001
      grid A1   220104001001001  网格长 张三 (中共党员)
        1栋     …001001001       楼栋长 赵六 (群众)
          1单元 …00100100101     单元长 郑十 (中共党员)
          2单元 …00100100102     —
        2栋     …001001002       —
          1单元 …00100100201     —
      grid A2   220104001001002  网格长 李四 relieved; 网格员 钱一 (中共党员, not a head)
        1栋     …001002001       楼栋长 孙七 (共青团员)
          1单元 …00100200101     单元长 吴九 (中共党员)
    street B  220104002
      grid B1   220104002001001  网格长 王五 (中共预备党员)
        1栋     …002001001001    楼栋长 周八 relieved
          1单元 …00200100101     —
"""

import datetime

import pytest
from django.db import connection, transaction
from django.urls import reverse

from grids import coverage, roster
from grids.choices import PoliticalStatus, Post
from orgs import tree
from orgs.choices import AreaLevel
from orgs.models import Area

GRID, BUILDING, UNIT = AreaLevel.GRID, AreaLevel.BUILDING, AreaLevel.UNIT

G_A1, G_A2, G_B1 = "220104001001001", "220104001001002", "220104002001001"
B_A1_1, B_A1_2, B_A2_1, B_B1_1 = "220104001001001001", "220104001001001002", "220104001001002001", "220104002001001001"
U_A1_11, U_A1_12, U_A1_21 = "22010400100100100101", "22010400100100100102", "22010400100100100201"
U_A2_11, U_B1_11 = "22010400100100200101", "22010400200100100101"

EXTRA_AREAS = [
    (B_A1_2, "2栋", "building", G_A1),
    (U_A1_12, "2单元", "unit", B_A1_1),
    (U_A1_21, "1单元", "unit", B_A1_2),
    (B_A2_1, "1栋", "building", G_A2),
    (U_A2_11, "1单元", "unit", B_A2_1),
    (B_B1_1, "1栋", "building", G_B1),
    (U_B1_11, "1单元", "unit", B_B1_1),
]

START = datetime.date(2024, 1, 1)
RELIEVED = datetime.date(2024, 6, 30)


def load(rows):
    with transaction.atomic():
        tree.bulk_load([tree.AreaRow(*row) for row in rows])


def figures_of(code):
    """(covered, total) per level, then (party heads, heads): what a reader of the page sees."""
    c = coverage.coverage(Area.objects.get(code=code))
    return {lv: (c.level(lv).covered, c.level(lv).total) for lv in (GRID, BUILDING, UNIT)}, (c.party_heads, c.heads)


@pytest.fixture
def hand_roster(areas, holder, id_number):
    """The roster drawn in the module's docstring."""
    load(EXTRA_AREAS)
    party, probationary = PoliticalStatus.PARTY_MEMBER, PoliticalStatus.PROBATIONARY
    holder(G_A1, Post.GRID_HEAD, "张三", id_number=id_number(1), political_status=party)
    holder(B_A1_1, Post.BUILDING_HEAD, "赵六", phone="13900000006", political_status=PoliticalStatus.MASSES)
    holder(U_A1_11, Post.UNIT_HEAD, "郑十", phone="13900000010", political_status=party)
    roster.relieve(holder(G_A2, Post.GRID_HEAD, "李四", phone="13900000004", political_status=party), RELIEVED)
    holder(G_A2, Post.GRID_WORKER, "钱一", phone="13900000001", political_status=party)
    holder(B_A2_1, Post.BUILDING_HEAD, "孙七", phone="13900000007", political_status=PoliticalStatus.LEAGUE_MEMBER)
    holder(U_A2_11, Post.UNIT_HEAD, "吴九", phone="13900000009", political_status=party)
    holder(G_B1, Post.GRID_HEAD, "王五", id_number=id_number(5), political_status=probationary)
    roster.relieve(holder(B_B1_1, Post.BUILDING_HEAD, "周八", phone="13900000008", political_status=party), RELIEVED)


# --- exact figures -------------------------------------------------------------------------------


def test_the_city_counts_every_grid_building_and_unit_and_who_covers_them(hand_roster):
    levels, party = figures_of("2201")

    assert levels == {GRID: (2, 3), BUILDING: (2, 4), UNIT: (2, 5)}
    assert party == (4, 6)


def test_the_rates_are_the_shares_of_covered_areas_and_of_party_heads(hand_roster):
    c = coverage.coverage(Area.objects.get(code="2201"))

    assert c.level(GRID).rate == pytest.approx(2 / 3)
    assert c.level(BUILDING).rate == pytest.approx(2 / 4)
    assert c.level(UNIT).rate == pytest.approx(2 / 5)
    assert c.party_rate == pytest.approx(4 / 6)
    assert (c.level(GRID).gaps, c.level(BUILDING).gaps, c.level(UNIT).gaps) == (1, 2, 3)


def test_street_a_and_street_b_have_their_own_figures(hand_roster):
    assert figures_of("220104001") == ({GRID: (1, 2), BUILDING: (2, 3), UNIT: (2, 4)}, (3, 5))
    assert figures_of("220104002") == ({GRID: (1, 1), BUILDING: (0, 1), UNIT: (0, 1)}, (1, 1))


def test_a_grid_counts_itself_and_what_lies_below_it(hand_roster):
    assert figures_of(G_A1) == ({GRID: (1, 1), BUILDING: (1, 2), UNIT: (1, 3)}, (2, 3))
    assert figures_of(U_A1_12) == ({GRID: (0, 0), BUILDING: (0, 0), UNIT: (0, 1)}, (0, 0))


def test_a_probationary_party_member_counts_as_a_party_member(hand_roster):
    # Street B's only current head, 王五, is 中共预备党员.
    assert figures_of("220104002")[1] == (1, 1)


def test_a_grid_worker_is_not_a_head_and_covers_nothing(hand_roster):
    # Grid A2 has a party-member grid worker (钱一) but its grid head was relieved.
    assert figures_of(G_A2) == ({GRID: (0, 1), BUILDING: (1, 1), UNIT: (1, 1)}, (1, 2))


def test_an_ended_post_does_not_count(hand_roster):
    head = Area.objects.get(code=G_A1).head_assignments.get(post=Post.GRID_HEAD)

    roster.relieve(head, datetime.date(2024, 12, 31))

    levels, party = figures_of("2201")
    assert levels[GRID] == (1, 3)
    assert party == (3, 5)


def test_a_replaced_head_counts_once(hand_roster, id_number):
    new = roster.find_or_create_person(name="冯二", id_number=id_number(2), political_status=PoliticalStatus.MASSES)

    roster.appoint(Area.objects.get(code=G_A1), Post.GRID_HEAD, new, start_date=datetime.date(2025, 1, 1))

    levels, party = figures_of("2201")
    assert levels[GRID] == (2, 3)
    assert party == (3, 6)  # 张三 (party) replaced by 冯二 (masses)


def test_an_area_with_no_grid_below_it_has_no_rate(areas):
    c = coverage.coverage(areas["220104001002"])  # A2社区: empty

    assert c.level(GRID).total == 0
    assert c.level(GRID).rate is None
    assert c.party_rate is None


# --- gaps ------------------------------------------------------------------------------------------


def codes(queryset):
    return [area.code for area in queryset]


def test_the_gaps_are_exactly_the_areas_with_nobody_level_by_level(hand_roster):
    city = Area.objects.get(code="2201")

    assert codes(coverage.gaps(city, GRID)) == [G_A2]
    assert codes(coverage.gaps(city, BUILDING)) == [B_A1_2, B_B1_1]
    assert codes(coverage.gaps(city, UNIT)) == [U_A1_12, U_A1_21, U_B1_11]


def test_all_the_gaps_together_sorted_by_code(hand_roster):
    city = Area.objects.get(code="2201")

    assert codes(coverage.gaps(city)) == sorted([G_A2, B_A1_2, B_B1_1, U_A1_12, U_A1_21, U_B1_11])


def test_the_gaps_of_a_street_stay_in_the_street(hand_roster):
    assert codes(coverage.gaps(Area.objects.get(code="220104001"))) == sorted([G_A2, B_A1_2, U_A1_12, U_A1_21])
    assert codes(coverage.gaps(Area.objects.get(code="220104002"))) == [B_B1_1, U_B1_11]


def test_the_number_of_gaps_matches_the_figures(hand_roster):
    for code in ("2201", "220104", "220104001", "220104002", G_A1, G_A2, B_A1_1):
        area = Area.objects.get(code=code)
        c = coverage.coverage(area)
        for level in (GRID, BUILDING, UNIT):
            assert coverage.gaps(area, level).count() == c.level(level).gaps, (code, level)


def test_appointing_a_head_closes_a_gap(hand_roster):
    roster.appoint(
        Area.objects.get(code=B_A1_2),
        Post.BUILDING_HEAD,
        roster.find_or_create_person(name="陈一", phone="13900000011"),
    )

    assert codes(coverage.gaps(Area.objects.get(code="2201"), BUILDING)) == [B_B1_1]


# --- drill-down ---------------------------------------------------------------------------------------


def own_share(coverage_of_area):
    """What a grid or building adds to its own figures: itself, and its head if it has one."""
    area = coverage_of_area.area
    if area.level not in (GRID, BUILDING, UNIT):
        return {}, 0, 0
    head = area.head_assignments.filter(end_date__isnull=True, post__in=[Post.GRID_HEAD, Post.BUILDING_HEAD]).first()
    covered = int(head is not None)
    return {area.level: (covered, 1)}, covered, int(covered and head.person.is_party_member)


def assert_children_sum_to_parent(parent, children):
    own_levels, own_heads, own_party = own_share(parent)
    for level in (GRID, BUILDING, UNIT):
        covered, total = own_levels.get(level, (0, 0))
        assert sum(c.level(level).total for c in children) + total == parent.level(level).total, level
        assert sum(c.level(level).covered for c in children) + covered == parent.level(level).covered, level
    assert sum(c.heads for c in children) + own_heads == parent.heads
    assert sum(c.party_heads for c in children) + own_party == parent.party_heads


@pytest.mark.parametrize("code", ["2201", "220104", "220104001", "220104002", "220104001001", "220104001002"])
def test_the_children_figures_sum_to_the_parent(hand_roster, code):
    parent, children = coverage.drill_down(Area.objects.get(code=code))

    assert [c.area.code for c in children] == list(
        Area.objects.filter(parent__code=code).order_by("code").values_list("code", flat=True)
    )
    assert own_share(parent) == ({}, 0, 0)
    assert_children_sum_to_parent(parent, children)


@pytest.mark.parametrize("code", [G_A1, G_A2, G_B1, B_A1_1, B_A1_2, B_B1_1])
def test_a_grid_or_building_is_its_children_plus_itself(hand_roster, code):
    parent, children = coverage.drill_down(Area.objects.get(code=code))

    assert children
    assert_children_sum_to_parent(parent, children)


def test_the_drill_down_of_the_district_holds_both_streets(hand_roster):
    district, children = coverage.drill_down(Area.objects.get(code="220104"))
    street_a, street_b = children

    assert (street_a.area.code, street_b.area.code) == ("220104001", "220104002")
    assert (street_a.level(GRID).covered, street_a.level(GRID).total) == (1, 2)
    assert (street_b.level(GRID).covered, street_b.level(GRID).total) == (1, 1)
    assert (district.level(GRID).covered, district.level(GRID).total) == (2, 3)


# --- a fixed number of queries ----------------------------------------------------------------------


def every_level_area():
    return list(Area.objects.exclude(level__in=[GRID, BUILDING, UNIT]).order_by("code"))


def test_coverage_of_takes_four_queries_for_any_number_of_areas(hand_roster, django_assert_num_queries):
    """Cities, districts and streets from the tallies (is anything stale? the sums), the others
    counted (two queries); test_coverage_tallies.py has the tallies' own tests."""
    areas = every_level_area()
    coverage.refresh_tallies()

    with django_assert_num_queries(4):
        result = coverage.coverage_of(areas)

    assert set(result) == {a.pk for a in areas}


def test_coverage_of_takes_the_same_four_queries_with_300_more_buildings(hand_roster, django_assert_num_queries):
    load(
        [(f"220104001001001{n:03d}", f"{n}栋", "building", G_A1) for n in range(3, 303)]
        + [(f"220104001001001{n:03d}01", "1单元", "unit", f"220104001001001{n:03d}") for n in range(3, 303)]
    )
    for n in range(3, 303, 2):  # every other new building gets a building head
        roster.appoint(
            Area.objects.get(code=f"220104001001001{n:03d}"),
            Post.BUILDING_HEAD,
            roster.find_or_create_person(name=f"楼长{n}", phone=f"139{n:08d}", political_status=PoliticalStatus.MASSES),
        )
    areas = every_level_area()
    coverage.refresh_tallies()

    with django_assert_num_queries(4):
        result = coverage.coverage_of(areas)

    city = result[Area.objects.get(code="2201").pk]
    assert (city.level(BUILDING).covered, city.level(BUILDING).total) == (2 + 150, 4 + 300)
    assert (city.level(UNIT).covered, city.level(UNIT).total) == (2, 5 + 300)
    assert (city.party_heads, city.heads) == (4, 6 + 150)


def test_coverage_of_nothing_takes_no_query(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        assert coverage.coverage_of([]) == {}


def test_the_hash_and_the_probing_party_counts_agree_on_every_area(hand_roster):
    """Counting heads over subtrees, by a hash join (for large subtrees, when the tallies cannot
    serve: AREA_CODE_WIDTHS=off and long district codes) or by index probes: both forms give
    the same figures for every area."""
    codes = list(Area.objects.order_by("code").values_list("code", flat=True))
    with connection.cursor() as cursor:
        hashed = coverage._count(cursor, codes, coverage.SUBTREE, large=True)
        probed = coverage._count(cursor, codes, coverage.SUBTREE, large=False)

    assert {code: (c.party_heads, c.heads) for code, c in hashed.items()} == {
        code: (c.party_heads, c.heads) for code, c in probed.items()
    }
    assert hashed["2201"].heads == 6


def test_the_coverage_page_pages_through_every_gap_of_the_city(hand_roster, client, django_user_model):
    """The number of gaps comes from the figures, not a count over the city: the pages still
    hold each gap once, in code order."""
    load([(f"220104001001001{n:03d}", f"{n}栋", "building", G_A1) for n in range(3, 103)])
    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    url = reverse("grids:coverage", args=["2201"])

    first = client.get(url)
    pages = [first.context["page_obj"]] + [client.get(url, {"page": n}).context["page_obj"] for n in (2, 3)]

    listed = [gap.code for page in pages for gap in page]
    assert first.context["paginator"].count == len(listed) == coverage.gaps(Area.objects.get(code="2201")).count()
    assert listed == sorted(listed) and len(set(listed)) == len(listed)
    assert first.context["paginator"].num_pages == 3
    buildings = client.get(url, {"level": "building"}).context["paginator"]
    assert buildings.count == 2 + 100
