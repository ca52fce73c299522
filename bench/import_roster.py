"""Benchmarks of the roster import (issue #3, acceptance 3 and 4; DESIGN §6), run by hand — see
bench/README.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiceng_bench_roster .venv/bin/python bench/import_roster.py

In one run: the floor (python-calamine read + COPY), django-import-export's per-row import on a
10,000-row sample (extrapolated), our import (`core.importing.execute` of `RosterImporter`) on the
whole sheet and a re-import of it, and the coverage drill-down of the city and of one district.
The database must be migrated and hold no roster (or pass --reset to empty it).
"""

import argparse
import io
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.tree import _pad, _width, log, setup_django, sql, timed  # noqa: E402  (helpers of the tree bench)

OUT = ROOT / "bench" / "out"  # git-ignored
SAMPLE_ROWS = 10_000
COVERAGE_RUNS = 10
TARGET_FIRST_RATIO = 3.0  # a city's first import, and an import onto the full tree (issue #17)
TARGET_REIMPORT_RATIO = 2.0  # an unchanged re-import
TARGET_SPEEDUP = 20.0
TARGET_RSS_BYTES = 1 << 30
FLOOR_TABLE = "bench_roster_floor"
EVENT_MODELS = ("grids.HeadAssignmentEvent", "grids.PersonEvent")


def parse_args():
    parser = argparse.ArgumentParser(description="Benchmarks of the roster import (bench/README.md).")
    parser.add_argument("--size", choices=("small", "city"), default="city", help="demo city size (default: city)")
    parser.add_argument(
        "--reset",
        action="store_true",
        help="empty the roster and area tables first (TRUNCATE … CASCADE) and rebuild the demo tree",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # internal: import this sheet once, print JSON
    return parser.parse_args()


# --- helpers -----------------------------------------------------------------------------------


def peak_rss_bytes():
    """Peak resident set size of this process: VmHWM, the high-water mark of its own memory map.
    (ru_maxrss would do, but Linux carries it over an exec from the forking parent.)"""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def roster_tables():
    """People, posts and their history."""
    from django.apps import apps

    from grids.models import HeadAssignment, Person

    return [m._meta.db_table for m in (HeadAssignment, Person)] + [
        apps.get_model(m)._meta.db_table for m in EVENT_MODELS
    ]


def empty_roster():
    sql("TRUNCATE {} CASCADE".format(", ".join(roster_tables())))


def remove_buildings_and_units():
    """The tree as a city has it before its first roster import: the official division list down
    to the grids (DESIGN §6). Untimed; the numbering is restored set-based."""
    from django.db import transaction

    from orgs import tree
    from orgs.models import Area

    with transaction.atomic():
        trees = tree.all_tree_ids()
        tree.lock_trees(*trees)
        sql(f"DELETE FROM {Area._meta.db_table} WHERE level IN ('building', 'unit')")
        tree.renumber(trees)
    vacuum_analyze(Area._meta.db_table, *roster_tables())


def vacuum_analyze(*tables):
    """Untimed housekeeping, as autovacuum would do between the steps of real use."""
    for table in tables:
        sql(f"VACUUM ANALYZE {table}")


def history_counts():
    from django.apps import apps

    return {m: apps.get_model(m).objects.count() for m in EVENT_MODELS}


# --- setup ----------------------------------------------------------------------------------------


def ensure_tree(size, reset):
    """The demo city tree: rebuilt with --reset, built when absent, else checked. (areas, seconds or None)"""
    from grids.models import HeadAssignment, Person
    from orgs import demo
    from orgs.models import Area

    if reset:
        empty_roster()
        demo.wipe()
    elif Person.objects.exists() or HeadAssignment.objects.exists():
        sys.exit("The database holds a roster: pass --reset to empty the roster and area tables (TRUNCATE … CASCADE).")
    expected = len(demo.city_rows(size))
    found = Area.objects.count()
    if found == 0:
        log(f"building the {size} tree (orgs.demo.build_city) …")
        result = demo.build_city(size)
        vacuum_analyze(Area._meta.db_table)
        return result.areas, result.seconds
    if found != expected:
        sys.exit(f"The database holds {found:,} areas, the {size} tree has {expected:,}: pass --reset.")
    return found, None


def unique_id_numbers(rows, seed=6):
    """`grids.demo.PersonMaker` draws ID numbers at random among ~17 million (one region, 50 years of
    birthdays, 1,000 serials): at city size ~800 of them collide, the import rightly rejects each
    such row (该身份证号在第 n 行对应的姓名是…) and so the whole sheet. The bench wants a sheet that
    imports in full: colliding numbers are drawn again, and the gender follows the new number."""
    from grids import demo

    rng = random.Random(seed)
    seen, redrawn = set(), 0
    for row in rows:
        while row.id_number in seen:
            row.id_number = demo.make_id_number(rng)
            row.gender = "男" if int(row.id_number[16]) % 2 else "女"
            redrawn += 1
        seen.add(row.id_number)
    return redrawn


def ensure_sheet(size):
    """The street office's dirty xlsx of the city's full roster, cached in bench/out/ by size."""
    from grids import demo
    from orgs.demo import CITY

    path = OUT / f"roster-{size}.xlsx"
    info = {"path": str(path.relative_to(ROOT)), "cached": path.exists()}
    if not path.exists():
        log(f"writing the roster sheet {info['path']} (grids.demo.write_sheet, dirty; minutes at city size) …")
        started = time.perf_counter()
        rows = list(demo.roster_rows(CITY[0]))
        info["redrawn_id_numbers"] = unique_id_numbers(rows)
        data = demo.write_sheet(rows, dirty=True)
        info["write_seconds"] = time.perf_counter() - started
        OUT.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_bytes(data)
        partial.rename(path)
    info["bytes"] = path.stat().st_size
    return path, info


# --- a. the floor --------------------------------------------------------------------------------


def measure_floor(data, person_rows=True):
    """python-calamine reads every row of the sheet (as the import reads it); COPY writes the rows
    below the header, as text, into a scratch table of the sheet's 14 columns (no index, no trigger,
    no FK). Their sum is the floor: no import of this sheet can be faster."""
    from django.db import connection, transaction
    from python_calamine import CalamineWorkbook

    from grids.demo import HEADERS

    def read():
        return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()

    read_seconds, rows = timed(read)
    header = next(i for i, row in enumerate(rows) if len(row) > 3 and row[3] == HEADERS[3])
    rows = rows[header + 1 :]
    width = len(HEADERS)
    sql(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
    sql(f"CREATE TABLE {FLOOR_TABLE} ({', '.join(f'c{i} text' for i in range(width))})")

    def copy():
        with transaction.atomic(), connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {FLOOR_TABLE} FROM STDIN") as writer:
                for row in rows:
                    cells = [None if v is None or v == "" else str(v) for v in row[:width]]
                    writer.write_row(cells + [None] * (width - len(cells)))

    copy_seconds, _ = timed(copy)
    copied = sql(f"SELECT count(*) FROM {FLOOR_TABLE}")[0][0]
    sql(f"DROP TABLE {FLOOR_TABLE}")

    def cell(value):  # as openpyxl gives them: numbers stored as floats are integers
        return int(value) if isinstance(value, float) and value.is_integer() else (value or None)

    if person_rows:
        person_rows = [[cell(v) for v in row] for row in rows if len(row) > 12 and row[8] and row[0] != "合计"]
    figures = {"rows": copied, "read": read_seconds, "copy": copy_seconds, "seconds": read_seconds + copy_seconds}
    return figures, person_rows


# --- b. django-import-export ----------------------------------------------------------------------


def measure_import_export(person_rows):
    """A plain ModelResource of Person, import_id_fields = id_number; its default per-row import of the
    person columns (姓名 … 政治面貌) of the first SAMPLE_ROWS rows, as the sheet holds them."""
    import tablib
    from import_export import resources

    from grids.models import Person

    class PersonResource(resources.ModelResource):
        class Meta:
            model = Person
            fields = ("name", "gender", "phone", "id_number", "political_status")
            import_id_fields = ("id_number",)

    sample = person_rows[:SAMPLE_ROWS]
    dataset = tablib.Dataset(headers=list(PersonResource.Meta.fields))
    for row in sample:
        dataset.append(list(row[8:13]))
    empty_roster()
    seconds, result = timed(lambda: PersonResource().import_data(dataset, dry_run=False, use_transactions=True))
    written = Person.objects.count()
    empty_roster()  # so that it does not disturb c
    return {
        "sample_rows": len(sample),
        "sample_seconds": seconds,
        "rows_per_second": len(sample) / seconds,
        "full_rows": len(person_rows),
        "seconds": seconds * len(person_rows) / len(sample),  # extrapolated
        "errors": len(result.base_errors) + sum(len(r.errors) for r in result.rows),
        "totals": dict(result.totals),
        "people_written": written,
    }


# --- c. ours, one import per child process ---------------------------------------------------------


def import_once(path):
    """The child: `execute` of the sheet, timed step by step; prints one JSON object."""
    import pghistory

    from core.importing import CommandLineUser, ImportRejected, execute
    from grids.importers import RosterImporter
    from orgs.models import Area

    data = Path(path).read_bytes()
    Area.objects.exists()  # connected before the clock starts
    rss_before = peak_rss_bytes()
    importer = RosterImporter(CommandLineUser())
    steps = {}

    def step(name, method):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                steps[name] = steps.get(name, 0.0) + time.perf_counter() - started

        return wrapper

    for name in ("read", "lock", "plan", "apply"):  # execute() calls them on the instance
        setattr(importer, name, step(name, getattr(importer, name)))
    from orgs import tree

    tree.bulk_load = step("tree", tree.bulk_load)  # the buildings and units it creates, inside apply
    before = history_counts()
    started = time.perf_counter()
    try:
        with pghistory.context(source="bench", file=str(path)):  # as manage.py import_roster does
            plan = execute(importer, data)
    except ImportRejected as rejected:
        print(json.dumps({"error": str(rejected), "rejected": rejected.plan.summary()["rejected"][:20]}))
        sys.exit(1)
    seconds = time.perf_counter() - started
    steps["apply"] -= steps.get("tree", 0.0)  # apply less the tree: people, posts and their history
    steps["commit"] = seconds - sum(steps.values())  # the end of the transaction and the rest of execute()
    after = history_counts()
    summary = plan.summary()
    summary["rejected"] = len(summary["rejected"])
    print(
        json.dumps(
            {
                "seconds": seconds,
                "steps": steps,
                "summary": summary,
                "history_rows": {m: after[m] - before[m] for m in EVENT_MODELS},
                "rss_before": rss_before,
                "peak_rss": peak_rss_bytes(),
            }
        )
    )


def measure_ours(path, data):
    """One import in a fresh process, so that its peak RSS is the import's own; its ratio is to the
    floor measured just before and just after it (their mean): on a machine shared with other work
    the load moves within a run, and a floor measured minutes earlier would not compare."""
    before = measure_floor(data, person_rows=False)[0]["seconds"]
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"the import failed:\n{done.stdout}\n{done.stderr}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    after = measure_floor(data, person_rows=False)[0]["seconds"]
    figures["floors"] = [before, after]
    figures["floor"] = (before + after) / 2
    figures["ratio_to_floor"] = figures["seconds"] / figures["floor"]
    return figures


# --- c+. the writes alone --------------------------------------------------------------------------


def measure_writes(data):
    """What no import of this sheet can skip, whatever it plans: writing its people and posts into the
    real tables (their indexes, foreign keys checked row by row, their history triggers) — the rows
    an import just wrote, copied aside, the roster emptied, and inserted back with two INSERT … SELECT
    in one transaction, in a history context as an import has. Timed against the floor measured just
    before and after it, like the imports."""
    import pghistory
    from django.db import transaction

    from grids.models import HeadAssignment, Person
    from orgs import tree

    saved = {Person._meta.db_table: "bench_roster_people", HeadAssignment._meta.db_table: "bench_roster_posts"}
    for table, scratch in saved.items():
        sql(f"DROP TABLE IF EXISTS {scratch}")
        sql(f"CREATE TABLE {scratch} AS SELECT * FROM {table}")
    empty_roster()
    vacuum_analyze(*roster_tables(), *saved.values())
    before = measure_floor(data, person_rows=False)[0]["seconds"]
    steps = {}
    started = time.perf_counter()
    with transaction.atomic(), pghistory.context(source="bench"), tree.immediate_constraints():
        for table, scratch in saved.items():  # people first: the posts refer to them
            statement = f"INSERT INTO {table} SELECT * FROM {scratch}"
            steps[table], _ = timed(lambda statement=statement: sql(statement))
    seconds = time.perf_counter() - started
    for scratch in saved.values():
        sql(f"DROP TABLE {scratch}")
    vacuum_analyze(*roster_tables())
    after = measure_floor(data, person_rows=False)[0]["seconds"]
    floor = (before + after) / 2
    return {"seconds": seconds, "steps": steps, "floor": floor, "ratio_to_floor": seconds / floor}


# --- d. coverage -------------------------------------------------------------------------------------


def measure_coverage(area):
    """drill_down(area): queries of one call (CaptureQueriesContext), median of COVERAGE_RUNS after it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from grids.coverage import drill_down

    with CaptureQueriesContext(connection) as queries:
        own, children = drill_down(area)
    times = [timed(lambda: drill_down(area))[0] for _ in range(COVERAGE_RUNS)]
    return {
        "code": area.code,
        "name": area.name,
        "queries": len(queries.captured_queries),
        "children": len(children),
        "median": statistics.median(times),
        "max": max(times),
        "rates": {level: own.level(level).rate for level in ("grid", "building", "unit")},
        "party_rate": own.party_rate,
    }


def write_openpyxl(headers, rows):
    """The writer before issue #8: openpyxl's write-only mode, the baseline of the export figure."""
    from openpyxl import Workbook

    from core.spreadsheets import neutralise

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("人员名册")
    sheet.append(headers)
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def measure_export():
    """The largest district's roster as its cadre exports it: rows built from the database
    (masked), then written by openpyxl (baseline) and by core.spreadsheets.write_xlsx (ours)."""
    from django.db.models import Count

    from core.spreadsheets import write_xlsx
    from grids.exporting import HEADERS, roster_sheet_rows
    from grids.models import HeadAssignment
    from orgs.models import Area, AreaLevel
    from orgs.scoping import within

    current = HeadAssignment.objects.current()
    counts = {
        code: current.filter(within("area__code", code)).aggregate(n=Count("pk"))["n"]
        for code in Area.objects.filter(level=AreaLevel.DISTRICT).values_list("code", flat=True)
    }
    code = max(counts, key=counts.get)
    queryset = current.filter(within("area__code", code)).order_by("area__code", "post")
    rows_seconds, rows = timed(lambda: list(roster_sheet_rows(queryset)))
    figures = {"code": code, "rows": len(rows), "rows_seconds": rows_seconds}
    for name, writer in (("openpyxl", write_openpyxl), ("ours", write_xlsx)):
        times, size = [], 0
        for _ in range(3):
            seconds, data = timed(lambda writer=writer: writer(HEADERS, rows))
            times.append(seconds)
            size = len(data)
        figures[name] = {"write": statistics.median(times), "bytes": size}
        figures[name]["seconds"] = rows_seconds + figures[name]["write"]
    return figures


# --- the run -----------------------------------------------------------------------------------------


def run(args):
    from django.db import connection

    from orgs import demo
    from orgs.models import Area

    if not sql("SELECT to_regclass(%s)", [Area._meta.db_table])[0][0]:
        sys.exit("The database is not migrated: run `manage.py migrate` against it first.")
    results = {
        "size": args.size,
        "database": connection.settings_dict["NAME"],
        "postgresql": sql("SHOW server_version")[0][0],
        "autovacuum": sql("SHOW autovacuum")[0][0],
    }
    areas, build_seconds = ensure_tree(args.size, args.reset)
    results["areas"], results["build_seconds"] = areas, build_seconds
    path, results["sheet"] = ensure_sheet(args.size)
    data = path.read_bytes()
    vacuum_analyze(*roster_tables())
    figures = results["figures"] = {}

    log("a. FLOOR: python-calamine read + COPY …")
    figures["floor"], person_rows = measure_floor(data)

    log(f"b. django-import-export, {SAMPLE_ROWS:,}-row sample …")
    figures["import_export"] = measure_import_export(person_rows)
    del person_rows

    log("c0. OURS, a city's first import: only the grids in the tree, buildings and units created …")
    remove_buildings_and_units()
    figures["first_import"] = measure_ours(path, data)
    empty_roster()  # the buildings and units the first import made stay: the next import finds them
    vacuum_analyze(Area._meta.db_table, *roster_tables())

    log("c. OURS: execute(RosterImporter) on the whole sheet, onto a tree that has its buildings and units …")
    first = figures["ours"] = measure_ours(path, data)
    first["speedup_over_import_export"] = figures["import_export"]["seconds"] / first["seconds"]

    log("d. COVERAGE with the statistics the import left …")
    city = Area.objects.get(code=demo.CITY[0])
    district = Area.objects.get(code=demo.SMALL_DISTRICT)
    figures["coverage_as_imported"] = {"city": measure_coverage(city), "district": measure_coverage(district)}
    vacuum_analyze(Area._meta.db_table, *roster_tables())
    log("d. COVERAGE after VACUUM ANALYZE …")
    figures["coverage"] = {"city": measure_coverage(city), "district": measure_coverage(district)}
    community = Area.objects.filter(code__startswith=district.code, level="community").order_by("code").first()
    grid = Area.objects.filter(code__startswith=community.code, level="grid").order_by("code").first()
    nodes = {"city": city, "district": district, "community": community, "grid": grid}
    for setting in ("on", "off"):  # the server's default, then the portal's (settings.DB_JIT)
        log(f"d. COVERAGE of every level with jit = {setting} …")
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('jit', %s, false)", [setting])
        figures[f"coverage_jit_{setting}"] = {name: measure_coverage(area) for name, area in nodes.items()}
    with connection.cursor() as cursor:
        cursor.execute("RESET jit")

    log("c+. the writes alone: the imported people and posts inserted again, set-based …")
    figures["writes"] = measure_writes(data)

    log("e. EXPORT of the largest district's roster …")
    figures["export"] = measure_export()

    log("c'. OURS again: re-import of the same sheet …")
    again = figures["reimport"] = measure_ours(path, data)

    results["targets"] = {
        "first_import_over_floor": {
            "limit": TARGET_FIRST_RATIO,
            "ok": figures["first_import"]["ratio_to_floor"] <= TARGET_FIRST_RATIO,
        },
        "ours_over_floor": {"limit": TARGET_FIRST_RATIO, "ok": first["ratio_to_floor"] <= TARGET_FIRST_RATIO},
        "reimport_over_floor": {"limit": TARGET_REIMPORT_RATIO, "ok": again["ratio_to_floor"] <= TARGET_REIMPORT_RATIO},
        "speedup_over_import_export": {
            "limit": TARGET_SPEEDUP,
            "ok": first["speedup_over_import_export"] >= TARGET_SPEEDUP,
        },
        "peak_rss_bytes": {
            "limit": TARGET_RSS_BYTES,
            "ok": max(first["peak_rss"], again["peak_rss"]) < TARGET_RSS_BYTES,
        },
    }
    return results


# --- output ------------------------------------------------------------------------------------------


def fmt_seconds(seconds):
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1000:.0f} ms"


def fmt_mib(value):
    return f"{value / 1048576:,.0f} MiB"


def status(ok):
    return "ok" if ok else "MISSED"


def table(results):
    f = results["figures"]
    a, b, c, c2 = f["floor"], f["import_export"], f["ours"], f["reimport"]
    targets = results["targets"]
    floor = a["seconds"]
    lines = []

    def row(figure, value, baseline="", ratio="", target="", state=""):
        lines.append((figure, value, baseline, ratio, target, state))

    def rate(rows, seconds):
        return f"{rows / seconds:,.0f} rows/s"

    row(f"a. FLOOR  python-calamine read, {a['rows']:,} rows", fmt_seconds(a["read"]), rate(a["rows"], a["read"]))
    row("         + COPY into a 14-column text table", fmt_seconds(a["copy"]), rate(a["rows"], a["copy"]))
    row("         = floor", fmt_seconds(floor), "(baseline)", "1.0×")
    row(
        f"b. IMPORT-EXPORT  ModelResource(Person), {b['sample_rows']:,}-row sample",
        fmt_seconds(b["sample_seconds"]),
        f"{b['rows_per_second']:,.0f} rows/s",
        "",
        "",
        f"{b['errors']} errors",
    )
    row(
        f"   … extrapolated to {b['full_rows']:,} rows",
        fmt_seconds(b["seconds"]),
        "floor",
        f"{b['seconds'] / floor:.1f}×",
    )
    c0 = f["first_import"]
    row(
        f"c0. OURS, a city's first import (buildings and units created): {c0['summary']['new']:,} new",
        fmt_seconds(c0["seconds"]),
        f"floor {fmt_seconds(c0['floor'])} (adjacent)",
        f"{c0['ratio_to_floor']:.2f}×",
        "≤ 3×",
        status(targets["first_import_over_floor"]["ok"]),
    )
    row(
        "   read / plan / tree / apply / commit",
        " / ".join(fmt_seconds(c0["steps"].get(k, 0.0)) for k in ("read", "plan", "tree", "apply", "commit")),
        "",
        "",
        "",
        f"peak RSS {fmt_mib(c0['peak_rss'])}",
    )
    s = c["summary"]
    row(
        f"c. OURS  execute(RosterImporter): {s['new']:,} new, {s['skipped']} skipped, {s['rejected']} rejected",
        fmt_seconds(c["seconds"]),
        f"floor {fmt_seconds(c['floor'])} (adjacent)",
        f"{c['ratio_to_floor']:.2f}×",
        "≤ 3×",
        status(targets["ours_over_floor"]["ok"]),
    )
    row(
        "   … speed-up over import-export (extrapolated)",
        f"{c['speedup_over_import_export']:.1f}×",
        "b",
        "",
        "≥ 20×",
        status(targets["speedup_over_import_export"]["ok"]),
    )
    labels = {
        "read": "read: calamine, header, cells cleaned, merged cells filled",
        "lock": "lock: the tree's advisory lock",
        "plan": "plan: cells checked and COPYed into the stage; place, dedupe, compare in SQL",
        "tree": "tree: buildings and units created (tree.bulk_load)",
        "apply": "apply: INSERT … SELECT of people and posts, history triggers",
        "commit": "commit (deferred checks) and the rest",
    }
    for key, label in labels.items():
        value = c["steps"].get(key, 0.0)
        row(f"   {label}", fmt_seconds(value), "ours", f"{value / c['seconds']:.0%}")
    w = f["writes"]
    row(
        "c+. the writes alone: the same people and posts INSERTed … SELECTed, with history",
        fmt_seconds(w["seconds"]),
        f"floor {fmt_seconds(w['floor'])} (adjacent)",
        f"{w['ratio_to_floor']:.2f}×",
        "",
        "what no import can skip",
    )
    row(
        "   … ours over the writes alone",
        f"{c['seconds'] / w['seconds']:.2f}×",
        "c+",
    )
    history = ", ".join(f"{m.split('.')[1]} {n:,}" for m, n in c["history_rows"].items())
    row(f"   history rows written: {history}", "")
    row(
        "   peak RSS of the import process",
        fmt_mib(c["peak_rss"]),
        f"{fmt_mib(c['rss_before'])} before",
        "",
        "< 1 GiB",
        status(c["peak_rss"] < TARGET_RSS_BYTES),
    )
    s2 = c2["summary"]
    row(
        f"c'. OURS again, same sheet: {s2['new']} new, {s2['changed']} changed, {s2['unchanged']:,} unchanged",
        fmt_seconds(c2["seconds"]),
        f"floor {fmt_seconds(c2['floor'])} (adjacent)",
        f"{c2['ratio_to_floor']:.2f}×",
        "≤ 2×",
        status(targets["reimport_over_floor"]["ok"]),
    )
    row(
        f"   read / plan / apply; history rows {sum(c2['history_rows'].values())}",
        " / ".join(fmt_seconds(c2["steps"][k]) for k in ("read", "plan", "apply")),
    )
    row(
        "   peak RSS of the re-import process",
        fmt_mib(c2["peak_rss"]),
        "",
        "",
        "< 1 GiB",
        status(c2["peak_rss"] < TARGET_RSS_BYTES),
    )
    for key, when in (("coverage_as_imported", "statistics as imported"), ("coverage", "after VACUUM ANALYZE")):
        for name in ("city", "district"):
            cov = f[key][name]
            rates = cov["rates"]
            row(
                f"d. COVERAGE drill_down {cov['code']} {cov['name']}, {when}",
                fmt_seconds(cov["median"]),
                f"{cov['queries']} queries",
                "",
                "",
                f"grids {rates['grid']:.0%}, units {rates['unit']:.0%}, party {cov['party_rate']:.0%}",
            )
    for name, on in f["coverage_jit_on"].items():
        off = f["coverage_jit_off"][name]
        row(
            f"d. COVERAGE {name} {off['code']}, jit off (on: {fmt_seconds(on['median'])})",
            fmt_seconds(off["median"]),
            "jit on",
            f"{off['median'] / on['median']:.2f}×",
            "≤ 100 ms",
            status(off["median"] <= 0.1),
        )
    e = f["export"]
    row(
        f"e. EXPORT district {e['code']}, {e['rows']:,} rows: rows from the database",
        fmt_seconds(e["rows_seconds"]),
    )
    row(
        f"   + openpyxl write-only ({e['openpyxl']['bytes'] / 1048576:.1f} MB)",
        fmt_seconds(e["openpyxl"]["seconds"]),
        "(baseline)",
        "1.0×",
    )
    row(
        f"   + ours, XlsxWriter, shared strings ({e['ours']['bytes'] / 1048576:.1f} MB)",
        fmt_seconds(e["ours"]["seconds"]),
        "openpyxl",
        f"{e['ours']['seconds'] / e['openpyxl']['seconds']:.2f}×",
        "≤ 1.5 s",
        status(e["ours"]["seconds"] <= 1.5),
    )

    header = ("figure", "value", "baseline", "ratio", "target", "")
    widths = [max(_width(r[i]) for r in [header, *lines]) for i in range(len(header))]
    sheet = results["sheet"]
    out = [
        f"Roster import benchmark — size {results['size']}: {results['areas']:,} areas, database "
        f"{results['database']}, PostgreSQL {results['postgresql']} (autovacuum {results['autovacuum']})",
        f"Sheet {sheet['path']}: {sheet['bytes'] / 1048576:.1f} MB"
        + (", cached" if sheet["cached"] else f", written in {sheet['write_seconds']:.0f} s"),
        "",
    ]
    for r in [header, None, *lines]:
        if r is None:
            out.append("  ".join("-" * w for w in widths))
            continue
        out.append("  ".join(_pad(cell, w) for cell, w in zip(r, widths, strict=True)).rstrip())
    return "\n".join(out)


def main():
    args = parse_args()
    setup_django("bench/import_roster.py", "jiceng_bench_roster", "the roster and area tables")
    if args.child:
        import_once(args.child)
        return
    results = run(args)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        print(table(results))


if __name__ == "__main__":
    main()
