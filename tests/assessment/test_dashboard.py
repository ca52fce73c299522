"""The dashboards and what feeds them (issue #10): headline figures stored by the rollup, the
children's table with figures and trend, the xlsx export, a query count that does not grow with the
tree; the indicator sets copied and edited; aggregation weighted by grids; the rank rule; the
nightly and quarter-end rollups of beat."""

import datetime
import io
import math
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings as django_settings
from django.db import connection, reset_queries
from django.urls import reverse

from assessment.models import AreaFigure, Indicator, IndicatorSet, Period, RollupJob, Score, Value
from assessment.rollup import rollup
from core.registry import registry
from orgs.models import Area
from tests.grids.conftest import holder, id_number  # noqa: F401  (fixtures)
from tests.grids.test_coverage import hand_roster  # noqa: F401  (fixture)

TODAY = datetime.date.today()
DEFAULT_SET = "党建引领基层治理考核指标（默认）"


def quarter(start, indicator_set=None, status="open"):
    end = (start.replace(day=28) + datetime.timedelta(days=70)).replace(day=1) - datetime.timedelta(days=1)
    return Period.objects.create(
        kind="quarter",
        start=start,
        end=end,
        status=status,
        indicator_set=indicator_set or IndicatorSet.objects.get(name=DEFAULT_SET),
    )


@pytest.fixture
def two_quarters(hand_roster):  # noqa: F811
    this = TODAY.replace(month=(TODAY.month - 1) // 3 * 3 + 1, day=1)
    last = (this - datetime.timedelta(days=1)).replace(day=1)
    last = last.replace(month=(last.month - 1) // 3 * 3 + 1)
    earlier, current = quarter(last), quarter(this)
    rollup(earlier)
    rollup(current)
    return earlier, current


def test_the_rollup_stores_every_registered_figure_for_every_area_down_to_the_grids(two_quarters):
    _earlier, current = two_quarters
    keys = {figure.key for figure in registry.figures}
    assert {"orgs.organisations", "orgs.members", "grids.grids", "grids.heads_coverage"} <= keys

    stored = AreaFigure.objects.filter(period=current)
    city = {f.key: (f.numerator, f.denominator) for f in stored.filter(area__code="2201")}
    assert city["grids.grids"] == (Area.objects.filter(level="grid").count(), 0)
    # The three heads over grids, buildings and units (tests/grids/test_coverage.py: 2/3, 2/4, 2/5).
    assert city["grids.heads_coverage"] == (2 + 2 + 2, 3 + 4 + 5)
    assert set(stored.filter(area__level="grid").values_list("area__code", flat=True)) == set(
        Area.objects.filter(level="grid").values_list("code", flat=True)
    )


def test_the_dashboard_shows_tiles_children_with_figures_trend_and_charts(two_quarters, city_org, client_for):
    _earlier, current = two_quarters

    response = client_for(city_org).get(reverse("assessment:dashboard", args=["220104"]) + f"?period={current.pk}")

    context = response.context
    tiles = {tile.key: tile for tile in context["tiles"]}
    assert tiles["grids.grids"].numerator == Area.objects.filter(level="grid", code__startswith="220104").count()
    assert tiles["grids.grids"].change == 0  # the same tree both quarters
    assert [s.area.code for s in context["children"]] == [
        s.area.code for s in Score.objects.filter(period=current, area__parent__code="220104").order_by("rank")
    ]
    first = context["children"][0]
    assert len(first.trend) == 2 and first.trend[-1] == first.points
    assert context["charts"]["ranking"]["names"] == [s.area.name for s in context["children"]]
    assert [c["name"] for c in context["charts"]["tree"]["children"]] == context["charts"]["ranking"]["names"]
    page = response.content.decode()
    assert "data-sparkline" in page and "“三长”合计覆盖率" in page and "导出 Excel" in page


def test_the_dashboards_query_count_does_not_grow_with_the_tree(two_quarters, city_org, client_for, settings):
    client = client_for(city_org)
    client.get(reverse("assessment:dashboard", args=["2201"]))  # the coverage tallies' first count of the day
    counts = {}
    for code in ("2201", "220104", "220104001", "220104001001"):
        settings.DEBUG = True
        reset_queries()
        assert client.get(reverse("assessment:dashboard", args=[code])).status_code == 200
        counts[code] = len(connection.queries)
        settings.DEBUG = django_settings.DEBUG

    # The city, which has no siblings to list, saves one; nothing grows with the subtree.
    assert counts["2201"] <= counts["220104001001"] and max(counts.values()) - min(counts.values()) <= 1, counts


def test_the_table_exports_as_xlsx_for_reporting(two_quarters, city_org, client_for):
    _earlier, current = two_quarters

    response = client_for(city_org).get(
        reverse("assessment:dashboard_export", args=["220104"]) + f"?period={current.pk}"
    )

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("名次", "区划代码", "区划", "得分")
    expected = Score.objects.filter(period=current, area__parent__code="220104").order_by("rank", "area__code")
    assert [(r[1], Decimal(str(r[3]))) for r in rows[1:]] == [(s.area.code, s.points) for s in expected]


def test_a_parent_may_weight_its_childrens_scores_by_their_grids(hand_roster, city_org, client_for):  # noqa: F811
    indicator_set = IndicatorSet.objects.get(name=DEFAULT_SET)
    indicator_set.aggregation = "grids.grid_count"
    indicator_set.full_clean()
    indicator_set.save()
    period = quarter(TODAY.replace(day=1))

    rollup(period)

    scores = dict(Score.objects.filter(period=period).values_list("area__code", "points"))
    grids = {code: Area.objects.filter(level="grid", code__startswith=code).count() for code in scores}
    streets = ["220104001", "220104002"]
    weighted = sum(scores[c] * grids[c] for c in streets) / sum(grids[c] for c in streets)
    assert scores["220104"] == Decimal(weighted).quantize(Decimal("0.01"))
    assert scores["220104"] != Decimal(sum(scores[c] for c in streets) / 2).quantize(Decimal("0.01"))

    page = client_for(city_org).get(reverse("assessment:breakdown", args=["220104"]) + f"?period={period.pk}")
    assert "本级得分由下级汇总（按网格数加权平均）" in page.content.decode()  # the choice is shown


def test_the_rank_rule_gives_the_first_sibling_100_and_the_last_0(hand_roster):  # noqa: F811
    period = quarter(TODAY.replace(day=1))
    leaf = Indicator.objects.get(indicator_set=period.indicator_set, name="网格长覆盖率")
    leaf.rule = "rank"
    leaf.save()

    rollup(period)

    values = Value.objects.filter(period=period, indicator=leaf, area__level="street", area__parent__code="220104")
    by_value = sorted(values, key=lambda v: -v.value)
    assert by_value[0].value > by_value[-1].value
    assert (by_value[0].points, by_value[-1].points) == (100, 0)


def test_a_set_is_copied_whole_and_edited_while_a_scored_set_stays_frozen(two_quarters, city_org, client_for):
    client = client_for(city_org)
    scored = IndicatorSet.objects.get(name=DEFAULT_SET)
    assert client.get(reverse("assessment:set_edit", args=[scored.pk])).status_code == 302  # frozen: scored

    client.post(reverse("assessment:set_detail", args=[scored.pk]), {"name": "2027年度考核指标"})
    copy = IndicatorSet.objects.get(name="2027年度考核指标")
    original = [(i.name, i.parent.name if i.parent else None, i.weight, i.method) for i in scored.indicators.all()]
    copied = [(i.name, i.parent.name if i.parent else None, i.weight, i.method) for i in copy.indicators.all()]
    assert sorted(copied, key=str) == sorted(original, key=str) and copy.copied_from == scored

    leaves = list(copy.indicators.exclude(levels=[]).order_by("parent__parent__order", "parent__order", "order", "pk"))
    data = {"set-name": copy.name, "set-aggregation": "mean", "set-last_places": 2, "set-last_share": "0.10"}
    data.update({"leaf-TOTAL_FORMS": len(leaves), "leaf-INITIAL_FORMS": len(leaves)})
    for n, leaf in enumerate(leaves):
        data.update(
            {
                f"leaf-{n}-id": leaf.pk,
                f"leaf-{n}-weight": 20 if n == 0 else leaf.weight,
                f"leaf-{n}-rule": "thresholds" if n == 0 else leaf.rule,
                f"leaf-{n}-floor": leaf.floor,
                f"leaf-{n}-target": leaf.target,
                f"leaf-{n}-thresholds": "0.9 100\n0.6，60" if n == 0 else "",
            }
        )
    response = client.post(reverse("assessment:set_edit", args=[copy.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    edited = Indicator.objects.get(pk=leaves[0].pk)
    assert (edited.weight, edited.rule, edited.thresholds) == (20, "thresholds", [[0.9, 100], [0.6, 60]])
    assert Indicator.objects.get(indicator_set=scored, name=edited.name).weight != 20  # the scored set as it was

    data["leaf-0-thresholds"] = "0.9 百分"
    refused = client.post(reverse("assessment:set_edit", args=[copy.pk]), data).content.decode()
    assert "每行写一档" in refused


def test_a_street_cadre_cannot_copy_or_edit_sets(two_quarters, street_a, client_for):
    client = client_for(street_a)
    scored = IndicatorSet.objects.get(name=DEFAULT_SET)

    assert client.post(reverse("assessment:set_detail", args=[scored.pk]), {"name": "自拟"}).status_code == 404
    assert not IndicatorSet.objects.filter(name="自拟").exists()
    assert "修改权重" not in client.get(reverse("assessment:set_detail", args=[scored.pk])).content.decode()


def test_beat_rolls_up_open_periods_nightly_and_the_ended_quarter_on_a_quarters_first_day(hand_roster):  # noqa: F811
    from assessment.tasks import nightly_rollups, quarter_end_rollup

    schedule = {entry["task"] for entry in registry.schedules.values()}
    assert {"assessment.nightly_rollups", "assessment.quarter_end_rollup"} <= schedule
    ended = quarter(datetime.date(2026, 7, 1))
    closed = quarter(datetime.date(2026, 4, 1), status="closed")

    started = nightly_rollups()

    assert RollupJob.objects.filter(pk__in=started, period=ended, user=None, status="done").count() == 1
    assert not RollupJob.objects.filter(period=closed).exists()
    assert Score.objects.filter(period=ended).exists()

    assert quarter_end_rollup("2026-10-01") != [] and quarter_end_rollup("2026-10-02") == []


def test_the_home_page_of_an_organisation_department_opens_on_its_ranking(two_quarters, city_org, client_for):
    _earlier, current = two_quarters
    city = Score.objects.get(period=current, area__code="2201")

    page = client_for(city_org).get(reverse("home")).content.decode()

    assert "长春市 考核排名" in page and "打开考核看板" in page
    assert str(city.points) in page
    assert "较上期" in page  # the change is said to be one, not read as the score
    assert reverse("assessment:dashboard", args=["2201"]) in page


def test_the_home_page_has_no_ranking_before_any_rollup(hand_roster, city_org, client_for):  # noqa: F811
    page = client_for(city_org).get(reverse("home")).content.decode()

    assert "打开考核看板" not in page


def test_the_breakdown_says_what_each_leaf_would_add_to_the_score(two_quarters, city_org, client_for):
    _earlier, current = two_quarters

    response = client_for(city_org).get(
        reverse("assessment:breakdown", args=["220104001001"]) + f"?period={current.pk}"
    )

    lines = [ln for _s, groups, _p, _w in response.context["systems"] for _g, found in groups for ln in found]
    own = Score.objects.get(period=current, area__code="220104001001").points
    gains = [ln.gain for ln in lines if ln.gain is not None]
    assert gains and abs(own + sum(gains) - 100) <= Decimal("0.01") * len(gains)  # full points everywhere: 100
    assert "提升空间" in response.content.decode()


def test_the_last_placed_may_be_a_share_of_each_group_of_siblings(hand_roster):  # noqa: F811
    indicator_set = IndicatorSet.objects.get(name=DEFAULT_SET)
    indicator_set.last_places, indicator_set.last_share = 0, Decimal("0")
    indicator_set.save()
    period = quarter(TODAY.replace(day=1))
    rollup(period)
    assert not Score.objects.filter(period=period, last_place=True).exists()

    indicator_set.last_share = Decimal("0.5")
    indicator_set.save()
    period.refresh_from_db()
    rollup(period)

    groups = {}
    for score in Score.objects.filter(period=period).select_related("area"):
        groups.setdefault((score.area.parent_id, score.area.level), []).append(score)
    assert any(len(siblings) > 1 for siblings in groups.values())
    for siblings in groups.values():
        n = len(siblings)
        flagged = {s.pk for s in siblings if s.rank > n - math.ceil(n / 2)} if n > 1 else set()  # never an only child
        assert {s.pk for s in siblings if s.last_place} == flagged
