"""bench/funds.py — the funds' half of bench/services.py (issue 20, acceptance 3) — resolves on the
small demo city (seeded by the bench's own code, as it does an empty database): every funds source
and figure for every area of four levels in one query; the naive baseline's claim and execution
rates, per area with the ORM, equal the set-based pass's on every sampled area; every page answers
200 to its role within its query budget, about as many queries at the city as at a community.
No timing."""

import pytest

from bench import funds as bench
from bench import pages

pytestmark = pytest.mark.django_db


def test_the_funds_bench_runs_on_the_small_city(default_set, settings):
    settings.ALLOWED_HOSTS = ["*"]
    figures = bench.run("small", repeat=1, rollups=1, sample=3)

    assert figures["rows"]["demands"] > 0 and figures["rows"]["expenditures"] > 0
    sources = {s["source"]: s for s in figures["rates"]["sources"]}
    for key in ("funds.demands_claimed", "funds.claimed_in_time", "funds.execution", "funds.notices_published"):
        assert sources[f"{key} (year)"]["queries"] == 1 and sources[f"{key} (year)"]["areas"] > 0, key
    naive = {n["source"]: n for n in figures["naive"]}
    assert set(naive) == {f"{key} ({span})" for key in ("funds.demands_claimed", "funds.execution")
                          for span in ("year", "quarter")}  # fmt: skip
    assert all(n["same"] and n["naive_queries"] > n["pass_queries"] for n in naive.values())
    names = {p["name"] for p in figures["pages"]}
    assert {"home tile unclaimed demands, street", "area card 需求与项目, street", "demand list, city"} <= names
    wrong = [(p["name"], p["status"]) for p in figures["pages"] if p["status"] != 200]
    assert wrong == []
    over = [(p["name"], p["queries"]) for p in figures["pages"] if p["queries"] > pages.query_budget(p["name"])]
    assert over == []
    assert [kind for kind, yes in bench.flat(figures["pages"]).items() if not yes] == []
    assert "baseline, the naive way" in bench.table(figures)
