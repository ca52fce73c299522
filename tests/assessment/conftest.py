import datetime

import pytest

from assessment import approvals
from assessment.models import Period
from orgs.choices import Role
from tests.conftest import make_user

DEFAULT_SET = "党建引领基层治理考核指标（默认）"
TODAY = datetime.date.today()


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
