"""The seeded indicator set with the funds' leaves (funds migration 0004, through assessment/seeding.py):
a copy of the newest copy of the default set (the services'), its 完善服务体系 holding a group 双向认领
(需求认领率, 需求及时认领率, 项目结项率) and its 强化保障体系 a group 经费保障 beside 阵地保障
(经费执行率, 经费公示率), each leaf's source registered; the newest copy of the default set, so that
seed_demo's running quarter scores with it (tests/funds/test_projects_demo.py); going back removes
it unless a period was scored with it."""

import datetime
import importlib

import pytest
from django.apps import apps

from assessment.choices import PeriodKind
from assessment.models import IndicatorSet, Period
from core.registry import registry
from funds.demo_funding import scored_copy
from property.demo import scored_copy as red_property_copy
from services.demo_requests import scored_copy as services_copy

pytestmark = pytest.mark.django_db

NAME = "党建引领基层治理考核指标（含红色物业、为民服务、双向认领、经费保障）"
SERVICES = "党建引领基层治理考核指标（含红色物业、为民服务）"
GROUPS = {
    ("完善服务体系", "双向认领"): {
        "需求认领率": "funds.demands_claimed",
        "需求及时认领率": "funds.claimed_in_time",
        "项目结项率": "funds.projects_closed",
    },
    ("强化保障体系", "经费保障"): {"经费执行率": "funds.execution", "经费公示率": "funds.notices_published"},
}
migration = importlib.import_module("funds.migrations.0004_default_set_with_funds")


@pytest.fixture
def remade(default_set):
    """The copies as seed_demo's fillers remake them after a transactional test: red property's,
    the services', then the funds' (made once, however often asked)."""
    red_property_copy()
    services_copy()
    services = IndicatorSet.objects.get(name=SERVICES)
    # the funds' copy and any made after it (a later app's), as a transactional test leaves none of them
    IndicatorSet.objects.filter(copied_from=default_set, pk__gt=services.pk).delete()
    scored_copy()
    scored_copy()
    return IndicatorSet.objects.get(name=NAME)


def test_the_copy_holds_the_funds_leaves_with_registered_sources(default_set, remade):
    services = IndicatorSet.objects.get(name=SERVICES)
    assert remade.copied_from == default_set
    assert IndicatorSet.objects.filter(copied_from=default_set).order_by("-pk").first() == remade  # the demo's
    for (system, group_name), leaves in GROUPS.items():
        group = remade.indicators.get(name=group_name)
        assert group.parent.name == system and group.parent.parent is None and not group.source
        found = {leaf.name: leaf for leaf in group.children.all()}
        assert {name: leaf.source for name, leaf in found.items()} == leaves
        assert all(leaf.levels == ["street", "community"] and leaf.weight > 0 for leaf in found.values())
        assert all(0 < leaf.floor < leaf.target == 1 for leaf in found.values())
    assert remade.indicators.get(name="经费保障").order > remade.indicators.get(name="阵地保障").order
    sources = set(remade.indicators.exclude(source="").values_list("source", flat=True))
    assert sources - set(registry.indicator_sources) == set()  # every leaf's source is registered
    names = lambda s: sorted(s.indicators.values_list("name", flat=True))  # noqa: E731
    added = ["双向认领", "经费保障", *(name for leaves in GROUPS.values() for name in leaves)]
    assert names(remade) == sorted([*names(services), *added])


def test_going_back_removes_the_copy_unless_a_period_was_scored_with_it(remade):
    migration.backwards(apps, None)
    assert not IndicatorSet.objects.filter(name=NAME).exists()

    again = migration.forwards(apps, None)
    Period.objects.create(
        kind=PeriodKind.QUARTER, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 3, 31), indicator_set=again
    )
    migration.backwards(apps, None)
    assert IndicatorSet.objects.filter(name=NAME).exists()  # a scored set keeps its leaves
