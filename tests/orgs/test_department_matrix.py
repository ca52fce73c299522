"""The permission matrix (core/testing.py) of the functional departments' pages: anonymous →
login, in scope → served, out of scope → 404 and nothing written, generated from the pages' and the
API's declarations (PermissionMatrix.for_pages, .for_api). The district's 组织部 keeps its
district's departments; an organisation department of a street sees none of them."""

import pytest
from django.urls import reverse

from core.testing import PermissionMatrix
from orgs.api import DepartmentViewSet
from orgs.choices import Role
from orgs.departments import DepartmentPages
from orgs.models import Department, DepartmentKind
from tests.conftest import make_user


@pytest.fixture
def chaoyang_org(areas):
    return make_user("chaoyang_org", Role.ORG_DEPARTMENT, areas["220104"])


@pytest.fixture
def org_b(areas):
    return make_user("org_b", Role.ORG_DEPARTMENT, areas["220104002"])


class TestDepartmentPagesMatrix(PermissionMatrix):
    pages = PermissionMatrix.for_pages(
        DepartmentPages, record="bureau", insider="chaoyang_org", outsider="org_b", max_queries=12
    )

    @pytest.fixture
    def objects(self, areas, chaoyang_org, org_b):
        kind = DepartmentKind.objects.get_or_create(name="住建")[0]
        return {
            "bureau": Department.objects.create(
                name="朝阳区住房和城乡建设局", short_name="朝阳区住建局", kind=kind, area=areas["220104"]
            )
        }


def test_a_street_cadre_has_no_departments_menu_and_no_add_page(areas, street_a, client_for):
    client = client_for(street_a)

    assert reverse("orgs:department_list") not in client.get("/").content.decode()
    assert client.get(reverse("orgs:department_add")).status_code == 404


def test_an_organisation_department_of_a_street_cannot_add_one_over_the_district(areas, org_b, client_for):
    kind = DepartmentKind.objects.get_or_create(name="民政")[0]
    response = client_for(org_b).post(
        reverse("orgs:department_add"), {"name": "朝阳区民政局", "kind": kind.pk, "area": areas["220104"].pk}
    )

    assert response.status_code == 200 and not Department.objects.exists()  # the form refuses the area


class TestDepartmentApiMatrix(PermissionMatrix):
    pages = PermissionMatrix.for_api(
        DepartmentViewSet, record="bureau", insider="chaoyang_org", outsider="org_b", max_queries=12
    )

    @pytest.fixture
    def objects(self, areas, chaoyang_org, org_b):
        kind = DepartmentKind.objects.get_or_create(name="住建")[0]
        return {
            "bureau": Department.objects.create(
                name="朝阳区住房和城乡建设局", short_name="朝阳区住建局", kind=kind, area=areas["220104"]
            )
        }


def test_the_api_adds_a_department_of_the_district_by_kind_name_and_area_code(areas, chaoyang_org, client_for):
    DepartmentKind.objects.get_or_create(name="民政")
    client = client_for(chaoyang_org)

    added = client.post(
        "/api/departments/", {"name": "朝阳区民政局", "kind": "民政", "area": "220104"}, content_type="application/json"
    )
    street = client.post(
        "/api/departments/",
        {"name": "前进街道民政办", "kind": "民政", "area": "220104001"},
        content_type="application/json",
    )

    assert added.status_code == 201, added.content
    assert Department.objects.get(name="朝阳区民政局").area.code == "220104"
    assert street.status_code == 400 and not Department.objects.filter(name="前进街道民政办").exists()
