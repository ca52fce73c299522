"""Red property is declared everywhere the kit looks: every URL of the app and of its API is in
its permission matrix, its API's schema speaks Chinese, its menu entries share one 物业 group, and
the housing bureau's user may import companies while a department of another kind may not."""

from django.urls import get_resolver, reverse

from core.registry import registry
from core.testing import COVERED
from orgs.models import Department, DepartmentKind
from tests.core.test_api_schema_in_chinese import english_in, texts
from tests.test_every_url_is_in_a_matrix import url_names

from . import test_evaluation_matrix, test_matrix  # noqa: F401  (their pages are what COVERED holds)
from .conftest import department_user

API_BASENAMES = ("propertycompany", "compound", "ledgerentry", "ledgerstep", "checklist", "ownerscommittee",
                 "committeemember", "consultation")  # fmt: skip


def test_every_url_of_the_app_and_its_api_is_in_the_matrix():
    names = {
        name for name in url_names(get_resolver()) if name.startswith("property:") or name.startswith(API_BASENAMES)
    }

    assert len(names) > 40
    assert sorted(names - COVERED) == []


def test_the_schema_of_the_property_api_is_chinese(areas, city_org, client_for):
    document = client_for(city_org).get(reverse("api-schema"), {"format": "json"}).json()
    parts = ("property-companies", "compounds", "ledger-", "property-checklists", "owners-committees",
             "committee-members", "consultations")  # fmt: skip
    ours = {path: operations for path, operations in document["paths"].items()
            if any(path.startswith(f"/api/{part}") for part in parts)}  # fmt: skip

    mixed = {where: english_in(text) for where, text in texts(ours) if english_in(text)}

    assert len(ours) == 16
    assert mixed == {}
    assert all(operation.get("description") for operations in ours.values() for operation in operations.values())


def test_the_menu_has_one_property_group():
    groups = {str(item.group) for item in registry.menu if str(item.active).startswith("property:")}

    assert groups == {"物业"}


def test_only_a_housing_bureaus_user_may_import_companies(areas, housing, zhujian, client_for):
    police = Department.objects.create(
        name="朝阳区公安分局", kind=DepartmentKind.objects.get_or_create(name="公安")[0], area=areas["220104"]
    )
    officer = department_user("gongan", police)

    assert client_for(zhujian).get(reverse("core:import_new", args=["property_companies"])).status_code == 200
    assert client_for(officer).get(reverse("core:import_new", args=["property_companies"])).status_code == 404
    assert client_for(officer).get(reverse("property:propertycompany_add")).status_code == 404
