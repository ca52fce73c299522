"""Red property's indicator sources and figures (property/indicators.py) on a small hand-built
tree: each source's figures for every street and community match a direct count of the records
under it, in one query per source whatever the levels asked."""

import datetime

import pytest
from django.utils import timezone

from core.registry import registry
from orgs.choices import AreaLevel
from orgs.models import Area
from orgs.scoping import within
from property import indicators
from property.choices import LedgerStatus, ManagementMode
from property.models import CommitteeMember, Compound, LedgerEntry, OwnersCommittee

from .conftest import COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
START = TODAY.replace(day=1)
END = (START + datetime.timedelta(days=40)).replace(day=1) - datetime.timedelta(days=1)  # the month's end
LEVELS = (AreaLevel.STREET, AreaLevel.COMMUNITY)


def committee(compound, party, others, term_start=datetime.date(2024, 1, 1), term_end=datetime.date(2029, 1, 1)):
    found = OwnersCommittee.objects.create(
        compound=compound, name=f"{compound.name}业委会{term_start:%Y}", term_start=term_start, term_end=term_end
    )
    CommitteeMember.objects.bulk_create(
        [CommitteeMember(committee=found, name=f"党员{n}", is_party_member=True) for n in range(party)]
        + [CommitteeMember(committee=found, name=f"群众{n}") for n in range(others)]
    )
    return found


def closed_at(entry, day):
    LedgerEntry.objects.filter(pk=entry.pk).update(
        status=LedgerStatus.CLOSED,
        at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0))),
    )


@pytest.fixture
def tree(areas, estate):
    """Beside the cast's estate: more compounds in A1, A2 and B1, of each mode; committees with and
    without a party majority, one replaced by a newer one, one whose term begins after the period;
    ledger entries closed on time, late, before the period, after it, and open past or before
    their deadline."""
    a1, a2, b1 = areas[COMMUNITY_A1], areas[COMMUNITY_A2], areas[COMMUNITY_B1]
    made = {}
    for community, name, mode in (
        (a1, "一号院", ManagementMode.NONE),
        (a2, "二号院", ManagementMode.STATE),
        (a2, "三号院", ManagementMode.NONE),
        (b1, "四号院", ManagementMode.OWNERS),
        (b1, "五号院", ManagementMode.NONE),
    ):
        made[name] = Compound.objects.create(name=name, community=community, mode=mode)
    committee(estate["compound"], 0, 2)  # estate's own committee: 1 party of 1 — then this newer one, no majority
    committee(made["二号院"], 3, 2)
    committee(made["四号院"], 2, 2)  # half is not a majority
    committee(made["四号院"], 4, 1, term_start=TODAY + datetime.timedelta(days=400))  # not yet in office
    entries = {e.compound.name: e for e in LedgerEntry.objects.select_related("compound")}
    # 一号院: open, deadline passed in the period → due, not closed
    LedgerEntry.objects.filter(pk=entries["一号院"].pk).update(deadline=START)
    # 三号院: open, deadline after today → not due yet
    # 五号院: closed in the period before its deadline → on time
    closed_at(entries["五号院"], START)
    LedgerEntry.objects.filter(pk=entries["五号院"].pk).update(deadline=START + datetime.timedelta(days=5))
    # estate's "closed" (已清零小区): closed before the period began → not counted
    closed_at(estate["closed"], START - datetime.timedelta(days=3))
    late = LedgerEntry.objects.create(compound=made["二号院"], deadline=START, status=LedgerStatus.CLOSED)
    closed_at(late, START + datetime.timedelta(days=2))  # closed in the period, after its deadline
    return made


def direct_managed(area):
    compounds = Compound.objects.filter(within("community__code", area.code))
    return compounds.exclude(mode=ManagementMode.NONE).count(), compounds.count()


def direct_party_majority(area):
    day = min(END, TODAY)
    sitting = []
    for compound in Compound.objects.filter(within("community__code", area.code)):
        current = compound.committees.filter(term_start__lte=day).order_by("-term_start", "-pk").first()
        if current is not None:
            sitting.append(current.party_majority)
    return sum(sitting), len(sitting)


def direct_closed_on_time(area):
    day = min(END, TODAY)
    due, on_time = 0, 0
    for entry in LedgerEntry.objects.filter(within("compound__community__code", area.code)):
        closed = entry.status == LedgerStatus.CLOSED
        closed_on = timezone.localtime(entry.at).date() if closed else None
        if closed and closed_on < START:
            continue
        if entry.deadline <= day or (closed and closed_on <= END):
            due += 1
            on_time += closed and closed_on <= entry.deadline and closed_on <= END
    return on_time, due


@pytest.mark.parametrize(
    "compute, direct",
    [
        (indicators.managed, direct_managed),
        (indicators.party_majority, direct_party_majority),
        (indicators.closed_on_time, direct_closed_on_time),
    ],
    ids=["compounds_managed", "committees_party_majority", "ledger_closed_on_time"],
)
def test_each_source_matches_a_direct_count_in_one_query(tree, compute, direct, django_assert_num_queries):
    with django_assert_num_queries(1):
        figures = compute(LEVELS, START, END)
    areas = Area.objects.filter(level__in=LEVELS)
    expected = {area.pk: direct(area) for area in areas}
    expected = {pk: value for pk, value in expected.items() if value[1]}  # areas with a denominator
    assert {pk: tuple(value) for pk, value in figures.items()} == expected
    assert expected  # the tree gives every source something to count


def test_the_hand_built_figures_are_the_ones_worked_out(tree, areas):
    street_a = Area.objects.get(code="220104001")
    street_b = Area.objects.get(code="220104002")
    a1 = areas[COMMUNITY_A1]
    managed = indicators.managed(LEVELS, START, END)
    # A: 幸福家园, 老旧小区 (now 社区代管), 已清零小区, 一号院 (无物业), 二号院, 三号院 (无物业)
    assert managed[street_a.pk] == (4, 6)
    # B: 桂林小区, 四号院, 五号院 (无物业)
    assert managed[street_b.pk] == (2, 3)
    majority = indicators.party_majority(LEVELS, START, END)
    assert majority[a1.pk] == (0, 1)  # the newer committee of 幸福家园, without a majority
    assert majority[street_b.pk] == (0, 1)  # 四号院's sitting committee: half is not a majority
    closed = indicators.closed_on_time(LEVELS, START, END)
    assert closed[street_a.pk] == (0, 2)  # 一号院 overdue, 二号院 closed late; 三号院 not due yet
    assert closed[street_b.pk] == (1, 1)  # 五号院 closed on time


def test_the_figures_count_compounds_and_those_left_on_the_ledger(tree, areas, django_assert_num_queries):
    street_a = Area.objects.get(code="220104001")
    with django_assert_num_queries(1):
        counts = indicators.compounds(LEVELS)
    with django_assert_num_queries(1):
        left = indicators.remaining(LEVELS)
    assert counts[street_a.pk] == (6, 0)
    open_under_a = LedgerEntry.objects.filter(within("compound__community__code", "220104001"), status="open")
    # 一号院 and 三号院 without management, and 老旧小区, now 社区代管, whose entry awaits its 销号
    assert left[street_a.pk] == (open_under_a.count(), 0) == (3, 0)
    assert indicators.compounds_now(street_a) == counts[street_a.pk]
    assert indicators.remaining_now(street_a) == left[street_a.pk]
    # every compound without management is on the ledger, open
    bare = Compound.objects.filter(within("community__code", "220104001"), mode=ManagementMode.NONE)
    assert set(bare) <= {entry.compound for entry in open_under_a}


def test_the_sources_and_figures_are_registered_with_their_pages(tree, areas, client_for):
    from tests.conftest import make_user

    keys = ("property.compounds_managed", "property.committees_party_majority", "property.ledger_closed_on_time")
    street = Area.objects.get(code="220104001")
    client = client_for(make_user("street_a_cadre", "street_cadre", street))
    for key in keys:
        source = registry.indicator_sources[key]
        assert source.levels == LEVELS
        for url in (source.records_url(street), source.current_gaps_url(street)):
            response = client.get(url)
            assert response.status_code == 200, url
    # the gaps of the compounds source are the compounds without management, and only them
    gaps = client.get(registry.indicator_sources["property.compounds_managed"].current_gaps_url(street))
    assert "一号院" in gaps.content.decode() and "幸福家园" not in gaps.content.decode()
    figures = {figure.key for figure in registry.figures}
    assert {"property.compounds", "property.remaining"} <= figures
    # the evaluation's hook, fed with its mean grade (tests/property/test_company_grade_source.py)
    grade = registry.indicator_sources["property.company_grade"]
    assert grade.compute is indicators.company_grade and grade.levels == LEVELS
    assert client.get(grade.records_url(street)).status_code == 200


def test_the_scored_copy_is_the_default_set_with_red_property(default_set):
    from assessment.models import IndicatorSet
    from property.demo import scored_copy

    IndicatorSet.objects.filter(copied_from=default_set).delete()  # as a transactional test leaves it
    scored_copy()
    scored_copy()  # made once
    copy = IndicatorSet.objects.get(copied_from=default_set)
    assert copy.name == "党建引领基层治理考核指标（含红色物业）"
    names = lambda s: sorted(s.indicators.values_list("name", flat=True))  # noqa: E731
    leaves = {"红色物业", "小区物业管理覆盖率", "业委会党员过半率", "无物业小区按期销号率", "物业企业服务质量平均等级"}
    assert names(copy) == sorted([*names(default_set), *leaves])
    sources = set(copy.indicators.filter(source__startswith="property.").values_list("source", flat=True))
    assert sources == {
        "property.compounds_managed",
        "property.committees_party_majority",
        "property.ledger_closed_on_time",
        "property.company_grade",  # property migration 0005
    }
    assert all(source in registry.indicator_sources for source in sources)
    group = copy.indicators.get(name="红色物业")
    assert group.parent.name == "完善服务体系" and group.children.count() == 4
