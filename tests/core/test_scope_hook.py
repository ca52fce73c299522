"""A record that belongs to several areas, or to a department, declares a scope hook (KIT.md):
`.scoped(user, action)` then reaches it from any of its areas, or as its department. Records
addressed to a department take the ready form, `orgs.scoping.addressed_to_department`."""

import pytest

from orgs.choices import Role
from orgs.models import Department, DepartmentKind, RoleAssignment
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


@pytest.fixture
def bureaus(areas):
    kind = DepartmentKind.objects.get_or_create(name="住建")[0]
    return {
        "district": Department.objects.create(name="朝阳区住房和城乡建设局", kind=kind, area=areas["220104"]),
        "city": Department.objects.create(name="长春市住房和城乡建设局", kind=kind, area=areas["2201"]),
    }


def department_user(username, area, department):
    user = make_user(username, None, None)
    RoleAssignment.objects.create(user=user, role=Role.DEPARTMENT, area=area, department=department)
    return user


def test_a_department_reads_what_is_addressed_to_it_and_nothing_else(notices, areas, bureaus):
    housing = department_user("zhujian", areas["220104001"], bureaus["district"])
    notices["only_b"].department = bureaus["district"]
    notices["only_b"].save()

    assert titles(housing) == ["两街道联合通知", "桂林街道通知"]
    assert titles(housing, "kitapp.change_point") == []


def test_what_is_addressed_to_another_department_stays_out_of_sight(notices, areas, bureaus):
    """The ready hook reads by department: the city's bureau, over community A2, does not read
    what is addressed to the district's bureau, and reads it once it is addressed to itself."""
    city_bureau = department_user("shi_zhujian", areas["220104001002"], bureaus["city"])
    notices["only_b"].department = bureaus["district"]
    notices["only_b"].save()

    assert titles(city_bureau) == []

    notices["only_b"].department = bureaus["city"]
    notices["only_b"].save()
    assert titles(city_bureau) == ["桂林街道通知"]


def test_a_department_role_granted_before_departments_were_records_reads_nothing_addressed(notices, areas, bureaus):
    old = make_user("zhujian_old", Role.DEPARTMENT, areas["220104001002"])  # no department named
    notices["only_b"].department = bureaus["district"]
    notices["only_b"].save()

    assert titles(old) == []
