import datetime
import importlib

import pytest
from django.apps import apps

from assessment import approvals
from assessment.models import IndicatorSet, Period
from orgs.choices import Role
from tests.conftest import make_user

DEFAULT_SET = "党建引领基层治理考核指标（默认）"
TODAY = datetime.date.today()


@pytest.fixture
def default_set():
    """The default indicator set of the data migrations (0002, 0005). A transactional test (the
    browser's, the worker's) empties every table when it ends, data migrations' rows included:
    one that runs after another loads the set again, as the migrations wrote it."""
    found = IndicatorSet.objects.filter(name=DEFAULT_SET).first()
    if found is None:
        importlib.import_module("assessment.migrations.0002_default_indicator_set").create(apps, None)
        importlib.import_module("assessment.migrations.0005_default_set_groups_and_entered_leaves").forwards(apps, None)
        found = IndicatorSet.objects.get(name=DEFAULT_SET)
    return found


# The cast of the entry stories (test_entry.py, test_approval_states.py).


@pytest.fixture
def period(areas, default_set):
    return Period.objects.create(kind="quarter", start=TODAY.replace(day=1), end=TODAY, indicator_set=default_set)


@pytest.fixture
def leaves(period):
    found = approvals.entered_leaves(period, "community")
    assert len(found) == 2  # 为民办实事项目完成率, 党群服务阵地规范化达标率 (migration 0005)
    return found


@pytest.fixture
def community_a1(areas):
    return make_user("community_a1", Role.COMMUNITY_CADRE, areas["220104001001"])


@pytest.fixture
def community_a2(areas):
    return make_user("community_a2", Role.COMMUNITY_CADRE, areas["220104001002"])


@pytest.fixture
def district_org(areas):
    return make_user("district_org", Role.ORG_DEPARTMENT, areas["220104"])
