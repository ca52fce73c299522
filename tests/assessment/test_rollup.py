"""The rollup's arithmetic (issue #10): values from the registered sources, points by rule, scores
level by level (own leaves, else the children's mean), ranks among siblings, the last-placed;
idempotent; a closed period is refused."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessment.choices import PeriodKind, PeriodStatus, Rule
from assessment.models import Indicator, IndicatorSet, Period, Score, Value
from assessment.rollup import points, rollup
from tests.grids.conftest import holder, id_number  # noqa: F401  (fixtures)
from tests.grids.test_coverage import hand_roster  # noqa: F401  (fixture: grid A1 and B1 have heads, A2 not)

TODAY = datetime.date.today()


@pytest.fixture
def period(db):
    indicators = IndicatorSet.objects.create(name="2026年度指标", last_places=1)
    system = Indicator.objects.create(indicator_set=indicators, name="健全组织体系")
    Indicator.objects.create(
        indicator_set=indicators,
        parent=system,
        name="网格长覆盖率",
        weight=Decimal(3),
        levels=["community", "street"],
        source="grids.grid_head_coverage",
    )
    Indicator.objects.create(
        indicator_set=indicators,
        parent=system,
        name="单元长覆盖率",
        weight=Decimal(1),
        levels=["community"],
        source="grids.unit_head_coverage",
        rule=Rule.THRESHOLDS,
        thresholds=[[0.9, 100], [0.5, 60], [0, 20]],
    )
    return Period.objects.create(
        kind=PeriodKind.QUARTER, start=TODAY.replace(day=1), end=TODAY, indicator_set=indicators
    )


def score_of(period, code):
    return Score.objects.get(period=period, area__code=code)


def test_points_follow_the_leafs_rule():
    linear = Indicator(rule=Rule.LINEAR, floor=Decimal("0.5"), target=Decimal(1))
    steps = Indicator(rule=Rule.THRESHOLDS, thresholds=[[0.9, 100], [0.5, 60]])

    assert [points(linear, Decimal(v)) for v in ("0.4", "0.75", "1")] == [Decimal(0), Decimal(50), Decimal(100)]
    assert [points(steps, Decimal(v)) for v in ("0.95", "0.6", "0.1")] == [Decimal(100), Decimal(60), Decimal(0)]


def test_scores_roll_up_from_the_communities_to_the_city_with_ranks(hand_roster, period):  # noqa: F811
    rollup(period)

    # 网格 A1 and A2 are in community A1 (1 of 2 with a grid head); units: 2 of 4 have a head (50 %).
    a1 = Value.objects.get(period=period, area__code="220104001001", indicator__name="网格长覆盖率")
    assert (a1.numerator, a1.denominator, a1.points) == (1, 2, Decimal("50.00"))
    assert score_of(period, "220104001001").points == Decimal("52.50")  # (3 × 50 + 1 × 60) / 4
    assert score_of(period, "220104002001").points == Decimal("80.00")  # (3 × 100 + 1 × 20) / 4, grid B1 covered
    # Streets have their own grid-head leaf; the district is its streets' mean; the city its district's.
    assert score_of(period, "220104001").points == Decimal("50.00")
    assert score_of(period, "220104002").points == Decimal("100.00")
    assert score_of(period, "220104").points == Decimal("75.00")
    assert score_of(period, "2201").points == Decimal("75.00")
    a, b = score_of(period, "220104001"), score_of(period, "220104002")
    assert (b.rank, a.rank, a.siblings, a.last_place, b.last_place) == (1, 2, 2, True, False)


def test_two_runs_give_identical_rows(hand_roster, period):  # noqa: F811
    def rows():
        return (
            sorted(
                Value.objects.filter(period=period).values_list(
                    "indicator_id", "area_id", "numerator", "denominator", "value", "points"
                )
            ),
            sorted(
                Score.objects.filter(period=period).values_list("area_id", "points", "rank", "siblings", "last_place")
            ),
        )

    rollup(period)
    first = rows()
    rollup(period)

    assert rows() == first and first[1]


def test_a_closed_period_is_frozen(hand_roster, period):  # noqa: F811
    rollup(period)
    period.status = PeriodStatus.CLOSED
    period.save()

    with pytest.raises(ValidationError, match="已关闭"):
        rollup(period)
    assert Score.objects.filter(period=period).exists()


def test_a_leaf_must_name_a_registered_source_for_its_levels(period):
    leaf = Indicator(indicator_set=period.indicator_set, name="x", source="grids.grid_head_coverage", levels=["grid"])
    with pytest.raises(ValidationError, match="不适用"):
        leaf.full_clean()
    leaf.source, leaf.levels = "nothing.here", ["community"]
    with pytest.raises(ValidationError, match="没有名为"):
        leaf.full_clean()


def test_the_default_set_has_the_five_systems_and_every_leaf_names_a_source_for_its_levels(db):
    indicators = IndicatorSet.objects.get(name="党建引领基层治理考核指标（默认）")
    systems = indicators.indicators.filter(parent=None).order_by("order")

    assert [s.name for s in systems] == ["健全组织体系", "规范治理体系", "完善服务体系", "创新发展体系", "强化保障体系"]
    leaves = indicators.indicators.exclude(parent=None)
    assert leaves.count() >= 7
    for leaf in leaves:
        leaf.full_clean()  # a registered source that applies to each of its levels


def test_a_rollup_job_runs_the_period_and_reports_its_progress(hand_roster, period, street_a):  # noqa: F811
    from assessment.tasks import start_rollup

    job = start_rollup(period, street_a)  # run in-process here; tests/assessment/test_rollup_worker.py: a real worker

    job.refresh_from_db()
    assert job.status == "done", job.error
    assert job.progress_done == job.progress_total == 3  # the set's two leaves, then the headline figures
    assert (job.values_written, job.scores_written) == (
        Value.objects.filter(period=period).count(),
        Score.objects.filter(period=period).count(),
    )
    assert job.values_written > 0


def test_a_rollup_job_of_a_closed_period_fails_with_a_chinese_reason(hand_roster, period, street_a):  # noqa: F811
    from assessment.tasks import start_rollup

    period.status = PeriodStatus.CLOSED
    period.save()

    job = start_rollup(period, street_a)

    job.refresh_from_db()
    assert job.status == "failed" and "考核周期已关闭" in job.error


def test_the_demo_scores_three_quarters_closes_the_past_two_and_leaves_entry_under_way(hand_roster):  # noqa: F811
    from assessment.demo import DEMO_COMMUNITY, DEMO_PENDING_STREET, fill_demo_assessment
    from assessment.models import Approval, Entry

    line = fill_demo_assessment("small")

    oldest, older, newer = Period.objects.order_by("start")
    assert (oldest.status, older.status, newer.status) == (PeriodStatus.CLOSED, PeriodStatus.CLOSED, PeriodStatus.OPEN)
    assert all(Score.objects.filter(period=p).exists() for p in (oldest, older, newer))
    assert "已生成最近三个季度的考核结果" in line
    # The past quarters' manual indicators are accepted; the current one's are under way, and the
    # demo community's are left for the newcomer to enter.
    assert set(Approval.objects.filter(period=older, area__level="street").values_list("status", flat=True)) == {
        "accepted"
    }
    assert Entry.objects.filter(period=older, area__code=DEMO_COMMUNITY).exists()
    assert not Entry.objects.filter(period=newer, area__code=DEMO_COMMUNITY).exists()
    pending = Approval.objects.get(period=newer, area__code=DEMO_PENDING_STREET)  # for chaoyang_zzb to accept
    assert pending.status == "submitted"
    assert set(
        Approval.objects.filter(period=newer, area__parent__code=DEMO_PENDING_STREET).values_list("status", flat=True)
    ) == {"submitted"}
    assert Value.objects.filter(period=older, indicator__method="entered", points__gt=0).exists()
    Score.objects.all().delete()  # a rebuilt demo city: its areas, values and scores gone
    fill_demo_assessment("small")
    assert Score.objects.filter(period=older).exists()
    assert Period.objects.get(pk=older.pk).status == PeriodStatus.CLOSED


def test_a_rollup_started_before_the_period_closed_is_refused_once_it_holds_the_lock(hand_roster, period):  # noqa: F811
    Period.objects.filter(pk=period.pk).update(status=PeriodStatus.CLOSED)  # closed meanwhile: `period` is stale

    with pytest.raises(ValidationError, match="已关闭"):
        rollup(period)

    assert not Score.objects.filter(period=period).exists()


def test_the_demos_submitted_and_accepted_values_have_their_evidence(hand_roster):  # noqa: F811
    from assessment.approvals import lacking_evidence
    from assessment.demo import fill_demo_assessment
    from assessment.models import Approval, Evidence

    fill_demo_assessment("small")

    done = Approval.objects.filter(status__in=["submitted", "accepted"]).select_related("period", "area")
    assert done.count() > 3
    for approval in done:
        assert lacking_evidence(approval.period, approval.area) == [], approval.area.code
    evidence = Evidence.objects.select_related("entry__indicator").first()
    assert evidence.uploaded_by is None and evidence.name == f"{evidence.entry.indicator.name}台账.pdf"
    with evidence.file.open("rb") as stored:
        assert stored.read().startswith(b"%PDF-1.4") and evidence.size == evidence.file.size
