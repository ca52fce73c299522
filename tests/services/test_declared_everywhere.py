"""The lists are declared everywhere the kit looks: every URL of the app and of its API is in its
permission matrix, its API's schema speaks Chinese, its menu entries (清单, 准入事项) share one 服务
group, and only who keeps a list may import its items."""

from django.urls import get_resolver, reverse

from core.registry import registry
from core.testing import COVERED
from tests.core.test_api_schema_in_chinese import english_in, texts
from tests.test_every_url_is_in_a_matrix import url_names

from . import (
    test_matrix,  # noqa: F401  (its pages are what COVERED holds)
    test_requests_matrix,  # noqa: F401  (the requests' pages, 诉求)
)

API_BASENAMES = ("servicelist", "listversion", "listitem", "gatetask", "gatestep", "versionstep")
# The requests' (诉求) API
API_BASENAMES += ("requestcategory", "routingrule", "request", "requeststep", "deliberation")


def test_every_url_of_the_app_and_its_api_is_in_the_matrix():
    names = {
        name for name in url_names(get_resolver()) if name.startswith("services:") or name.startswith(API_BASENAMES)
    }

    assert len(names) > 25
    assert sorted(names - COVERED) == []


def test_the_schema_of_the_services_api_is_chinese(areas, city_org, client_for):
    document = client_for(city_org).get(reverse("api-schema"), {"format": "json"}).json()
    ours = {
        path: operations
        for path, operations in document["paths"].items()
        if any(
            part in path
            for part in ("service-lists", "list-versions", "list-items", "gate-", "version-steps")
            + ("requests", "request-", "routing-rules", "deliberations")  # 诉求
        )
    }

    mixed = {where: english_in(text) for where, text in texts(ours) if english_in(text)}

    assert len(ours) >= 8
    assert mixed == {}


def test_the_menu_has_one_services_group():
    entries = [item for item in registry.menu if str(item.active).startswith("services:")]

    assert {str(item.group) for item in entries} == {"服务"}
    # 吹哨报到's own entries: test_whistle_declared.py
    assert {"准入事项", "清单", "诉求"} <= {str(item.label) for item in entries}


def test_only_a_keeper_imports_list_items(areas, street_a, grid_a1, client_for):
    assert client_for(street_a).get(reverse("core:import_new", args=["list_items"])).status_code == 200
    assert client_for(grid_a1).get(reverse("core:import_new", args=["list_items"])).status_code == 404
