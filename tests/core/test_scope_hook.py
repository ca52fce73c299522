"""A record that belongs to several areas, or to a department, declares a scope hook (KIT.md):
`.scoped(user, action)` then reaches it from any of its areas, or as its department."""

import pytest

from orgs.choices import Role
from tests.conftest import make_user
from tests.kitapp.models import Notice


@pytest.fixture
def notices(areas):
    both = Notice.objects.create(title="两街道联合通知")
    both.areas.set([areas["220104001001"], areas["220104002001"]])
    only_b = Notice.objects.create(title="桂林街道通知")
    only_b.areas.set([areas["220104002"]])
    return {"both": both, "only_b": only_b}


def titles(user, action="view"):
    return sorted(Notice.objects.scoped(user, action).values_list("title", flat=True))


def test_a_record_of_several_areas_is_reached_from_each_of_them_once(notices, street_a, street_b):
    assert titles(street_a) == ["两街道联合通知"]
    assert titles(street_b) == ["两街道联合通知", "桂林街道通知"]


def test_a_department_reads_what_is_addressed_to_it_and_nothing_else(notices, areas):
    housing = make_user("zhujian", Role.DEPARTMENT, areas["220104001"])
    notices["only_b"].department = housing
    notices["only_b"].save()

    assert titles(housing) == ["两街道联合通知", "桂林街道通知"]
    assert titles(housing, "kitapp.change_point") == []
