"""The seeded indicator set with the workforce's leaves (workforce migration 0002, through
assessment/seeding.py): a copy of the newest copy of the default set (the funds'), its 阵地保障's
党群服务阵地规范化达标率 now computed from the venues on record instead of entered, a group
社区工作者队伍 beside it and a group 书记领办 under 健全组织体系, each leaf's source registered; the
newest copy of the default set, so that seed_demo's running quarter scores with it; going back
removes it unless a period was scored with it."""

import datetime
import importlib

import pytest
from django.apps import apps

from assessment.choices import Method, PeriodKind
from assessment.models import IndicatorSet, Period
from core.registry import registry
from funds.demo_funding import scored_copy as funds_copy
from property.demo import scored_copy as red_property_copy
from services.demo_requests import scored_copy as services_copy
from workforce.demo_set import fill_scored_copy, scored_copy

pytestmark = pytest.mark.django_db

NAME = "党建引领基层治理考核指标（含红色物业、为民服务、双向认领、经费保障、队伍与阵地）"
FUNDS = "党建引领基层治理考核指标（含红色物业、为民服务、双向认领、经费保障）"
GROUPS = {
    ("强化保障体系", "社区工作者队伍"): {
        "持证社工占比": "workforce.certified_share",
        "社工配备达标率": "workforce.staffing",
        "培训学时达标率": "workforce.training_hours",
    },
    ("健全组织体系", "书记领办"): {
        "书记项目按期推进率": "workforce.projects_on_track",
        "述职评议好评率": "workforce.review_good_share",
        "书记主任一肩挑比例": "workforce.one_shoulder",
    },
}
VENUES = "党群服务阵地规范化达标率"
migration = importlib.import_module("workforce.migrations.0002_default_set_with_workforce")


@pytest.fixture
def remade(default_set):
    """The copies as seed_demo's fillers remake them after a transactional test, in their order."""
    red_property_copy()
    services_copy()
    funds_copy()
    IndicatorSet.objects.filter(name=NAME).delete()
    assert fill_scored_copy("small") == "已建立含队伍与阵地指标的考核指标体系。"
    assert scored_copy() is None  # made once, however often asked
    return IndicatorSet.objects.get(name=NAME)


def test_the_copy_holds_the_workforce_leaves_and_computes_the_venues_leaf(default_set, remade):
    funds = IndicatorSet.objects.get(name=FUNDS)
    assert remade.copied_from == default_set
    assert IndicatorSet.objects.filter(copied_from=default_set).order_by("-pk").first() == remade  # the demo's
    for (system, group_name), leaves in GROUPS.items():
        group = remade.indicators.get(name=group_name)
        assert group.parent.name == system and group.parent.parent is None and not group.source
        found = {leaf.name: leaf for leaf in group.children.all()}
        assert {name: leaf.source for name, leaf in found.items()} == leaves
        assert all(leaf.weight > 0 and 0 < leaf.floor < leaf.target == 1 for leaf in found.values())
        assert all(set(leaf.levels) <= set(registry.indicator_sources[leaf.source].levels) for leaf in found.values())

    venues = remade.indicators.get(name=VENUES)
    assert (venues.method, venues.source, venues.evidence_required) == (
        Method.COMPUTED,
        "workforce.venue_compliance",
        False,
    )
    assert (venues.numerator_label, venues.denominator_label) == ("达标阵地", "阵地")
    before = funds.indicators.get(name=VENUES)
    assert (before.method, before.source) == (Method.ENTERED, "")  # the sets scored keep the entered leaf
    assert (venues.weight, venues.levels, venues.parent.name) == (before.weight, before.levels, "阵地保障")
    venues.full_clean()  # a computed leaf the set's form would accept

    sources = set(remade.indicators.exclude(source="").values_list("source", flat=True))
    assert sources - set(registry.indicator_sources) == set()  # every leaf's source is registered
    names = lambda s: sorted(s.indicators.values_list("name", flat=True))  # noqa: E731
    added = [*(group for _system, group in GROUPS), *(name for leaves in GROUPS.values() for name in leaves)]
    assert names(remade) == sorted([*names(funds), *added])


def test_going_back_removes_the_copy_unless_a_period_was_scored_with_it(remade):
    migration.backwards(apps, None)
    assert not IndicatorSet.objects.filter(name=NAME).exists()

    again = migration.forwards(apps, None)
    Period.objects.create(
        kind=PeriodKind.QUARTER, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 3, 31), indicator_set=again
    )
    migration.backwards(apps, None)
    assert IndicatorSet.objects.filter(name=NAME).exists()  # a scored set keeps its leaves
