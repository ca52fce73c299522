"""经费 at city scale (issue 20, acceptance 3 — the funding half), run by hand — see bench/README.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiceng_fund_city .venv/bin/python bench/funds.py --size city

Needs a migrated database holding the demo city (`manage.py seed_demo --size city`; an empty one is
seeded first, which fills a year of allocations, expenditures and notices: funds/demo_funding.py).
It only reads. In one run:

a. every funds.* IndicatorSource — the claim rates, days to claim and projects closed of the
   双向认领 half (funds/indicators_projects.py), the execution rate and the notices published
   (funds/indicators_funding.py) — and the dashboards' Figures, for every area of the city,
   district, street and community levels in one set-based pass each, this year so far and this
   quarter, timed (median of `--rollups`) with the pass's query count; against a baseline measured
   in the same run: the claim rate and the execution rate the naive way, per area with the ORM
   (one aggregate query per area and table) for `--sample` areas of each level, extrapolated to
   the level's areas — each sampled area's figures checked equal to the pass's;
b. the allocation, expenditure and notice lists, the demand and project lists, the area page's
   经费 and 需求与项目 cards, the home page's tiles (allocations below the minimum, notices
   unpublished, demands unclaimed, projects late, the unit account's demands to claim) and the
   public notice, at the city, a district, a street and a community as the roles that open them:
   median of `--repeat` after a warm-up and the request's queries (bench/pages.py). A page's queries
   must not grow with the data: the same page at the city (every row) and at a community (a few)
   makes about the same number (within FLAT_SLACK: the table's `flat`).

bench/services.py --size city runs (a) and (b) beside the requests' figures (issue 20, acceptance 3).
"""

import argparse
import datetime
import json
import statistics
import sys
from decimal import ROUND_HALF_UP
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import Page, clients, ensure_city, kind, measure, ms, pad  # noqa: E402
from bench.tree import log, setup_django, timed  # noqa: E402

REPEAT = 5
ROLLUPS = 3
SAMPLE = 20
MARK = 0.100
LEVELS = ("city", "district", "street", "community")  # orgs.choices.AreaLevel's values
FLAT_SLACK = 2  # queries a page may differ by between levels (tests/bench/test_property_bench.py's)
LOGINS = ("zuzhibu", "chaoyang_zzb", "jiedao", "shequ", "danwei")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="经费 at city scale (bench/README.md).")
    parser.add_argument("--size", choices=("small", "city"), default="city", help="the demo city (seeded if empty)")
    parser.add_argument("--repeat", type=int, default=REPEAT, help="timed requests a page")
    parser.add_argument("--rollups", type=int, default=ROLLUPS, help="timed runs of each source")
    parser.add_argument("--sample", type=int, default=SAMPLE, help="areas of each level for the naive baseline")
    parser.add_argument("--json", action="store_true", help="the figures as JSON")
    return parser.parse_args(argv)


def spans():
    """(name, start, end): this year so far and this quarter so far."""
    from django.utils import timezone

    from core.calendar import Quarter

    today = timezone.localdate()
    quarter = Quarter.of(today)
    return (("year", datetime.date(today.year, 1, 1), today), ("quarter", quarter.start, min(quarter.end, today)))


def counted(fn):
    """(seconds, queries, result) of one call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        seconds, result = timed(fn)
    return seconds, len(captured.captured_queries), result


def rate_figures(rollups):
    """Each funds source and figure for every area of four levels in one query, year so far and quarter."""
    from core.registry import registry

    computes = [(key, source.compute) for key, source in registry.indicator_sources.items() if key.startswith("funds.")]
    computes += [(figure.key, figure.compute) for figure in registry.figures if figure.key.startswith("funds.")]
    found = []
    for key, compute in computes:
        for span, start, end in spans():
            compute(LEVELS, start, end)  # warm-up
            _seconds, queries, _result = counted(lambda c=compute, s=start, e=end: c(LEVELS, s, e))
            runs = [timed(lambda c=compute, s=start, e=end: c(LEVELS, s, e)) for _ in range(rollups)]
            found.append(
                {
                    "key": key,
                    "span": span,
                    "source": f"{key} ({span})",
                    "median": statistics.median(s for s, _r in runs),
                    "queries": queries,
                    "areas": len(runs[-1][1]),
                }
            )
    return {"levels": "+".join(LEVELS), "sources": found}


# --- the naive baseline: per area with the ORM --------------------------------------------------------------


def naive_claimed(area, start, end):
    """funds.demands_claimed for one area: its subtree's demands posted in the period, claimed and all."""
    from django.db.models import Count, Q

    from funds.models_projects import Demand, DemandStatus
    from orgs.scoping import within

    found = Demand.objects.filter(within("area__code", area.code), posted_at__date__range=(start, end)).aggregate(
        claimed=Count("pk", filter=Q(status=DemandStatus.CLAIMED)), total=Count("pk")
    )
    return (found["claimed"], found["total"]) if found["total"] else None


def naive_execution(area, start, end):
    """funds.execution for one area: the year's allocations under it and the approved spending from
    the year's first day to the period's end, in whole yuan (two aggregate queries)."""
    from django.db.models import Sum

    from funds.models_funding import Allocation, Expenditure, ExpenditureStatus
    from orgs.scoping import within

    subtree = within("area__code", area.code)
    allocated = Allocation.objects.filter(subtree, year=end.year).aggregate(s=Sum("amount"))["s"]
    spent = Expenditure.objects.filter(
        subtree, status=ExpenditureStatus.APPROVED, spent_on__range=(datetime.date(end.year, 1, 1), end)
    ).aggregate(s=Sum("amount"))["s"]
    if not allocated:
        return None
    whole = lambda amount: int((amount or 0).quantize(1, rounding=ROUND_HALF_UP))  # noqa: E731  (SQL's round)
    return (whole(spent), whole(allocated))


NAIVE = (("funds.demands_claimed", naive_claimed), ("funds.execution", naive_execution))


def naive_figures(sample, passes):
    """The claim and execution rates per area with the ORM for `sample` areas of each level (random,
    fixed seed), each span: seconds and queries extrapolated to every area of the four levels, the
    ratio to the set-based pass (`passes`: rate_figures' sources), and whether every sampled area's
    figures equal the pass's."""
    import random

    from core.registry import registry
    from orgs.models import Area

    rng = random.Random(2020)
    by_level = {level: list(Area.objects.filter(level=level).order_by("code")) for level in LEVELS}
    chosen = {level: rng.sample(areas, min(sample, len(areas))) for level, areas in by_level.items()}
    set_based = {(p["key"], p["span"]): p for p in passes["sources"]}
    found = []
    for key, naive in NAIVE:
        compute = registry.indicator_sources[key].compute
        for span, start, end in spans():
            exact = compute(LEVELS, start, end)
            seconds = queries = 0.0
            same = True
            for level, areas in chosen.items():
                if not areas:
                    continue
                took, count, results = counted(lambda a=areas, f=naive, s=start, e=end: [f(area, s, e) for area in a])
                seconds += took / len(areas) * len(by_level[level])
                queries += count / len(areas) * len(by_level[level])
                expected = [tuple(exact[area.pk]) if area.pk in exact else None for area in areas]
                same = same and results == expected
            passed = set_based[(key, span)]
            found.append(
                {
                    "source": f"{key} ({span})",
                    "sampled": sum(len(a) for a in chosen.values()),
                    "areas": sum(len(a) for a in by_level.values()),
                    "naive": seconds,
                    "naive_queries": round(queries),
                    "pass": passed["median"],
                    "pass_queries": passed["queries"],
                    "ratio": seconds / passed["median"] if passed["median"] else 0.0,
                    "same": same,
                }
            )
    return found


def pages():
    from bench.pages import scope_areas
    from funds.models_funding import FundNotice, NoticeStatus

    areas = scope_areas()
    found = []
    levels = (("zuzhibu", "city"), ("chaoyang_zzb", "district"), ("jiedao", "street"), ("shequ", "community"))
    for username, level in levels:
        code = areas[username].code
        found += [
            Page(f"allocation list, {level}", username, "/funds/allocations/"),
            Page(f"expenditure list, {level}", username, "/funds/expenditures/"),
            Page(f"expenditure list waiting, {level}", username, "/funds/expenditures/?status=draft"),
            Page(f"notice list, {level}", username, "/funds/notices/"),
            Page(f"area card 经费, {level}", username, f"/areas/{code}/funds/"),
        ]
        found += [
            Page(f"demand list, {level}", username, "/funds/demands/"),
            Page(f"demand list unclaimed, {level}", username, "/funds/demands/?unclaimed=true"),
            Page(f"project list, {level}", username, "/funds/projects/"),
            Page(f"project list late, {level}", username, "/funds/projects/?late=true"),
        ]
        if level in ("street", "community"):  # 需求与项目 is on the area page from the street down
            found.append(Page(f"area card 需求与项目, {level}", username, f"/areas/{code}/projects/"))
    found += [
        Page("home tile below minimum, district", "chaoyang_zzb", "/home/widgets/funds_below_minimum/"),
        Page("home tile below minimum, city", "zuzhibu", "/home/widgets/funds_below_minimum/"),
        Page("home tile unpublished, street", "jiedao", "/home/widgets/funds_notices_unpublished/"),
        Page("home tile unclaimed demands, street", "jiedao", "/home/widgets/funds_unclaimed/"),
        Page("home tile projects late, street", "jiedao", "/home/widgets/funds_late/"),
        Page("home tile projects late, community", "shequ", "/home/widgets/funds_late/"),
        Page("home tile demands to claim, unit", "danwei", "/home/widgets/funds_to_claim/"),
    ]
    notice = FundNotice.objects.filter(status=NoticeStatus.PUBLISHED).select_related("area").first()
    if notice is not None:
        found.append(Page("public notice, anonymous", None, f"/public/funds/{notice.area.code}/"))
    return found


def page_figures(repeat):
    logged = clients(set(LOGINS))
    results = []
    for page in pages():
        log(f"  {page.name} ({page.url}) …")
        results.append(measure(logged[page.username], page, repeat))
    return results


def row_counts():
    from funds.models import Project
    from funds.models_funding import Allocation, Expenditure, FundNotice
    from funds.models_projects import Demand

    return {
        "demands": Demand.objects.count(),
        "projects": Project.objects.count(),
        "allocations": Allocation.objects.count(),
        "expenditures": Expenditure.objects.count(),
        "notices": FundNotice.objects.count(),
    }


def measured(repeat, rollups, sample):
    """(a) and (b) on the city in the database: what bench/services.py adds to its own figures."""
    log("funds a. the rates, set-based …")
    rates = rate_figures(rollups)
    log(f"funds a. the naive baseline ({sample} areas a level) …")
    naive = naive_figures(sample, rates)
    log("funds b. the pages …")
    return {"repeat": repeat, "rows": row_counts(), "rates": rates, "naive": naive, "pages": page_figures(repeat)}


def run(size, repeat, rollups, sample=SAMPLE):
    areas = ensure_city(size)
    return {"size": size, "areas": areas, **measured(repeat, rollups, sample)}


def flat(pages):
    """{page kind: True when its pages at every level make about the same number of queries (within
    FLAT_SLACK: a role's scope is read in one or two more at some levels)}: a city's page reads every
    row of the city, a community's a few — a count that does not follow them does not grow with the data."""
    counts = {}
    for p in pages:
        counts.setdefault(kind(p["name"]), []).append(p["queries"])
    return {name: max(found) - min(found) <= FLAT_SLACK for name, found in counts.items()}


def lines(f, letters="ab"):
    """The table's lines for (a) and (b), under `letters` (bench/services.py lists them as its d, e)."""
    rows = f["rows"]
    found = [
        f"{letters[0]}. funds' sources and figures, every area of {f['rates']['levels']}, one set-based pass each"
        f" ({rows['demands']:,} demands, {rows['projects']:,} projects, {rows['allocations']:,} allocations,"
        f" {rows['expenditures']:,} expenditures, {rows['notices']:,} notices):",
        f"   {pad('source (span)', 40)} {'ms':>9} {'q':>3}  {'areas':>7}",
    ]
    for source in f["rates"]["sources"]:
        found.append(
            f"   {pad(source['source'], 40)} {ms(source['median']):>9} {source['queries']:>3}  {source['areas']:>7,}"
        )
    found += [
        "",
        "   baseline, the naive way: per area with the ORM, sampled by level and extrapolated to every area",
        f"   {pad('source (span)', 40)} {'naive s':>9} {'naive q':>9} {'pass ms':>9} {'q':>3} {'ratio':>9}  same",
    ]
    for n in f["naive"]:
        found.append(
            f"   {pad(n['source'], 40)} {n['naive']:>9.1f} {n['naive_queries']:>9,} {ms(n['pass']):>9}"
            f" {n['pass_queries']:>3} {n['ratio']:>8,.0f}×  {'yes' if n['same'] else 'NO'}"
            f" ({n['sampled']} of {n['areas']:,} areas)"
        )
    found += [
        "",
        f"{letters[1]}. funds' pages, median of {f['repeat']} after a warm-up",
        *pages_lines(f["pages"], 40),
    ]
    return found


def pages_lines(pages, width):
    """The pages' table — time, queries and what is amiss (over 100 ms, counts varying by level, over
    the query budget, not 200) — and its summary line; bench/workforce.py's too."""
    from bench.pages import query_budget

    is_flat = flat(pages)
    found = [f"   {pad('page', width)} {'ms':>9} {'q':>4}  mark"]
    for p in pages:
        flag = "OVER 100 ms" if p["median"] > MARK else ""
        if not is_flat[kind(p["name"])]:
            flag += "  queries vary by level"
        if p["queries"] > query_budget(p["name"]):
            flag += f"  > {query_budget(p['name'])} queries"
        if p["status"] != 200:
            flag += f"  STATUS {p['status']}"
        found.append(f"   {pad(p['name'], width)} {ms(p['median']):>9} {p['queries']:>4}  {flag}")
    over = [p["name"] for p in pages if p["median"] > MARK]
    varying = sorted(name for name, yes in is_flat.items() if not yes)
    found.append(
        f"   {len(pages)} pages: {'all ≤ 100 ms' if not over else f'{len(over)} over 100 ms'};"
        f" query counts {'flat' if not varying else 'vary by level: ' + ', '.join(varying)}"
        f" (a page's counts at every level within {FLAT_SLACK} of each other)"
    )
    return found


def table(f):
    return "\n".join(["", f"经费, --size {f['size']} ({f['areas']:,} areas)", "", *lines(f)])


def main():
    args = parse_args()
    setup_django("bench/funds.py", "jiceng_fund_city", "nothing (it reads; an empty database is seeded)")
    figures = run(args.size, args.repeat, args.rollups, args.sample)
    print(json.dumps(figures, indent=1, ensure_ascii=False, default=str) if args.json else table(figures))


if __name__ == "__main__":
    main()
