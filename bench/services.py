"""Residents' requests at city scale (issue 19, acceptance 3), run by hand — see bench/README.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiceng_hl_city .venv/bin/python bench/services.py --size city

Needs a migrated database holding the demo city (`manage.py seed_demo --size city`; an empty one is
seeded first). It WRITES: the hotline rows it imports stay (their case numbers start with BENCH and
are deleted at the start of the next run), so run it on a copy of the city database. In one run:

a. the 12345 hotline import: `--rows` rows generated against the city's districts, streets,
   communities and request categories (times as Excel serials and as text, phones as numbers),
   written to xlsx (core's writer) and to a GBK CSV, imported through the kit's flow
   (`core.importing.execute`, as the job runs it, as the city's organisation department): a first
   import of the xlsx, then a re-import of the CSV in which a third of the requests have moved on
   (closed, with a satisfaction); against django-import-export's own per-row path
   (`ModelResource.import_data`, no dry run, a resource that places, categorises and routes each row
   with the model's own `route`) on a sample of `--sample` rows, rolled back, extrapolated. Peak
   memory: the process's maximum RSS after each import (getrusage) and tracemalloc's peak of a
   preview (read + plan) of the xlsx;
b. the request rates (the services.requests_* IndicatorSources) for every area of every level of
   the tree in one query each, timed (median of `--rollups`);
c. the request list, the whistle list, the ranking, the dashboard and the area page (its requests
   panel) at the city, a district, a street and a community, as the roles that open them: median
   of `--repeat` after a warm-up and the request's queries (bench/pages.py), which must not grow
   with the data — measured before and after the 100,000 hotline requests are imported;
d. the funds' rates (issue 20, acceptance 3; bench/funds.py's, imported): the claim rates, days to
   claim, projects closed, execution rates and notices published for every area of the city, a
   district, street and community level in one set-based pass each, with time and query count,
   against the claim and execution rates computed the naive way (per area with the ORM, a sample of
   `--funds-sample` areas a level, extrapolated) in the same run;
e. the funds' pages (bench/funds.py's): the funding and project lists, the area page's 经费 and
   需求与项目 cards, the home tiles (the street's unclaimed demands among them) and the public
   notice, at each level as its role: median and queries, ≤ 100 ms, the same query count at the
   city as at a community.
"""

import argparse
import csv
import datetime
import io
import json
import random
import resource
import statistics
import sys
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import funds as funds_bench  # noqa: E402
from bench.pages import Page, clients, ensure_city, measure, ms, pad, query_budget  # noqa: E402
from bench.tree import log, setup_django, timed  # noqa: E402

ROWS = 100_000
SAMPLE = 2_000
REPEAT = 5
ROLLUPS = 3
MARK = 0.100
TARGET_RATIO = 10
PREFIX = "BENCH"
SEED = 12345
HEADERS = [
    "工单编号",
    "受理时间",
    "诉求类型",
    "诉求内容",
    "事发地址",
    "所属区县",
    "所属街道",
    "所属社区",
    "联系人",
    "联系电话",
    "承办单位",
    "办理状态",
    "办结时间",
    "回访满意度",
]
OPEN = ("待受理", "办理中", "待核验", "待回访")
SATISFACTION = ("满意",) * 17 + ("基本满意", "基本满意", "不满意")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="Residents' requests at city scale (bench/README.md).")
    parser.add_argument("--size", choices=("small", "city"), default="city", help="the demo city (seeded if empty)")
    parser.add_argument("--rows", type=int, default=ROWS, help=f"hotline rows imported (default {ROWS:,})")
    parser.add_argument("--sample", type=int, default=SAMPLE, help=f"rows through import_data (default {SAMPLE:,})")
    parser.add_argument("--repeat", type=int, default=REPEAT, help=f"timed requests per page (default {REPEAT})")
    parser.add_argument("--rollups", type=int, default=ROLLUPS, help=f"timed runs of each source (default {ROLLUPS})")
    parser.add_argument(
        "--funds-sample",
        type=int,
        default=funds_bench.SAMPLE,
        help=f"areas a level for the funds' naive baseline (default {funds_bench.SAMPLE})",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the tables")
    return parser.parse_args(argv)


def max_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- a. the hotline import ---------------------------------------------------------------------------


def places():
    """(district, street, community or "", street pk) of the city, and each street's categories."""
    from orgs.choices import AreaLevel
    from orgs.models import Area
    from services.models_requests import RequestCategory

    nodes = {
        pk: (name, level, parent)
        for pk, name, level, parent in Area.objects.filter(
            level__in=(AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMUNITY)
        ).values_list("pk", "name", "level", "parent_id")
    }
    categories = {}
    for area, name in RequestCategory.objects.values_list("area_id", "name"):
        categories.setdefault(area, []).append(name)
    found = []
    for pk, (name, level, parent) in nodes.items():
        if level == AreaLevel.COMMUNITY and parent in categories and nodes.get(parent):
            street = nodes[parent]
            found.append((nodes[street[2]][0], street[0], name, parent))
        elif level == AreaLevel.STREET and pk in categories and parent in nodes:
            found.append((nodes[parent][0], name, "", pk))
    found.sort()
    return found, categories


def hotline_rows(count):
    """`count` rows of a hotline export: a tenth at a street, the rest at a community; a third of the
    times Excel serials, the rest text of two kinds; phones as numbers; a few named 承办单位."""
    from django.utils import timezone

    rng = random.Random(SEED)
    found, categories = places()
    now = timezone.localtime().replace(tzinfo=None, second=0, microsecond=0)  # the sheet's times are local
    rows, received_at = [], []
    for n in range(count):
        district, street, community, street_pk = rng.choice(found)
        received = now - datetime.timedelta(minutes=rng.randrange(90 * 24 * 60))
        shown = n % 3
        if shown == 0:
            when = (received - datetime.datetime(1899, 12, 30)).total_seconds() / 86400
        elif shown == 1:
            when = f"{received.year}年{received.month}月{received.day}日 {received:%H:%M}"
        else:
            when = f"{received:%Y-%m-%d %H:%M:%S}"
        status = rng.choice(OPEN)
        received_at.append(received)
        rows.append(
            [
                f"{PREFIX}{n:08d}",
                when,
                rng.choice(categories[street_pk]),
                "居民反映楼道堆放杂物、影响通行，请尽快处理",
                f"{street}{community}{rng.randrange(1, 40)}栋",
                district,
                street,
                community,
                rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(("先生", "女士")),
                float(f"139{rng.randrange(10**8):08d}"),
                "",
                status,
                "",
                "",
            ]
        )
    return rows, received_at


def moved_on(rows, received_at):
    """The same rows a week later: a third closed with a satisfaction (the re-import's changes)."""
    from django.utils import timezone

    rng = random.Random(SEED + 1)
    now = timezone.localtime().replace(tzinfo=None, second=0, microsecond=0)
    later = []
    for row, received in zip(rows, received_at, strict=True):
        row = list(row)
        if rng.random() < 1 / 3:
            row[11] = "已办结"
            closed = min(received + datetime.timedelta(hours=rng.randrange(1, 120)), now)
            row[12] = closed.strftime("%Y/%m/%d %H:%M")
            row[13] = rng.choice(SATISFACTION)
        later.append(row)
    return later


def csv_bytes(rows, encoding="gbk"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow(["" if v is None else (f"{v:.10f}".rstrip("0").rstrip(".") if isinstance(v, float) else v)
                         for v in row])  # fmt: skip
    return buffer.getvalue().encode(encoding)


def per_row_resource():
    """django-import-export's per-row path for the same sheet: each row placed by its names,
    categorised and routed (models_requests.route) with the queries a per-row resource makes."""
    from import_export import fields, resources

    from core.spreadsheets import number_text, parse_moment
    from orgs.models import Area
    from services.hotline import SATISFACTIONS, STATUSES
    from services.models_requests import Channel, RequestCategory, ResidentRequest, route

    class HotlineResource(resources.ModelResource):
        case_number = fields.Field(attribute="case_number", column_name="工单编号")
        description = fields.Field(attribute="description", column_name="诉求内容")
        address = fields.Field(attribute="address", column_name="事发地址")
        resident_name = fields.Field(attribute="resident_name", column_name="联系人")

        class Meta:
            model = ResidentRequest
            import_id_fields = ("case_number",)
            fields = ("case_number", "description", "address", "resident_name")
            skip_unchanged = True

        def before_save_instance(self, instance, row, **kwargs):
            from django.utils import timezone

            street = Area.objects.get(level="street", name=row["所属街道"], parent__name=row["所属区县"])
            place = Area.objects.get(parent=street, name=row["所属社区"]) if row["所属社区"] else street
            instance.area = place
            instance.category = RequestCategory.objects.get(area=street, name=row["诉求类型"])
            instance.received_at = timezone.make_aware(parse_moment(str(row["受理时间"])))
            instance.resident_phone = number_text(str(row["联系电话"]))
            instance.status = STATUSES[row["办理状态"]]
            instance.satisfaction = SATISFACTIONS[row["回访满意度"] or ""]
            instance.channel = Channel.HOTLINE
            area, department = route(instance.category, place)
            instance.responsible_area, instance.responsible_department = area, department
            instance.due_on = timezone.localtime(instance.received_at).date() + datetime.timedelta(
                days=instance.category.time_limit
            )

    return HotlineResource


def import_figures(count, sample):
    import tablib
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from core import importing
    from core.spreadsheets import write_xlsx
    from services.hotline import HotlineImporter
    from services.models_requests import ResidentRequest

    user = get_user_model().objects.get(username="zuzhibu")
    with transaction.atomic():
        gone = ResidentRequest.objects.filter(case_number__startswith=PREFIX).delete()[0]
    if gone:
        log(f"  removed {gone:,} rows of an earlier run")
    log(f"  generating {count:,} hotline rows …")
    rows, received_at = hotline_rows(count)
    write_seconds, xlsx = timed(lambda: write_xlsx(HEADERS, rows, sheet_title="12345工单"))
    later = moved_on(rows, received_at)
    gbk = csv_bytes(later)
    log(f"  xlsx {len(xlsx) / 1048576:.1f} MiB in {write_seconds:.1f} s, CSV (GBK) {len(gbk) / 1048576:.1f} MiB")

    tracemalloc.start()
    preview_seconds, plan = timed(lambda: importing.preview(HotlineImporter(user), xlsx))
    traced_peak = tracemalloc.get_traced_memory()[1] / 1048576
    tracemalloc.stop()
    log(f"  preview {preview_seconds:.1f} s (under tracemalloc), {len(plan.new):,} new, {len(plan.rejected)} rejected")

    rss_before = max_rss_mib()
    log("  first import (xlsx) …")
    first_seconds, first = timed(lambda: importing.execute(HotlineImporter(user), xlsx))
    rss_first = max_rss_mib()
    log(f"  {first_seconds:.1f} s; re-import (CSV, GBK) …")
    again_seconds, again = timed(lambda: importing.execute(HotlineImporter(user), gbk))
    rss_again = max_rss_mib()
    stored = ResidentRequest.objects.filter(case_number__startswith=PREFIX).count()

    log(f"  django-import-export's import_data on {sample:,} rows …")
    sample_rows = [[f"IE{row[0]}", *row[1:]] for row in rows[:sample]]
    for row in sample_rows:
        if isinstance(row[1], float):  # import_data gets the cells as the CSV holds them
            row[1] = f"{row[1]:.10f}"
        row[9] = f"{row[9]:.0f}"
    dataset = tablib.Dataset(*sample_rows, headers=HEADERS)
    resource_class = per_row_resource()

    def own():
        with transaction.atomic():
            result = resource_class().import_data(dataset, dry_run=False, use_transactions=False)
            transaction.set_rollback(True)
        if result.has_errors() or result.has_validation_errors():
            errors = result.row_errors()[:1] or result.invalid_rows[:1]
            raise SystemExit(f"import_data failed: {errors}")
        return result.totals["new"]

    own_seconds, own_new = timed(own)
    per_row = own_seconds / sample
    return {
        "rows": count,
        "xlsx_mib": len(xlsx) / 1048576,
        "csv_mib": len(gbk) / 1048576,
        "write_xlsx": write_seconds,
        "preview": preview_seconds,
        "traced_peak_mib": traced_peak,
        "first": first_seconds,
        "first_new": len(first.new),
        "first_rejected": len(first.rejected),
        "again": again_seconds,
        "again_changed": len(again.changed),
        "again_unchanged": again.unchanged,
        "again_new": len(again.new),
        "stored": stored,
        "rss_before_mib": rss_before,
        "rss_first_mib": rss_first,
        "rss_again_mib": rss_again,
        "sample": sample,
        "own": own_seconds,
        "own_new": own_new,
        "own_extrapolated": per_row * count,
        "ratio_first": per_row * count / first_seconds,
        "ratio_again": per_row * count / again_seconds,
    }


# --- b. the rates -----------------------------------------------------------------------------------------


def rate_figures(rollups):
    """Each request source for every area of every level (city to grid) in one query, this quarter."""
    from django.utils import timezone

    from orgs.choices import AreaLevel
    from services.indicators_requests import SOURCES

    today = timezone.localdate()
    start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    levels = (AreaLevel.CITY, AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMUNITY, AreaLevel.GRID)
    found = []
    for key, _label, compute, *_rest in SOURCES:
        compute(levels, start, today)  # warm-up
        runs = [timed(lambda c=compute: c(levels, start, today)) for _ in range(rollups)]
        found.append({"source": key, "median": statistics.median(s for s, _r in runs), "areas": len(runs[-1][1])})
    return {"start": start, "end": today, "levels": "+".join(levels), "sources": found}


# --- c. the pages -----------------------------------------------------------------------------------------


LOGINS = ("zuzhibu", "chaoyang_zzb", "jiedao", "shequ", "wangge")


def pages():
    from bench.pages import scope_areas

    areas = scope_areas()
    found = []
    levels = (("zuzhibu", "city"), ("chaoyang_zzb", "district"), ("jiedao", "street"), ("shequ", "community"))
    for username, level in levels:
        code = areas[username].code
        found += [
            Page(f"request list, {level}", username, "/services/requests/"),
            Page(f"request list open, {level}", username, "/services/requests/?open=true"),
            Page(f"request list overdue, {level}", username, "/services/requests/?overdue=true"),
            Page(f"area page, {level}", username, f"/areas/{code}/"),
            Page(f"dashboard, {level}", username, f"/areas/{code}/dashboard/"),
        ]
        if username != "shequ":  # the whistles are the streets' and the organisation department's
            found.append(Page(f"whistle list, {level}", username, "/services/whistles/"))
    found += [
        Page("whistle ranking, district", "chaoyang_zzb", "/services/whistle-ranking/"),
        Page("whistle ranking, city", "zuzhibu", "/services/whistle-ranking/"),
        Page("request list, grid", "wangge", "/services/requests/"),
        Page("my requests, grid", "wangge", "/services/my-requests/"),
    ]
    return found


def page_figures(repeat):
    logged = clients(set(LOGINS))
    results = []
    for page in pages():
        log(f"  {page.name} ({page.url}) …")
        results.append(measure(logged[page.username], page, repeat))
    return results


def requests_count():
    from services.models_requests import ResidentRequest

    return ResidentRequest.objects.count()


def run(size, rows, sample, repeat, rollups, funds_sample=funds_bench.SAMPLE):
    areas = ensure_city(size)
    figures = {"size": size, "areas": areas, "repeat": repeat}
    log("c. the pages before the import …")
    figures["requests_before"] = requests_count()
    figures["pages_before"] = page_figures(repeat)
    log("a. the hotline import …")
    figures["import"] = import_figures(rows, sample)
    figures["requests_after"] = requests_count()
    log("b. the rates …")
    figures["rates"] = rate_figures(rollups)
    log("c. the pages after the import …")
    figures["pages_after"] = page_figures(repeat)
    log("d., e. the funds' rates and pages …")
    figures["funds"] = funds_bench.measured(repeat, rollups, funds_sample)
    return figures


def table(f):
    i = f["import"]
    lines = [
        "",
        f"Residents' requests, --size {f['size']} ({f['areas']:,} areas)",
        "",
        f"a. 12345 hotline import, {i['rows']:,} rows (xlsx {i['xlsx_mib']:.1f} MiB written in"
        f" {i['write_xlsx']:.1f} s; CSV in GBK {i['csv_mib']:.1f} MiB), through the kit's flow:",
        f"   first import (xlsx)   {i['first']:8.1f} s  {i['first_new']:,} new, {i['first_rejected']} rejected",
        f"   re-import (CSV, GBK)  {i['again']:8.1f} s  {i['again_changed']:,} changed, {i['again_unchanged']:,}"
        f" unchanged, {i['again_new']} new; {i['stored']:,} stored (no duplicates)",
        f"   django-import-export import_data, {i['sample']:,} rows: {i['own']:.1f} s"
        f" ({i['own'] / i['sample'] * 1000:.1f} ms a row) → {i['own_extrapolated']:,.0f} s for {i['rows']:,}",
        f"   ratio: first import {i['ratio_first']:.1f}×, re-import {i['ratio_again']:.1f}×"
        f" (target ≥ {TARGET_RATIO}×: {'ok' if min(i['ratio_first'], i['ratio_again']) >= TARGET_RATIO else 'MISSED'})",
        f"   memory: max RSS {i['rss_before_mib']:.0f} MiB before, {i['rss_first_mib']:.0f} after the first import,"
        f" {i['rss_again_mib']:.0f} after the re-import; tracemalloc peak of a preview {i['traced_peak_mib']:.0f} MiB"
        f" ({i['preview']:.1f} s under tracemalloc)",
        "",
    ]
    r = f["rates"]
    lines.append(f"b. the request rates {r['start']} – {r['end']}, every area of {r['levels']}, one query each:")
    for source in r["sources"]:
        lines.append(f"   {pad(source['source'], 32)} {ms(source['median']):>9} ms  {source['areas']:>7,} areas")
    lines += [
        "",
        f"c. pages, median of {f['repeat']} after a warm-up; requests in the database:"
        f" {f['requests_before']:,} before, {f['requests_after']:,} after the import",
        f"   {pad('page', 34)} {'ms before':>10} {'q':>4} {'ms after':>10} {'q':>4}  mark",
    ]
    after = {p["name"]: p for p in f["pages_after"]}
    for p in f["pages_before"]:
        a = after[p["name"]]
        flag = "OVER 100 ms" if a["median"] > MARK else ""
        if a["queries"] != p["queries"]:
            flag += "  queries grew" if a["queries"] > p["queries"] else ""
        if a["queries"] > query_budget(p["name"]):
            flag += f"  > {query_budget(p['name'])} queries"
        if a["status"] != 200:
            flag += f"  STATUS {a['status']}"
        lines.append(
            f"   {pad(p['name'], 34)} {ms(p['median']):>10} {p['queries']:>4} {ms(a['median']):>10} {a['queries']:>4}"
            f"  {flag}"
        )
    lines += ["", *funds_bench.lines(f["funds"], letters="de")]
    return "\n".join(lines)


def main():
    args = parse_args()
    setup_django("bench/services.py", "jiceng_hl_city", "the hotline requests it imports (a copy of the city)")
    figures = run(args.size, args.rows, args.sample, args.repeat, args.rollups, args.funds_sample)
    print(json.dumps(figures, indent=1, ensure_ascii=False, default=str) if args.json else table(figures))


if __name__ == "__main__":
    main()
