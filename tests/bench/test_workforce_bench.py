"""bench/workforce.py (issue 21, acceptance 3) resolves on the small demo city (seeded by the bench's
own code, as it does an empty database): every workforce source and figure for every area of four
levels in one pass; the naive per-area figures equal the set-based pass's on every sampled area; every
page answers 200 to its role within its query budget, about as many queries at the city as at a
community; the rollup runs with the set before the workforce and with it, and the period keeps its
set. No timing."""

import pytest

from bench import pages
from bench import workforce as bench

pytestmark = pytest.mark.django_db


def test_the_workforce_bench_runs_on_the_small_city(default_set, settings):
    settings.ALLOWED_HOSTS = ["*"]
    figures = bench.run("small", repeat=0, rollups=1, sample=3)  # a warm-up and the counted request a page

    assert figures["rows"]["workers"] > 0 and figures["rows"]["venues"] > 0 and figures["rows"]["projects"] > 0
    sources = {s["source"]: s for s in figures["rates"]["sources"]}
    for key in ("workforce.certified_share", "workforce.venue_compliance", "workforce.projects_on_track"):
        assert sources[f"{key} (year)"]["areas"] > 0, key
    assert all(s["queries"] <= 2 for s in sources.values())  # staffing: the households, then the pass
    naive = {n["source"]: n for n in figures["naive"]}
    assert {"workforce.certified_share (year)", "workforce.venue_compliance (quarter)"} <= set(naive)
    assert [(n["source"], n["wrong"]) for n in naive.values() if not n["same"]] == []
    assert all(n["naive_queries"] > n["pass_queries"] for n in naive.values())

    names = {p["name"] for p in figures["pages"]}
    expected = {"worker list, city", "staffing, community", "area card 阵地, street", "home tile projects late, street"}
    assert expected <= names
    wrong = [(p["name"], p["status"]) for p in figures["pages"] if p["status"] != 200]
    assert wrong == []
    over = [(p["name"], p["queries"]) for p in figures["pages"] if p["queries"] > pages.query_budget(p["name"])]
    assert over == []
    varying = {kind for kind, yes in bench.flat(figures["pages"]).items() if not yes}
    assert varying <= bench.KNOWN_VARYING  # no page's queries vary by level but those reported

    rollup = figures["rollup"]
    assert rollup is not None and rollup["leaves"] > 0
    assert bench.WITH_SET in rollup["set_with"] and rollup["set_without"] == bench.BEFORE_SET
    assert bench.WITH_SET in bench.rollup_period().indicator_set.name  # left as it was
    assert "baseline, the naive way" in bench.table(figures)
