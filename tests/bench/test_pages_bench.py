"""bench/pages.py's daily mix resolves: on the small demo city (seeded by the bench's own code,
as it does an empty database), every page of the mix answers 200 to its role, and `--profile`
writes one page's profile. No timing."""

import pytest

from bench import pages

pytestmark = pytest.mark.django_db


def test_every_page_of_the_daily_mix_answers_200_to_its_role_and_one_can_be_profiled(default_set, settings, tmp_path):
    settings.ALLOWED_HOSTS = ["*"]  # as the bench sets it; restored after the test
    figures = pages.run("small", repeat=1)

    assert figures["areas"] > 0  # the empty test database was seeded
    assert figures["trivial"]["status"] == 200
    wrong = [(p["name"], p["url"], p["status"]) for p in figures["pages"] if p["status"] != 200]
    assert wrong == []
    assert {p["username"] for p in figures["pages"]} == set(pages.ROLES)  # every role, none forgotten
    assert all(p["queries"] > 0 and p["bytes"] > 0 for p in figures["pages"])
    names = {p["name"] for p in figures["pages"]}
    assert {"roster list, grid", "roster list, city", "党建 panel (htmx), city", "API /api/people/, city"} <= names

    # Queries are deterministic: within each page's budget, and about the same whatever the level
    # (the city's page asks no more than the grid's; roles differ by a query or three: their menus
    # and buttons). Home pages differ by role (their widgets): their budget bounds them.
    over = [(p["name"], p["queries"]) for p in figures["pages"] if p["queries"] > pages.query_budget(p["name"])]
    assert over == []
    by_kind = {}
    for p in figures["pages"]:
        by_kind.setdefault(pages.kind(p["name"]), []).append(p["queries"])
    spread = {
        kind: (min(counts), max(counts))
        for kind, counts in by_kind.items()
        if kind != "home" and max(counts) - min(counts) > 3
    }
    assert spread == {}
    assert len(by_kind["roster list"]) == 5 and len(by_kind["home"]) == len(pages.ROLES)  # 4 levels and a grid

    written = pages.profile("roster list, grid", str(tmp_path / "roster.html"))
    html = written.read_text()
    assert "pyinstrument" in html and len(html) > 1000
    with pytest.raises(SystemExit) as exit:
        pages.profile("no such page", "")
    assert "home, grid worker" in str(exit.value)
