"""Red property at city scale (issue 18, acceptance 3), run by hand — see bench/README.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiceng_city .venv/bin/python bench/property.py --size city

Needs a migrated database holding the demo city (`manage.py seed_demo --size city`); an empty one is
seeded first with seed_demo's own code (bench/pages.py's helpers), and a city seeded before red
property existed gets its part (property/demo.py). In one run:

a. the pages — the ledger, the compound list and a compound's page, the companies, the area page
   and its 物业 panel alone (its context and template) at the city, a district and a community,
   each as the role that opens it: median of `--repeat` after one warm-up, and the request's
   queries, which must not grow with the subtree (the number of areas under each is printed);
b. the new indicator sources inside the rollup: each source as the rollup calls it (every level of
   its leaf in one query), and the rollup of the running quarter with the copy of the default set
   that holds them against the same rollup with the default set (median of `--rollups`; target
   ≤ 1.3×);
c. the company import (the housing bureau's register) through the kit's flow (read, plan as
   django-import-export's dry run, write) against django-import-export's own per-row path
   (`Resource.import_data`, no dry run; and its dry run then import_data, as its admin previews
   the rows before writing them) on the same rows, each in a transaction rolled back.

The ranking of companies (the annual evaluation's, property/views_evaluation.py) is among the pages:
the district's as its housing department (zhujian) and the city's (shi_zhujian), on the year the
demo's evaluations were made (property/demo.py `fill_demo_evaluations`, added to a city seeded
before them).
"""

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import Page, clients, ensure_city, measure, ms, pad, query_budget  # noqa: E402
from bench.tree import log, setup_django, timed  # noqa: E402

REPEAT = 5
ROLLUPS = 3
MARK = 0.100  # every page ≤ 100 ms at the city
TARGET_RATIO = 1.3
IMPORT_ROWS = 300
LEVELS = (("zuzhibu", "city"), ("chaoyang_zzb", "district"), ("shequ", "community"))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="Red property's pages, sources and import (bench/README.md).")
    parser.add_argument("--size", choices=("small", "city"), default="city", help="the demo city (seeded if empty)")
    parser.add_argument("--repeat", type=int, default=REPEAT, help=f"timed requests per page (default {REPEAT})")
    parser.add_argument("--rollups", type=int, default=ROLLUPS, help=f"timed rollups of each set (default {ROLLUPS})")
    parser.add_argument("--rows", type=int, default=IMPORT_ROWS, help=f"companies imported (default {IMPORT_ROWS})")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the tables")
    return parser.parse_args(argv)


def ensure_property(size):
    """Red property in the database: filled by its demo fillers when the city has none."""
    from property.demo import fill_demo_evaluations, fill_demo_property
    from property.models import Compound, PropertyEvaluation

    if not Compound.objects.exists():
        log(fill_demo_property(size))
    if not PropertyEvaluation.objects.exists():
        log(fill_demo_evaluations(size))
    return Compound.objects.count()


def scope_areas():
    from orgs.models import RoleAssignment

    usernames = {u for u, _level in LEVELS} | {"zhujian", "shi_zhujian"}
    found = {}
    for assignment in RoleAssignment.objects.select_related("area").filter(user__username__in=usernames):
        found.setdefault(assignment.user.username, assignment.area)
    return found


def pages():
    """The property pages, each as the role that opens it, at its own level."""
    from property.models import Compound

    areas = scope_areas()
    found = []
    for username, level in LEVELS:
        code = areas[username].code
        compound = Compound.objects.filter(community__code__startswith=code).order_by("pk").first()
        found += [
            Page(f"ledger, {level}", username, "/property/ledger/"),
            Page(f"ledger open, {level}", username, "/property/ledger/?status=open"),
            Page(f"compounds, {level}", username, "/property/compounds/"),
            Page(f"compound page, {level}", username, compound.get_absolute_url()),
            Page(f"owners' committees, {level}", username, "/property/committees/"),
            Page(f"area page, {level}", username, f"/areas/{code}/"),
        ]
    from django.urls import reverse
    from django.utils import timezone

    ranking = reverse("property:evaluation_ranking") + f"?year={timezone.localdate().year}"
    found += [
        Page("ranking, district department", "zhujian", ranking),
        Page("ranking, city department", "shi_zhujian", ranking),
        Page("companies, district department", "zhujian", "/property/companies/"),
        Page("companies, city department", "shi_zhujian", "/property/companies/"),
        Page("home, district department", "zhujian", "/"),
        Page("home, city department", "shi_zhujian", "/"),
    ]
    return found


def panel_figures(repeat):
    """The area page's 物业 panel's figures alone — loaded after the page (htmx): their context
    (property.widgets.area_figures) and template — at the city, a district and a community: median
    and queries, beside the areas under each."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from orgs.models import Area
    from orgs.scoping import within
    from property.widgets import area_figures

    areas = scope_areas()
    rows = []
    for username, level in LEVELS:
        request = RequestFactory().get("/")
        request.user = get_user_model().objects.get(username=username)
        area = areas[username]

        def panel(request=request, area=area):
            return render_to_string("property/panels/area_summary.html", area_figures(request, area), request=request)

        panel()  # warm-up (the user's scopes cached as on a page)
        median = statistics.median(timed(panel)[0] for _ in range(repeat))
        with CaptureQueriesContext(connection) as captured:
            panel()
        below = Area.objects.filter(within("code", area.code)).count()
        rows.append({"name": f"物业 panel, {level}", "median": median, "queries": len(captured), "areas": below})
    return rows


def source_figures(period, rollups):
    """Each red-property source as the rollup calls it, and the rollup of `period` with its set
    (the copy with red property) against the same rollup with the default set it was copied from."""
    from assessment.rollup import rollup
    from core.registry import registry

    leaves = [leaf for leaf in period.indicator_set.indicators.all() if leaf.source.startswith("property.")]
    sources = []
    for leaf in leaves:
        source = registry.indicator_sources[leaf.source]
        source.compute(leaf.levels, period.start, period.end)  # warm-up
        runs = [timed(lambda s=source, lf=leaf: s.compute(lf.levels, period.start, period.end)) for _ in range(rollups)]
        sources.append(
            {
                "source": leaf.source,
                "levels": "+".join(leaf.levels),
                "median": statistics.median(seconds for seconds, _result in runs),
                "areas": len(runs[-1][1]),
            }
        )
    with_property = period.indicator_set
    without = with_property.copied_from
    times = {}
    for label, indicator_set in (("without", without), ("with", with_property), ("without", without)):
        period.indicator_set = indicator_set
        period.save(update_fields=["indicator_set"])
        times.setdefault(label, []).extend(timed(lambda: rollup(period))[0] for _ in range(rollups))
    period.indicator_set = with_property  # as it was: the dashboards show red property
    period.save(update_fields=["indicator_set"])
    rollup(period)
    median = {label: statistics.median(values) for label, values in times.items()}
    return {
        "sources": sources,
        "sources_total": sum(s["median"] for s in sources),
        "rollup_without": median["without"],
        "rollup_with": median["with"],
        "ratio": median["with"] / median["without"],
        "set": with_property.name,
    }


def company_rows(count):
    """`count` new companies of 朝阳区's register, as the bureau's sheet lists them (CSV)."""
    import csv
    import io

    from core.identity import with_credit_check_character
    from core.importing import get_importer

    importer_class = get_importer("property_companies")
    headers = [column.header for column in importer_class.columns]
    by_key = {column.key: column.header for column in importer_class.columns}
    rows = []
    for n in range(count):
        row = dict.fromkeys(headers, "")
        row[by_key["name"]] = f"长春测评{n:04d}物业服务有限公司"
        row[by_key["credit_code"]] = with_credit_check_character(f"91220104MB{n:07d}")
        row[by_key["legal_representative"]] = "王经理"
        row[by_key["phone"]] = f"139{n:08d}"
        row[by_key["qualification"]] = "二级"
        row[by_key["address"]] = f"朝阳区前进街道{n + 1}号"
        rows.append(row)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=headers)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8"), headers, rows


def import_figures(count):
    """The kit's flow against django-import-export's own per-row path, the same rows, rolled back."""
    import tablib
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from core import importing
    from core.importing import get_importer
    from property.permissions import KEEP_COMPANY
    from property.resources import PropertyCompanyResource

    user = get_user_model().objects.get(username="zhujian")
    data, headers, rows = company_rows(count)
    importer_class = get_importer("property_companies")

    def kit():
        with transaction.atomic():
            plan = importing.execute(importer_class(user), data)
            transaction.set_rollback(True)
        return len(plan.new)

    def own(preview):
        """import_data on the rows; with `preview`, first its dry run, as its admin's import shows the
        rows before the confirmation writes them (the kit's flow does the same: plan, then write)."""
        dataset = tablib.Dataset(headers=headers)
        for row in rows:
            dataset.append([row[h] for h in headers])
        with transaction.atomic():
            resource = PropertyCompanyResource(user, action=KEEP_COMPANY)
            if preview:
                resource.import_data(dataset, dry_run=True, use_transactions=False)
            result = resource.import_data(dataset, dry_run=False, use_transactions=False)
            transaction.set_rollback(True)
        return result.totals["new"]

    kit()  # warm-up
    kit_seconds, kit_new = timed(kit)
    own_seconds, own_new = timed(lambda: own(False))
    previewed_seconds, _new = timed(lambda: own(True))
    return {
        "rows": count,
        "kit": kit_seconds,
        "kit_new": kit_new,
        "own": own_seconds,
        "own_new": own_new,
        "own_previewed": previewed_seconds,
    }


def run(size, repeat, rollups, rows):
    from django.db.models import Q

    from assessment.choices import PeriodStatus
    from assessment.models import Period

    areas = ensure_city(size)
    compounds = ensure_property(size)
    logged = clients({u for u, _l in LEVELS} | {"zhujian", "shi_zhujian"})
    results = []
    for page in pages():
        log(f"  {page.name} ({page.url}) …")
        results.append(measure(logged[page.username], page, repeat))
    panels = panel_figures(repeat)
    period = (
        Period.objects.filter(Q(indicator_set__name__contains="红色物业"), status=PeriodStatus.OPEN)
        .select_related("indicator_set__copied_from")
        .order_by("-end")
        .first()
    )
    log("  the rollup with and without red property …")
    sources = source_figures(period, rollups) if period is not None else None
    log("  the company import …")
    imports = import_figures(rows)
    return {
        "size": size,
        "areas": areas,
        "compounds": compounds,
        "repeat": repeat,
        "pages": results,
        "panels": panels,
        "sources": sources,
        "import": imports,
    }


def table(f):
    lines = [
        "",
        f"Red property, --size {f['size']} ({f['areas']:,} areas, {f['compounds']:,} compounds),"
        f" median of {f['repeat']} after one warm-up",
        "",
        f"{pad('page', 36)} {pad('role', 24)} {'ms':>8} {'queries':>7}  mark",
    ]
    for p in f["pages"]:
        flag = "OVER 100 ms" if p["median"] > MARK else ""
        if p["queries"] > query_budget(p["name"]):
            flag += f"  > {query_budget(p['name'])} queries"
        status = "" if p["status"] == 200 else f"  STATUS {p['status']}"
        lines.append(
            f"{pad(p['name'], 36)} {pad(p['role'], 24)} {ms(p['median']):>8} {p['queries']:>7}  {flag}{status}"
        )
    lines += ["", f"{pad('panel (context + template)', 36)} {'areas below':>12} {'ms':>8} {'queries':>7}"]
    for p in f["panels"]:
        lines.append(f"{pad(p['name'], 36)} {p['areas']:>12,} {ms(p['median']):>8} {p['queries']:>7}")
    s = f["sources"]
    if s:
        lines += ["", f"Indicator sources of “{s['set']}”, as the rollup calls them (one query each):"]
        for source in s["sources"]:
            lines.append(f"  {pad(source['source'], 40)} {source['levels']:<18} {ms(source['median']):>8} ms"
                         f"  {source['areas']:>6,} areas")  # fmt: skip
        verdict = "ok" if s["ratio"] <= TARGET_RATIO else f"OVER {TARGET_RATIO}×"
        lines.append(
            f"rollup without them {ms(s['rollup_without'])} ms, with them {ms(s['rollup_with'])} ms:"
            f" {s['ratio']:.2f}× ({verdict}); the sources {ms(s['sources_total'])} ms of it"
        )
    i = f["import"]
    lines += [
        "",
        f"Company import, {i['rows']} new rows: the kit's flow (read, plan, write) {ms(i['kit'])} ms"
        f" ({i['kit_new']} new); django-import-export's own import_data {ms(i['own'])} ms ({i['own_new']} new):"
        f" {i['kit'] / i['own']:.2f}×; its dry run and import_data, as its admin previews then writes,"
        f" {ms(i['own_previewed'])} ms: {i['kit'] / i['own_previewed']:.2f}×",
    ]
    return "\n".join(lines)


def main():
    args = parse_args()
    setup_django("bench/property.py", "jiceng_city", "nothing but its own rolled-back imports and the rollup")
    figures = run(args.size, args.repeat, args.rollups, args.rows)
    print(json.dumps(figures, indent=1, ensure_ascii=False, default=str) if args.json else table(figures))


if __name__ == "__main__":
    main()
