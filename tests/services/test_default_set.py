"""The seeded indicator set with the requests' leaves (services migration 0006): a copy of the
newest copy of the default set (red property's), its 完善服务体系's group 为民服务 holding the
requests' rates beside the entered 为民办实事项目完成率, each a registered IndicatorSource; the newest
copy of the default set, so that seed_demo's running quarter scores with it
(tests/services/test_requests_demo.py)."""

import pytest

from assessment.models import IndicatorSet
from core.registry import registry
from property.demo import scored_copy as red_property_copy
from services.demo_requests import scored_copy

pytestmark = pytest.mark.django_db

NAME = "党建引领基层治理考核指标（含红色物业、为民服务）"
SOURCES = {"services.requests_on_time", "services.requests_closed", "services.requests_satisfied"}


def test_the_copy_holds_the_requests_leaves_with_registered_sources(default_set):
    red_property_copy()  # restored after a transactional test, as seed_demo's property filler does
    red = IndicatorSet.objects.get(name="党建引领基层治理考核指标（含红色物业）")
    # this copy and the later apps' (the funds', funds 0004, copies this one), as a transactional test leaves them
    IndicatorSet.objects.filter(copied_from=default_set, pk__gt=red.pk).delete()
    scored_copy()
    scored_copy()  # made once

    copy = IndicatorSet.objects.get(name=NAME)
    assert copy.copied_from == default_set
    assert IndicatorSet.objects.filter(copied_from=default_set).order_by("-pk").first() == copy  # the demo's
    group = copy.indicators.get(name="为民服务")
    assert group.parent.name == "完善服务体系" and group.parent.parent is None
    leaves = {leaf.source: leaf for leaf in group.children.exclude(source="")}
    assert set(leaves) == SOURCES
    assert group.children.filter(name="为民办实事项目完成率", method="entered").exists()
    assert all(source in registry.indicator_sources for source in leaves)
    assert all(leaf.levels == ["street", "community"] and leaf.weight > 0 for leaf in leaves.values())
    names = lambda s: sorted(s.indicators.values_list("name", flat=True))  # noqa: E731
    assert names(copy) == sorted([*names(red), "诉求按时办结率", "诉求办结率", "诉求回访满意率"])
