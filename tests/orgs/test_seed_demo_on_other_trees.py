"""seed_demo on a database that already holds a tree other than the demo's: it adds only what
fits (tests/orgs/test_seed_demo.py holds the tests on the seeded demo, which share one seeding)."""

import pytest

from orgs import demo
from orgs.models import Area, RoleAssignment
from tests.orgs.test_seed_demo import DEMO_SCOPES, assignments, seed


@pytest.mark.django_db
def test_on_an_existing_tree_it_only_adds_the_users(areas):
    """The small tree of conftest: same city, district and first street, community and grid."""
    count = Area.objects.count()
    out = seed()
    assert Area.objects.count() == count
    assert "已有区划" in out
    assert assignments() == {(user, role, code) for user, (role, code) in DEMO_SCOPES.items()}


@pytest.mark.django_db
def test_on_a_tree_without_the_demo_areas_it_grants_nothing():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(demo, "SMALL_DISTRICT", "220199")
        seed()
    # Only the city's users: its 组织部 and its housing bureau's.
    assert set(RoleAssignment.objects.values_list("user__username", flat=True)) == {"zuzhibu", "shi_zhujian"}
