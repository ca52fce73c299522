"""经费 at city scale (issue 20, acceptance 3 — the funding half), run by hand — see bench/README.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiceng_fund_city .venv/bin/python bench/funds.py --size city

Needs a migrated database holding the demo city (`manage.py seed_demo --size city`; an empty one is
seeded first, which fills a year of allocations, expenditures and notices: funds/demo_funding.py).
It only reads. In one run:

a. the execution rate and the notices published (the funds.* IndicatorSources) and the dashboards'
   funds allocated and spent (Figures) for every area of the city, district, street and community
   levels in one query each, this year so far and this quarter, timed (median of `--rollups`);
b. the allocation, expenditure and notice lists, the area page's 经费 card, the home page's two
   tiles and the public notice, at the city, a district, a street and a community as the roles that
   open them: median of `--repeat` after a warm-up and the request's queries (bench/pages.py).

The projects' claim rates are the other half's (funds/models_projects.py): add them beside (a).
"""

import argparse
import datetime
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import Page, clients, ensure_city, measure, ms, pad  # noqa: E402
from bench.tree import log, setup_django, timed  # noqa: E402

REPEAT = 5
ROLLUPS = 3
MARK = 0.100
LOGINS = ("zuzhibu", "chaoyang_zzb", "jiedao", "shequ")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="经费 at city scale (bench/README.md).")
    parser.add_argument("--size", choices=("small", "city"), default="city", help="the demo city (seeded if empty)")
    parser.add_argument("--repeat", type=int, default=REPEAT, help="timed requests a page")
    parser.add_argument("--rollups", type=int, default=ROLLUPS, help="timed runs of each source")
    parser.add_argument("--json", action="store_true", help="the figures as JSON")
    return parser.parse_args(argv)


def rate_figures(rollups):
    """Each funds source and figure for every area of four levels in one query, year so far and quarter."""
    from django.utils import timezone

    from core.calendar import Quarter
    from core.registry import registry
    from orgs.choices import AreaLevel

    today = timezone.localdate()
    quarter = Quarter.of(today)
    levels = [AreaLevel.CITY, AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMUNITY]
    spans = (("year", datetime.date(today.year, 1, 1), today), ("quarter", quarter.start, min(quarter.end, today)))
    computes = [(key, source.compute) for key, source in registry.indicator_sources.items() if key.startswith("funds.")]
    computes += [(figure.key, figure.compute) for figure in registry.figures if figure.key.startswith("funds.")]
    found = []
    for key, compute in computes:
        for span, start, end in spans:
            compute(levels, start, end)  # warm-up
            runs = [timed(lambda c=compute, s=start, e=end: c(levels, s, e)) for _ in range(rollups)]
            found.append(
                {
                    "source": f"{key} ({span})",
                    "median": statistics.median(s for s, _r in runs),
                    "areas": len(runs[-1][1]),
                }
            )
    return {"levels": "+".join(levels), "sources": found}


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
        Page("home tile below minimum, district", "chaoyang_zzb", "/home/widgets/funds_below_minimum/"),
        Page("home tile below minimum, city", "zuzhibu", "/home/widgets/funds_below_minimum/"),
        Page("home tile unpublished, street", "jiedao", "/home/widgets/funds_notices_unpublished/"),
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


def run(size, repeat, rollups):
    from funds.models_funding import Allocation, Expenditure, FundNotice

    areas = ensure_city(size)
    figures = {
        "size": size,
        "areas": areas,
        "repeat": repeat,
        "rows": {
            "allocations": Allocation.objects.count(),
            "expenditures": Expenditure.objects.count(),
            "notices": FundNotice.objects.count(),
        },
    }
    log("a. the rates …")
    figures["rates"] = rate_figures(rollups)
    log("b. the pages …")
    figures["pages"] = page_figures(repeat)
    return figures


def table(f):
    rows = f["rows"]
    lines = [
        "",
        f"经费, --size {f['size']} ({f['areas']:,} areas; {rows['allocations']:,} allocations,"
        f" {rows['expenditures']:,} expenditures, {rows['notices']:,} notices)",
        "",
        f"a. funds' sources and figures, every area of {f['rates']['levels']}, one query each:",
    ]
    for source in f["rates"]["sources"]:
        lines.append(f"   {pad(source['source'], 40)} {ms(source['median']):>9} ms  {source['areas']:>7,} areas")
    lines += [
        "",
        f"b. pages, median of {f['repeat']} after a warm-up",
        f"   {pad('page', 40)} {'ms':>9} {'q':>4}  mark",
    ]
    for p in f["pages"]:
        flag = "OVER 100 ms" if p["median"] > MARK else ""
        if p["status"] != 200:
            flag += f"  STATUS {p['status']}"
        lines.append(f"   {pad(p['name'], 40)} {ms(p['median']):>9} {p['queries']:>4}  {flag}")
    return "\n".join(lines)


def main():
    args = parse_args()
    setup_django("bench/funds.py", "jiceng_fund_city", "nothing (it reads; an empty database is seeded)")
    figures = run(args.size, args.repeat, args.rollups)
    print(json.dumps(figures, indent=1, ensure_ascii=False, default=str) if args.json else table(figures))


if __name__ == "__main__":
    main()
