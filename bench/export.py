"""A district's roster export and the xlsx writers side by side (issue #17, item 4), run by hand —
see bench/README.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiceng_city .venv/bin/python bench/export.py

Needs a migrated database holding the demo city (`manage.py seed_demo --size city`); an empty one
is seeded first with seed_demo's own code. It only reads (the export's access-log entries aside).

In one run, on the largest district's current roster: the baseline (fetching the rows' values
alone), the rows built (names of the places, masking), each writer on the same rows (median of
`--repeat`, the bytes, and whether a reader gets back the same cells), and the whole export as the
export job runs it (the roster view's `export`) with each of the portal's two writers.
"""

import argparse
import io
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import ensure_city  # noqa: E402
from bench.tree import log, setup_django, timed  # noqa: E402

TARGET = 1.5  # a district's export ≤ 1.5 s (issue #17)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="A district's roster export, writers side by side.")
    parser.add_argument("--size", choices=("small", "city"), default="city", help="the demo city (seeded if empty)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each figure; the median is kept")
    parser.add_argument("--district", default="", help="the district's code (default: the one with most posts)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    return parser.parse_args(argv)


# --- the writers ---------------------------------------------------------------------------------------


def write_openpyxl(headers, rows):
    """openpyxl's write-only mode (the writer before issue #8)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from core.spreadsheets import _text_or_cell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("人员名册")
    sheet.append(headers)
    sheet.row_dimensions[1].font = Font(bold=True)
    for row in rows:
        sheet.append([_text_or_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_pyexcelerate(headers, rows):
    """PyExcelerate (if installed): the whole sheet as a list of lists, written at once."""
    from pyexcelerate import Workbook

    from core.spreadsheets import _text_or_cell

    workbook = Workbook()
    workbook.new_sheet("人员名册", data=[headers] + [[_text_or_cell(v) for v in row] for row in rows])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def writers():
    """(name, note, function or None when not installed), the portal's own first."""
    from core.spreadsheets import write_xlsx

    found = [
        ("rust", "rustpy-xlsxwriter (the portal's writer)", lambda h, r: write_xlsx(h, r, writer="rust")),
        (
            "xlsxwriter",
            "XlsxWriter (the fallback; the writer before)",
            lambda h, r: write_xlsx(h, r, writer="xlsxwriter"),
        ),
        ("openpyxl", "openpyxl write-only", write_openpyxl),
    ]
    try:
        import pyexcelerate  # noqa: F401

        found.append(("pyexcelerate", "PyExcelerate", write_pyexcelerate))
    except ImportError:
        found.append(("pyexcelerate", "PyExcelerate (not installed: skipped)", None))
    return found


def read_back(data):
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    width = max(len(row) for row in sheet)
    return [["" if cell is None else cell for cell in row] + [""] * (width - len(row)) for row in sheet]


# --- the figures ---------------------------------------------------------------------------------------


def largest_district(code=""):
    from django.db.models import Count

    from grids.models import HeadAssignment
    from orgs.models import Area, AreaLevel
    from orgs.scoping import within

    if code:
        return code
    current = HeadAssignment.objects.current()
    counts = {
        district: current.filter(within("area__code", district)).aggregate(n=Count("pk"))["n"]
        for district in Area.objects.filter(level=AreaLevel.DISTRICT).values_list("code", flat=True)
    }
    return max(counts, key=counts.get)


def median_time(fn, repeat):
    times, result = [], None
    for _ in range(repeat):
        seconds, result = timed(fn)
        times.append(seconds)
    return statistics.median(times), result


def export_through_the_view(code, writer):
    """The roster view's export of the district, as the export job runs it (core.exporting)."""
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory, override_settings

    from grids.views import RosterView

    user = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    path = f"/grids/{code}/roster/"
    request = RequestFactory().get(path, {"export": "xlsx"})
    request.user = user
    request.exporting_in_background = True
    view = RosterView()
    view.setup(request, code=code)
    with override_settings(XLSX_WRITER=writer):
        return view.export(view.filtered(), "xlsx").content


def run(size, repeat, district=""):
    from grids.exporting import HEADERS, ROW_FIELDS, roster_sheet_rows
    from grids.models import HeadAssignment
    from orgs.scoping import within

    areas = ensure_city(size)
    code = largest_district(district)
    queryset = HeadAssignment.objects.current().filter(within("area__code", code)).order_by("area__code", "post")
    headers = list(HEADERS)
    log(f"district {code}: fetching, building, writing …")
    fetch, _ = median_time(lambda: list(queryset.values_list(*ROW_FIELDS)), repeat)
    build, rows = median_time(lambda: list(roster_sheet_rows(queryset)), repeat)
    figures = {"size": size, "areas": areas, "district": code, "rows": len(rows), "repeat": repeat}
    figures["baseline"] = {"name": "fetch the rows' values alone (values_list)", "seconds": fetch}
    figures["build"] = {"name": "rows built (place names, masking)", "seconds": build}
    reference = None
    figures["writers"] = []
    for name, note, write in writers():
        if write is None:
            figures["writers"].append({"name": name, "note": note, "seconds": None})
            continue
        log(f"  writer {name} …")
        seconds, data = median_time(lambda write=write: write(headers, rows), repeat)
        got = read_back(data)
        reference = reference if reference is not None else got
        figures["writers"].append(
            {"name": name, "note": note, "seconds": seconds, "bytes": len(data), "same_cells": got == reference}
        )
    figures["exports"] = []
    for writer in ("rust", "xlsxwriter"):
        log(f"  the whole export through the view, {writer} …")
        seconds, data = median_time(lambda writer=writer: export_through_the_view(code, writer), repeat)
        figures["exports"].append(
            {
                "writer": writer,
                "seconds": seconds,
                "bytes": len(data),
                "ratio": seconds / fetch,
                "ok": seconds <= TARGET,
            }
        )
    return figures


def table(f):
    base = f["baseline"]["seconds"]
    lines = [
        "",
        f"A district's roster export: {f['district']}, {f['rows']:,} current posts (--size {f['size']},"
        f" {f['areas']:,} areas), median of {f['repeat']}",
        f"baseline: {f['baseline']['name']}: {base * 1000:,.0f} ms",
        f"rows built: {f['build']['seconds'] * 1000:,.0f} ms ({f['build']['seconds'] / base:.1f}× the baseline)",
        "",
        f"{'writer (same rows)':<48} {'ms':>8} {'bytes':>11} {'× baseline':>11}  same cells",
    ]
    for w in f["writers"]:
        if w["seconds"] is None:
            lines.append(f"{w['note']:<48} {'—':>8}")
            continue
        lines.append(
            f"{w['note']:<48} {w['seconds'] * 1000:>8,.0f} {w['bytes']:>11,} {w['seconds'] / base:>10.1f}×"
            f"  {'yes' if w['same_cells'] else 'NO'}"
        )
    lines += ["", f"{'the whole export (the job: count, rows, sheet)':<48} {'ms':>8} {'bytes':>11} {'× baseline':>11}"]
    for e in f["exports"]:
        mark = "" if e["ok"] else f"  OVER {TARGET:.1f} s"
        lines.append(
            f"{'writer ' + e['writer']:<48} {e['seconds'] * 1000:>8,.0f} {e['bytes']:>11,} {e['ratio']:>10.1f}×{mark}"
        )
    lines.append(f"\ntarget: a district's export ≤ {TARGET:.1f} s.")
    return "\n".join(lines)


def main():
    args = parse_args()
    setup_django("bench/export.py", "jiceng_city", "nothing (it reads; it seeds an empty database)")
    figures = run(args.size, args.repeat, args.district)
    print(json.dumps(figures, indent=1, ensure_ascii=False) if args.json else table(figures))


if __name__ == "__main__":
    main()
