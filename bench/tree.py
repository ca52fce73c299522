"""Benchmarks of the area tree (DESIGN §1, §6), run by hand — see bench/README.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiceng_bench .venv/bin/python bench/tree.py --size city

Every figure is reported with a baseline measured in the same run, and the ratio between them.
The database must be migrated and hold no areas (or pass --reset to empty it).
"""

import argparse
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DESIGN_MPTT_REBUILD_SECONDS = 130  # django-mptt rebuild() of the 165k-node city (DESIGN §1)
FLOOR_TABLE = "bench_floor"


def log(message):
    print(message, file=sys.stderr, flush=True)


def parse_args():
    parser = argparse.ArgumentParser(description="Benchmarks of the area tree (bench/README.md).")
    parser.add_argument("--size", choices=("small", "city"), default="city", help="demo city size (default: city)")
    parser.add_argument("--reset", action="store_true", help="empty the area tables first (TRUNCATE … CASCADE)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--repeat", type=int, default=20, help="samples per latency figure (default: 20)")
    parser.add_argument("--floor-runs", type=int, default=3, help="runs of the COPY floor, median kept (default: 3)")
    return parser.parse_args()


def setup_django(script="bench/tree.py", database="jiceng_bench", tables="the area tables"):
    """Django on DATABASE_URL only: a bench empties and fills tables, never the embedded database."""
    if not os.environ.get("DATABASE_URL"):
        sys.exit(
            f"{script} needs DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/{database}: "
            f"it empties and fills {tables}, so it refuses the embedded database."
        )
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()


# --- helpers -----------------------------------------------------------------------------------


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def percentile(values, p):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def sql(statement, params=None):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def vacuum_analyze(*tables):
    """Untimed housekeeping, as autovacuum would do between the steps of real use."""
    for table in tables:
        sql(f"VACUUM ANALYZE {table}")


def table_pages(table):
    return sql("SELECT pg_relation_size(%s::regclass) / current_setting('block_size')::int", [table])[0][0]


def empty_area_tables():
    from orgs.models import Area, AreaEvent

    sql(f"TRUNCATE {Area._meta.db_table}, {AreaEvent._meta.db_table} CASCADE")


def preorder_numbering(rows):
    """{code: (id, parent id, lft, rght, depth)}: what the floor COPY writes, computed in Python."""
    ordered = sorted(rows, key=lambda r: r.code)  # codes sort in preorder (DESIGN §1)
    ids = {row.code: pk for pk, row in enumerate(ordered, 1)}
    numbers = {}
    stack = []
    counter = 0
    for row in ordered:
        while stack and not row.code.startswith(stack[-1]):
            counter += 1
            numbers[stack.pop()][1] = counter
        counter += 1
        numbers[row.code] = [counter, None, len(stack)]
        stack.append(row.code)
    while stack:
        counter += 1
        numbers[stack.pop()][1] = counter
    return {code: (ids[code], ids.get(row.parent_code), *numbers[code]) for code, row in ((r.code, r) for r in ordered)}


# --- the measurements --------------------------------------------------------------------------


def measure_floor(rows, runs):
    """COPY the same rows, numbering precomputed, into a scratch copy of the table (no triggers, no FKs)."""
    from django.db import connection, transaction

    from orgs.models import Area

    table = Area._meta.db_table
    sql(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
    sql(f"CREATE TABLE {FLOOR_TABLE} (LIKE {table} INCLUDING ALL)")
    (reloptions,) = sql("SELECT reloptions FROM pg_class WHERE oid = %s::regclass", [table])[0]
    if reloptions:  # the same fillfactor as the real table: the same pages to write
        sql(f"ALTER TABLE {FLOOR_TABLE} SET ({', '.join(reloptions)})")
    numbering = preorder_numbering(rows)
    ordered = sorted(rows, key=lambda r: (len(r.code), r.code))  # the order bulk_load copies in
    records = [(*numbering[r.code][:2], r.code, r.name, r.level, 1, *numbering[r.code][2:]) for r in ordered]

    def copy():
        with transaction.atomic(), connection.cursor() as cursor:
            with cursor.cursor.copy(
                f"COPY {FLOOR_TABLE} (id, parent_id, code, name, level, tree_id, lft, rght, depth) FROM STDIN"
            ) as writer:
                for record in records:
                    writer.write_row(record)

    times = []
    for _ in range(runs):
        sql(f"TRUNCATE {FLOOR_TABLE}")
        times.append(timed(copy)[0])
    return statistics.median(times), times


def measure_bulk_load(rows):
    from django.db import transaction

    from orgs import tree

    def load():
        with transaction.atomic():
            return tree.bulk_load(rows)

    return timed(load)


def measure_renumber():
    from django.db import transaction

    from orgs import tree
    from orgs.models import Area

    tree_id = Area.objects.get(parent__isnull=True).tree_id
    sql(f"UPDATE {Area._meta.db_table} SET lft = 0, rght = 0")  # every row must change
    vacuum_analyze(Area._meta.db_table)

    def repair():
        with transaction.atomic():
            tree.lock_trees(tree_id)
            return tree.renumber([tree_id])

    return timed(repair)


def insert_latencies(make_area, repeat):
    """Seconds of `repeat` inserts, each in its own transaction; the area is deleted after each (untimed)."""
    from django.db import transaction

    from orgs import tree

    times = []
    for _ in range(repeat):
        area = make_area()
        started = time.perf_counter()
        with transaction.atomic():
            area.save()
        times.append(time.perf_counter() - started)
        tree.delete_area(area)
    return times


def floor_insert_latencies(repeat):
    """The same single-row insert into the scratch table: no shift, no lock, no validation."""
    from django.db import transaction

    times = []
    for n in range(repeat):
        started = time.perf_counter()
        with transaction.atomic():
            sql(
                f"INSERT INTO {FLOOR_TABLE} (id, code, name, level, tree_id, lft, rght, depth) "
                "VALUES (%s, %s, '基准', 'unit', 1, 0, 0, 0)",
                [10_000_000 + n, f"9{n:05d}"],
            )
        times.append(time.perf_counter() - started)
        sql(f"DELETE FROM {FLOOR_TABLE} WHERE id = %s", [10_000_000 + n])
    return times


def read_latencies(fn, repeat):
    """(median seconds, number of SQL queries) of `fn`; one warm-up call first."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        fn()
    times = [timed(fn)[0] for _ in range(repeat)]
    return statistics.median(times), len(queries.captured_queries)


def page_reader():
    """area_page_context of the area page if it exists, else breadcrumb + level counts of the subtree."""
    from django.db.models import Count

    from orgs.models import Area

    try:
        from orgs.views.areas import area_page_context
    except ImportError:
        area_page_context = None
    if area_page_context is not None:
        return "orgs.views.areas.area_page_context(area)", area_page_context

    def fallback(area):
        # .order_by("level"): AreaManager orders by code, which would otherwise join the GROUP BY.
        counts = Area.objects.filter(code__startswith=area.code).values("level").annotate(n=Count("id"))
        return area.breadcrumb(), list(counts.order_by("level"))

    return "area.breadcrumb() + level counts of the subtree (area_page_context not found)", fallback


# --- the run -----------------------------------------------------------------------------------


def run(args):
    from django.db import connection

    from orgs import demo, tree
    from orgs.choices import AreaLevel
    from orgs.models import Area

    if not sql("SELECT to_regclass(%s)", [Area._meta.db_table])[0][0]:
        sys.exit("The database is not migrated: run `manage.py migrate` against it first.")
    if Area.objects.exists():
        if not args.reset:
            sys.exit("The database holds areas: pass --reset to empty the area tables (TRUNCATE … CASCADE).")
        empty_area_tables()
    table = Area._meta.db_table
    results = {"size": args.size, "database": connection.settings_dict["NAME"], "figures": {}}
    figures = results["figures"]
    results["postgresql"] = sql("SHOW server_version")[0][0]
    results["settings"] = {name: sql(f"SHOW {name}")[0][0] for name in ("shared_buffers", "autovacuum", "jit")}
    (reloptions,) = sql("SELECT reloptions FROM pg_class WHERE oid = %s::regclass", [table])[0]
    results["settings"]["orgs_area"] = ", ".join(reloptions or []) or "defaults"

    log(f"generating the {args.size} rows …")
    gen_seconds, rows = timed(lambda: demo.city_rows(args.size))
    results["rows"] = len(rows)
    figures["generate"] = {"seconds": gen_seconds}

    log("a. FLOOR: COPY into a scratch copy of the table …")
    floor, floor_runs = measure_floor(rows, args.floor_runs)
    figures["floor_copy"] = {"seconds": floor, "runs": floor_runs}

    log("b. OURS: tree.bulk_load(rows) …")
    seconds, written = measure_bulk_load(rows)
    figures["bulk_load"] = {"seconds": seconds, "ratio": seconds / floor, "rows": written}
    vacuum_analyze(table)

    log("c. RENUMBER after UPDATE … SET lft = 0, rght = 0 …")
    seconds, changed = measure_renumber()
    figures["renumber"] = {"seconds": seconds, "ratio": seconds / floor, "rows_changed": changed}
    vacuum_analyze(table)

    log("d. CHECK …")
    seconds, report = timed(tree.check)
    figures["check"] = {
        "seconds": seconds,
        "ratio": seconds / floor,
        "areas": report.areas,
        "ok": report.ok,
        "problems": report.problems,
    }

    log("e. INSERT latency …")
    pages_before = table_pages(table)
    floor_inserts = floor_insert_latencies(args.repeat)
    figures["insert_floor"] = {"median": statistics.median(floor_inserts), "p95": percentile(floor_inserts, 95)}
    district = Area.objects.filter(level=AreaLevel.DISTRICT).order_by("code").first()
    left_code = district.code + "000"  # sorts before the district's first street (…001)
    building = Area.objects.filter(level=AreaLevel.BUILDING).order_by("-code").first()
    right_code = building.code + "99"  # after the building's last unit
    for side, make in (
        ("left", lambda: Area(code=left_code, name="基准测试街道", level=AreaLevel.STREET, parent=district)),
        ("right", lambda: Area(code=right_code, name="99单元", level=AreaLevel.UNIT, parent=building)),
    ):
        times = insert_latencies(make, args.repeat)
        figures[f"insert_{side}"] = {
            "code": make().code,
            "median": statistics.median(times),
            "p95": percentile(times, 95),
            "max": max(times),
            "ratio": statistics.median(times) / figures["insert_floor"]["median"],
        }
    report = tree.check()
    figures["check_after_inserts"] = {"ok": report.ok, "problems": report.problems}
    figures["table_pages"] = {"before_inserts": pages_before, "after_inserts": table_pages(table)}
    vacuum_analyze(table)

    log("f. READS …")
    city = Area.objects.get(parent__isnull=True)
    district = Area.objects.get(code=demo.SMALL_DISTRICT)
    community = Area.objects.filter(level=AreaLevel.COMMUNITY, code__startswith=district.code).order_by("code").first()
    pk_lookup, _ = read_latencies(lambda: Area.objects.get(pk=community.pk), args.repeat)
    figures["read_floor_pk_lookup"] = {"median": pk_lookup, "queries": 1}
    what, page = page_reader()
    results["page_reader"] = what
    for name, area in (("city", city), ("district", district), ("community", community)):

        def read(code=area.code):
            return page(Area.objects.get(code=code))  # as a view would: fetch the area, then its page

        median, queries = read_latencies(read, args.repeat)
        figures[f"page_{name}"] = {"code": area.code, "median": median, "queries": queries, "ratio": median / pk_lookup}
    searches = {
        "search_name_city": lambda: list(Area.objects.filter(code__startswith=city.code, name__icontains="社区")[:50]),
        "search_name_district": lambda: list(
            Area.objects.filter(code__startswith=district.code, name__icontains="社区")[:50]
        ),
        "search_name_rare": lambda: list(Area.objects.filter(code__startswith=city.code, name__icontains="怀德")[:50]),
        "search_code": lambda: list(Area.objects.filter(code__startswith=community.code[:-1])[:50]),
    }
    for name, fn in searches.items():
        median, queries = read_latencies(fn, args.repeat)
        figures[name] = {"median": median, "queries": queries, "ratio": median / pk_lookup, "found": len(fn())}
    sql(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
    return results


# --- output ------------------------------------------------------------------------------------


def fmt_seconds(seconds):
    if seconds is None:
        return "—"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1000:.1f} ms"


def verdict(value, limit):
    return "ok" if value <= limit else "MISSED"


def table(results):
    f = results["figures"]
    floor = f["floor_copy"]["seconds"]
    lines = []

    def row(figure, value, baseline, ratio, target="", status=""):
        lines.append((figure, value, baseline, ratio, target, status))

    n = results["rows"]
    row("a. FLOOR  COPY of the rows, numbering precomputed", fmt_seconds(floor), "(baseline)", "1.0×")
    s = f["bulk_load"]["seconds"]
    row(
        "b. OURS   tree.bulk_load(rows)",
        fmt_seconds(s),
        "floor",
        f"{s / floor:.1f}×",
        "≤ 3×",
        verdict(s, 3 * floor),
    )
    s = f["renumber"]["seconds"]
    row(
        f"c. RENUMBER  {f['renumber']['rows_changed']:,} rows changed",
        fmt_seconds(s),
        "floor",
        f"{s / floor:.1f}×",
        "≤ 5 s",
        verdict(s, 5),
    )
    row(
        "   … vs django-mptt rebuild() (DESIGN §1)",
        fmt_seconds(s),
        f"{DESIGN_MPTT_REBUILD_SECONDS} s",
        f"{s / DESIGN_MPTT_REBUILD_SECONDS:.3f}×",
    )
    c = f["check"]
    row(
        f"d. CHECK  {c['areas']:,} areas, {'clean' if c['ok'] else 'PROBLEMS: ' + str(c['problems'])}",
        fmt_seconds(c["seconds"]),
        "floor",
        f"{c['seconds'] / floor:.1f}×",
        "clean",
        "ok" if c["ok"] else "MISSED",
    )
    base = f["insert_floor"]["median"]
    row("e. INSERT baseline: one-row INSERT, scratch table", fmt_seconds(base), "(baseline)", "1.0×")
    for side, label in (("left", "far left"), ("right", "far right")):
        i = f[f"insert_{side}"]
        row(
            f"   insert {label} ({i['code']}) median",
            fmt_seconds(i["median"]),
            "insert baseline",
            f"{i['median'] / base:.0f}×",
        )
        row(
            f"   insert {label} p95 / max",
            f"{fmt_seconds(i['p95'])} / {fmt_seconds(i['max'])}",
            "",
            "",
            "≤ 1 s",
            verdict(i["max"], 1),
        )
    tp = f["table_pages"]
    row("   table pages before → after the inserts", f"{tp['before_inserts']:,} → {tp['after_inserts']:,}", "", "")
    ca = f["check_after_inserts"]
    row(
        "   tree after the inserts and deletes",
        "clean" if ca["ok"] else str(ca["problems"]),
        "",
        "",
        "clean",
        "ok" if ca["ok"] else "MISSED",
    )
    pk = f["read_floor_pk_lookup"]["median"]
    row("f. READ baseline: Area.objects.get(pk=…)", fmt_seconds(pk), "(baseline)", "1.0×")
    for name in ("city", "district", "community"):
        p = f[f"page_{name}"]
        row(
            f"   area page of the {name} ({p['code']}), {p['queries']} queries",
            fmt_seconds(p["median"]),
            "pk lookup",
            f"{p['ratio']:.0f}×",
        )
    labels = {
        "search_name_city": "search name~'社区' in the city, first 50",
        "search_name_district": "search name~'社区' in a district, first 50",
        "search_name_rare": "search name~'怀德' in the city (rare), first 50",
        "search_code": "search code prefix, first 50",
    }
    for name, label in labels.items():
        s = f[name]
        row(f"   {label} ({s['found']} found)", fmt_seconds(s["median"]), "pk lookup", f"{s['ratio']:.0f}×")

    header = ("figure", "value", "baseline", "ratio", "target", "")
    widths = [max(_width(r[i]) for r in [header, *lines]) for i in range(len(header))]
    out = [
        f"Tree benchmark — size {results['size']}: {n:,} areas, database {results['database']}, "
        f"PostgreSQL {results['postgresql']}",
        "Server: " + ", ".join(f"{k} {v}" for k, v in results["settings"].items()),
        f"Page figures measure: {results['page_reader']}",
        "",
    ]
    for r in [header, None, *lines]:
        if r is None:
            out.append("  ".join("-" * w for w in widths))
            continue
        out.append("  ".join(_pad(cell, w) for cell, w in zip(r, widths, strict=True)).rstrip())
    return "\n".join(out)


def _width(text):
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text, width):
    return text + " " * (width - _width(text))


def main():
    args = parse_args()
    setup_django()
    results = run(args)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        print(table(results))


if __name__ == "__main__":
    main()
