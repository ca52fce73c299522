"""吹哨报到 is declared everywhere the kit looks: its URLs in the matrix, its API's schema in
Chinese, its menu entries in the one 服务 group, its panels and home widgets registered, the
whistle types seeded, and the demo filled with departments that differ clearly in their scores."""

import importlib

from django.urls import get_resolver, reverse

from core.registry import registry
from core.testing import COVERED
from services.models_whistles import WhistleType
from services.widgets import AREA_PANELS
from tests.core.test_api_schema_in_chinese import english_in, texts
from tests.test_every_url_is_in_a_matrix import url_names

from . import test_whistle_matrix  # noqa: F401  (its pages are what COVERED holds)

API_BASENAMES = ("whistle", "whistleresponse", "responsestep")


def test_every_url_of_the_whistles_is_in_the_matrix():
    names = {
        name
        for name in url_names(get_resolver())
        if "whistle" in name or name.startswith(API_BASENAMES) or name.startswith("responsestep")
    }

    assert len(names) > 15
    assert sorted(names - COVERED) == []


def test_the_schema_of_the_whistles_api_is_chinese(areas, city_org, client_for):
    document = client_for(city_org).get(reverse("api-schema"), {"format": "json"}).json()
    ours = {
        path: operations
        for path, operations in document["paths"].items()
        if any(part in path for part in ("/whistles/", "whistle-responses", "response-steps"))
    }

    mixed = {where: english_in(text) for where, text in texts(ours) if english_in(text)}

    assert len(ours) >= 5
    assert mixed == {}


def test_the_whistles_menu_entries_are_in_the_services_group():
    entries = {str(item.label): str(item.group) for item in registry.menu}

    assert {entries[label] for label in ("吹哨报到", "部门报到", "部门报到排名")} == {"服务"}


def test_the_panels_and_widgets_are_registered():
    assert AREA_PANELS["whistles"].template == "services/whistles/panel.html"  # the area page's, loaded after it
    assert any(p.template == "services/panels/lazy.html" for p in registry.panels["orgs.area"])
    assert any(p.template == "services/whistles/panel.html" for p in registry.panels["property.compound"])
    assert {"whistles_to_answer", "whistles_to_verify"} <= {w.name for w in registry.widgets}


def test_the_four_types_are_seeded_and_a_property_dispute_links_a_compound(db):
    """The data migration's seeding (run again here: a transactional test before may have flushed it)."""
    from django.apps import apps

    migration = importlib.import_module("services.migrations.0002_whistles")
    WhistleType.objects.all().delete()
    migration.seed_types(apps, None)
    types = dict(WhistleType.objects.values_list("name", "subject_model"))

    assert types == {"综合执法": "", "安全隐患": "", "环境整治": "", "物业纠纷": "property.compound"}
