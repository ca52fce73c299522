"""The coverage of cities, districts and streets is summed from tallies kept by the writes (issue
#8: every coverage page ≤ 100 ms at any node). Whatever path a write takes — the roster's
functions, a queryset update, the importer's COPY, the tree's single and bulk writes, a person's
new political status — and whatever day it is, the tallied figures are the counted ones.

The roster is the one of test_coverage.py (`hand_roster`)."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from grids import coverage, roster
from grids.choices import PoliticalStatus, Post
from grids.models import CoverageTally, HeadAssignment, Person, StaleCoverageTally
from orgs import tree
from orgs.models import Area

from .test_coverage import B_A1_2, G_A1, G_A2, G_B1, U_A1_12, U_B1_11, hand_roster  # noqa: F401 (fixture)

TALLIED = ("2201", "220104", "220104001", "220104002")


def counted(code):
    """The figures of `code`'s subtree counted over the areas, as coverage_of counts a community."""
    with connection.cursor() as cursor:
        figures = coverage._count(cursor, [code], coverage.SUBTREE, large=False)[code]
    return summary(figures)


def tallied(code):
    figures = coverage.coverage_of([Area.objects.get(code=code)])
    return summary(next(iter(figures.values())))


def summary(figures):
    levels = {level: (c.covered, c.total) for level, c in figures.levels.items() if c.total}
    return levels, figures.heads, figures.party_heads


def assert_tallies_agree():
    for code in TALLIED:
        assert tallied(code) == counted(code), code


def test_the_tallies_hold_the_counted_figures(hand_roster):  # noqa: F811
    assert_tallies_agree()
    assert tallied("2201")[1:] == (6, 4)  # heads, party heads: exact, not only consistent


def test_a_fresh_tally_is_read_in_two_queries_at_any_number_of_cities_districts_and_streets(
    hand_roster,  # noqa: F811
    django_assert_num_queries,
):
    coverage.refresh_tallies()
    areas = list(Area.objects.filter(code__in=TALLIED))

    with django_assert_num_queries(2):  # is anything stale? then the sums
        coverage.coverage_of(areas)


def test_a_write_makes_only_its_bucket_stale_and_the_next_reader_recounts_it(hand_roster):  # noqa: F811
    coverage.refresh_tallies()
    assert not StaleCoverageTally.objects.exists()

    roster.appoint(Area.objects.get(code=U_B1_11), Post.UNIT_HEAD, roster.find_or_create_person(name="新单元长"))

    assert list(StaleCoverageTally.objects.values_list("prefix", flat=True)) == ["220104002"]
    assert tallied("220104002")[0]["unit"] == (1, 1)
    assert not StaleCoverageTally.objects.exists()
    assert_tallies_agree()


def write_through_every_path():
    """(what, write) for each way the portal writes what coverage counts."""
    person = Person.objects.get(name="赵六")
    return [
        ("appoint", lambda: roster.appoint(Area.objects.get(code=B_A1_2), Post.BUILDING_HEAD, person)),
        ("relieve", lambda: roster.relieve(HeadAssignment.objects.get(person__name="张三"))),
        (
            "queryset update",
            lambda: HeadAssignment.objects.filter(person__name="王五").update(end_date=timezone.localdate()),
        ),
        ("delete a post", lambda: HeadAssignment.objects.filter(person__name="吴九").delete()),
        (
            "political status",
            lambda: Person.objects.filter(name="赵六").update(political_status=PoliticalStatus.PARTY_MEMBER),
        ),
        ("save a person", lambda: _save_as_masses("郑十")),
        (
            "insert an area",
            lambda: Area(code="22010400200100100102", name="2单元", level="unit", parent=_a(U_B1_11[:-2])).save(),
        ),
        ("delete an area", lambda: tree.delete_area(_a(U_A1_12))),
        ("move a grid to another street", lambda: tree.move_area(_a(G_A2), _a("220104002001"), "220104002001002")),
        (  # a level change (possible only with AREA_CODE_WIDTHS=off): no longer a grid
            "bulk load with a new level",
            lambda: tree.bulk_load([], [tree.AreaRow(G_B1, "第1片区", "community", "220104002001")]),
        ),
    ]


def _a(code):
    return Area.objects.get(code=code)


def _save_as_masses(name):
    someone = Person.objects.get(name=name)
    someone.political_status = PoliticalStatus.MASSES
    someone.save()


def test_every_kind_of_write_keeps_the_tallies_true(hand_roster, settings):  # noqa: F811
    settings.AREA_CODE_WIDTHS = {}
    coverage.refresh_tallies()
    for what, write in write_through_every_path():
        with transaction.atomic():
            write()
        assert StaleCoverageTally.objects.exists(), what
        for code in TALLIED:
            assert tallied(code) == counted(code), (what, code)


def test_moving_a_grid_moves_its_figures_between_streets(hand_roster):  # noqa: F811
    before_a, before_b = tallied("220104001"), tallied("220104002")

    tree.move_area(_a(G_A2), _a("220104002001"), "220104002001002")

    after_a, after_b = tallied("220104001"), tallied("220104002")
    assert after_a[0]["grid"][1] == before_a[0]["grid"][1] - 1
    assert after_b[0]["grid"][1] == before_b[0]["grid"][1] + 1
    assert after_a[1] + after_b[1] == before_a[1] + before_b[1]  # the heads moved, none lost


def test_a_scheduled_head_counts_from_the_start_date_without_any_write(hand_roster, monkeypatch):  # noqa: F811
    today = timezone.localdate()
    roster.appoint(
        _a(U_B1_11), Post.UNIT_HEAD, roster.find_or_create_person(name="候任"), start_date=today + datetime.timedelta(1)
    )
    assert tallied("220104002")[0]["unit"] == (0, 1)  # scheduled, not covering yet

    monkeypatch.setattr(timezone, "localdate", lambda *args: today + datetime.timedelta(1))

    assert not StaleCoverageTally.objects.exists()  # no write since: the new day alone recounts
    assert tallied("220104002")[0]["unit"] == (1, 1)
    assert set(CoverageTally.objects.values_list("computed_on", flat=True)) == {today + datetime.timedelta(1)}


def test_a_write_rolled_back_leaves_the_tallies_as_they_were(hand_roster):  # noqa: F811
    """The writer reads its own write in the tallies; rolled back, the write and the recount go."""
    coverage.refresh_tallies()
    with transaction.atomic():
        sid = transaction.savepoint()
        roster.appoint(_a(U_B1_11), Post.UNIT_HEAD, roster.find_or_create_person(name="未提交"))
        assert tallied("220104002")[0]["unit"] == (1, 1)  # the writer sees its own write
        transaction.savepoint_rollback(sid)
    assert tallied("220104002")[0]["unit"] == (0, 1)
    assert_tallies_agree()


@pytest.mark.parametrize("stale", [0, coverage.BUCKETS_COUNTED_ONE_BY_ONE + 1])
def test_many_stale_buckets_are_recounted_at_once_with_the_same_result(hand_roster, stale):  # noqa: F811
    coverage.refresh_tallies()
    StaleCoverageTally.objects.bulk_create(
        [StaleCoverageTally(prefix=f"2201049{n:02d}") for n in range(stale)] + [StaleCoverageTally(prefix="220104001")]
    )
    CoverageTally.objects.filter(prefix="220104001").update(heads=999)  # a wrong figure, to be recounted

    assert_tallies_agree()
    assert not StaleCoverageTally.objects.exists()


def test_recounting_takes_as_many_queries_for_one_stale_bucket_as_for_many(
    hand_roster,  # noqa: F811
    django_assert_num_queries,
):
    coverage.refresh_tallies()
    StaleCoverageTally.objects.create(prefix="220104001")
    with CaptureQueriesContext(connection) as one:
        coverage.refresh_tallies()

    StaleCoverageTally.objects.bulk_create(
        [StaleCoverageTally(prefix=p) for p in ("220104001", "220104002", *(f"2201049{n:02d}" for n in range(10)))]
    )
    with django_assert_num_queries(len(one.captured_queries)):
        coverage.refresh_tallies()


def test_the_beat_recounts_every_tally_just_after_midnight(hand_roster):  # noqa: F811
    from config.celery import app
    from grids.tasks import refresh_coverage_tallies

    entry = app.conf.beat_schedule["refresh-coverage-tallies"]
    assert entry["task"] in app.tasks
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({0}, {1})
    CoverageTally.objects.all().delete()

    refresh_coverage_tallies()

    assert set(CoverageTally.objects.values_list("prefix", flat=True)) == {"220104001", "220104002"}
    assert_tallies_agree()
