"""The guard of the permission matrices (KIT.md): every URL of every app is declared in some
matrix (core/testing.py), so that no page or endpoint escapes the anonymous / in scope / out of
scope checks. Pages with no data of anybody's (login, the API's schema and docs, the
admin) are listed here, with why."""

import importlib
import pkgutil

from django.urls import URLPattern, URLResolver, get_resolver

import tests
from core.testing import COVERED

OUTSIDE_THE_MATRIX = {
    "home": "every user's own start page: its widgets are tested per role",
    "core:home_widget": "a widget of one's own start page loaded after it, for the user alone: tested per role",
    "login": "the login page, for anybody",
    "logout": "ends one's own session",
    "password_change": "one's own password",
    "password_change_done": "one's own password",
    "api-root": "the API's index of endpoints",
    "api-schema": "the OpenAPI schema: no data",
    "api-docs": "the API's documentation: no data",
    "schema-swagger-ui": "the documentation's script",
    "health-live": "for load balancers, without login: no data (tests/core/test_health_live.py)",
    "health-ready": "for load balancers, without login: no data (tests/core/test_health_ready.py)",
    "metrics": "for Prometheus, by token or address (tests/core/test_metrics.py)",
}


def url_names(resolver=None, namespace=""):
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's admin, for the operator
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def import_every_test_module():
    for module in pkgutil.walk_packages(tests.__path__, "tests."):
        if module.name.rsplit(".", 1)[-1].startswith("test_"):
            importlib.import_module(module.name)


def test_every_url_of_every_app_is_in_a_permission_matrix():
    import_every_test_module()

    uncovered = sorted(url_names() - COVERED - set(OUTSIDE_THE_MATRIX))

    assert uncovered == [], f"URLs in no permission matrix: {uncovered}"


def test_the_guard_sees_the_urls_of_orgs_party_grids_core_and_the_api():
    names = url_names()

    assert {"orgs:area_detail", "party:partymember_list", "grids:roster", "core:import_detail", "area-detail"} <= names
    assert "headassignment-list" in names
