"""bench/property.py resolves on the small demo city (seeded by the bench's own code, as it does an
empty database): every page answers 200 to its role within its query budget, the same at the city
as at a community; the 物业 panel makes the same two queries at every level; each red-property
source runs inside the rollup; both imports write every row. No timing."""

import pytest

from bench import pages
from bench import property as bench

pytestmark = pytest.mark.django_db


def test_the_property_bench_runs_on_the_small_city(default_set, settings):
    settings.ALLOWED_HOSTS = ["*"]
    figures = bench.run("small", repeat=1, rollups=1, rows=5)

    assert figures["compounds"] > 100
    wrong = [(p["name"], p["status"]) for p in figures["pages"] if p["status"] != 200]
    assert wrong == []
    over = [(p["name"], p["queries"]) for p in figures["pages"] if p["queries"] > pages.query_budget(p["name"])]
    assert over == []
    by_kind = {}
    for p in figures["pages"]:
        by_kind.setdefault(pages.kind(p["name"]), []).append(p["queries"])
    for kind in ("ledger", "compounds", "owners' committees", "compound page", "area page"):
        assert max(by_kind[kind]) - min(by_kind[kind]) <= 2, kind  # flat in the size of the subtree
    assert [p["queries"] for p in figures["panels"]] == [3, 3, 3]  # modes, ledger, grades
    assert figures["panels"][0]["areas"] > figures["panels"][2]["areas"]
    sources = figures["sources"]
    assert {s["source"] for s in sources["sources"]} == {
        "property.compounds_managed",
        "property.committees_party_majority",
        "property.ledger_closed_on_time",
        "property.company_grade",
    }
    assert sources["rollup_with"] > 0 and sources["rollup_without"] > 0
    assert figures["import"]["kit_new"] == figures["import"]["own_new"] == 5
    assert "Company import" in bench.table(figures)
