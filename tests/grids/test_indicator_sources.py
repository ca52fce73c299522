"""The figures the assessment will compute (issue #10), registered by the apps that own the data
(core.registry.IndicatorSource): every area of a level in one query, and the same figures as the
pages count them."""

import datetime

import pytest
from django.utils import timezone

from core.registry import registry
from grids import coverage
from orgs.models import Area
from party.choices import MeetingKind
from party.models import InServiceMember, Meeting, ServiceRecord
from tests.party.conftest import party, unit_user  # noqa: F401  (fixtures)

from .test_coverage import hand_roster  # noqa: F401  (fixture)

TODAY = timezone.localdate()
QUARTER = (datetime.date(TODAY.year, 1, 1), TODAY)


@pytest.mark.parametrize("key", sorted(registry.indicator_sources))
def test_every_source_takes_one_query_for_every_area_of_each_of_its_levels(key, areas, django_assert_num_queries):
    source = registry.indicator_sources[key]
    for level in source.levels:
        with django_assert_num_queries(1):
            figures = source.compute(level, *QUARTER)
        assert set(figures) <= set(Area.objects.filter(level=level).values_list("pk", flat=True))
        assert all(0 <= numerator <= denominator for numerator, denominator in figures.values())


def test_the_registered_sources_name_their_parts_in_chinese():
    expected = {
        "grids.grid_head_coverage",
        "grids.building_head_coverage",
        "grids.unit_head_coverage",
        "grids.party_heads_share",
        "orgs.grid_branches",
        "orgs.meetings_kept",
        "orgs.in_service_active",
    }
    assert expected <= set(registry.indicator_sources)
    assert str(registry.indicator_sources["grids.grid_head_coverage"].numerator_label) == "有网格长的网格"


def test_head_coverage_and_party_heads_agree_with_the_coverage_pages(hand_roster):  # noqa: F811
    sources = registry.indicator_sources
    for level in ("street", "community"):
        counted = {
            area.pk: figures
            for area, figures in ((area, coverage.coverage(area)) for area in Area.objects.filter(level=level))
        }
        for covered in ("grid", "building", "unit"):
            computed = sources[f"grids.{covered}_head_coverage"].compute(level, *QUARTER)
            for pk, figures in counted.items():
                expected = (figures.level(covered).covered, figures.level(covered).total)
                assert computed.get(pk, (0, 0)) == expected, (level, covered, pk)
        party_heads = sources["grids.party_heads_share"].compute(level, *QUARTER)
        for pk, figures in counted.items():
            assert party_heads.get(pk, (0, 0)) == (figures.party_heads, figures.heads)


def test_the_party_sources_count_branches_meetings_kept_and_active_in_service_members(party):  # noqa: F811
    sources = registry.indicator_sources
    a1 = Area.objects.get(code="220104001001")
    start, end = datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)
    for month in (7, 8, 9):
        for kind in (MeetingKind.COMMITTEE_MEETING, MeetingKind.PARTY_DAY):
            Meeting.objects.create(
                organisation=party["grid_a1"], kind=kind, topic="例会", held_on=datetime.date(2026, month, 3)
            )
    for kind in (MeetingKind.GENERAL_MEETING, MeetingKind.PARTY_LECTURE):
        Meeting.objects.create(
            organisation=party["grid_a1"], kind=kind, topic="季度", held_on=datetime.date(2026, 8, 9)
        )
    InServiceMember.objects.filter(pk=party["zhao"].pk).update(reported_on=datetime.date(2026, 1, 1))
    # issue 15: a service counts once the community confirmed it
    ServiceRecord.objects.filter(pk=party["service"].pk).update(
        served_on=datetime.date(2026, 8, 1), confirmed_at=timezone.now()
    )

    assert sources["orgs.grid_branches"].compute("community", start, end)[a1.pk] == (1, 2)
    # The grid branch kept 三会一课 this quarter; the community's committee held nothing.
    assert sources["orgs.meetings_kept"].compute("community", start, end)[a1.pk] == (1, 2)
    assert sources["orgs.meetings_kept"].compute("grid", start, end)[party["grid_a1"].area_id] == (1, 1)
    assert sources["orgs.in_service_active"].compute("community", start, end)[a1.pk] == (1, 1)
    assert sources["orgs.in_service_active"].compute(
        "community", datetime.date(2026, 10, 1), end.replace(month=12, day=31)
    )[a1.pk] == (0, 1)


def test_a_period_under_way_asks_for_the_meetings_of_the_months_begun(party, monkeypatch):  # noqa: F811
    from django.utils import timezone as tz

    monkeypatch.setattr(tz, "localdate", lambda *args: datetime.date(2026, 8, 20))  # the quarter's second month
    for month in (7, 8):
        for kind in (MeetingKind.COMMITTEE_MEETING, MeetingKind.PARTY_DAY):
            Meeting.objects.create(
                organisation=party["grid_a1"], kind=kind, topic="例会", held_on=datetime.date(2026, month, 3)
            )
    for kind in (MeetingKind.GENERAL_MEETING, MeetingKind.PARTY_LECTURE):
        Meeting.objects.create(
            organisation=party["grid_a1"], kind=kind, topic="季度", held_on=datetime.date(2026, 7, 9)
        )

    kept = registry.indicator_sources["orgs.meetings_kept"].compute(
        "grid", datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)
    )

    assert kept[party["grid_a1"].area_id] == (1, 1)  # two months begun: two of each monthly kind suffice


# Red property's sources and figures count compounds, which these roster and party fixtures do not
# build: tests/property/test_indicators_property.py and test_company_grade_source.py check them, all
# levels in one query against a direct count per area, on a tree with compounds.
ON_THESE_FIXTURES = [
    key
    for key in sorted(registry.indicator_sources) + [f.key for f in registry.figures]
    # residents' requests: tests/services/test_requests.py; funds: tests/funds/test_funding_rates.py;
    # workforce: tests/workforce/test_*_sources.py, test_venues_figures.py, test_committees_statistics.py
    if not key.startswith(("property.", "services.", "funds.", "workforce."))
]


@pytest.mark.parametrize("key", ON_THESE_FIXTURES)
def test_all_levels_in_one_query_give_what_each_level_gives_alone(
    key,
    hand_roster,  # noqa: F811
    party,  # noqa: F811
    django_assert_num_queries,
):
    """The rollup asks a source (or a headline figure) for all its levels at once."""
    found = registry.indicator_sources.get(key) or next(f for f in registry.figures if f.key == key)
    levels = getattr(found, "levels", None) or ("city", "district", "street", "community", "grid")
    start, end = datetime.date(2024, 1, 1), timezone.localdate()
    one_by_one = {}
    for level in levels:
        one_by_one.update(found.compute(level, start, end))

    with django_assert_num_queries(1):
        together = found.compute(list(levels), start, end)

    assert together == one_by_one and together
