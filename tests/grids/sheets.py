"""Building roster sheets in the tests themselves, so that each test shows its dirt.

`line(...)` is one data row in the import's fourteen columns; `xlsx_bytes` and `csv_bytes`
write rows under a header (and an optional title row); `make_id` gives valid ID numbers.
"""

import csv
import io

from openpyxl import Workbook

from core.identity import check_character
from core.importing import execute, preview

HEADERS = "区 街道 社区 网格编码 网格名称 楼栋 单元 职务 姓名 性别 联系电话 身份证号 政治面貌 备注".split()

GRID_A1 = "220104001001001"  # 第1网格 of community A1, with building 1 and its unit 1
GRID_A2 = "220104001001002"  # 第2网格 of community A1
GRID_B1 = "220104002001001"  # 第1网格 of street B


def make_id(n, *, gender="男", ends_with_x=False, region="220104"):
    """The n-th valid ID number (GB 11643) of a man or a woman, optionally ending in X."""
    birth = f"19{60 + n % 40:02d}{n % 12 + 1:02d}{n % 28 + 1:02d}"
    for serial in range(1000):
        body = f"{region}{birth}{serial:03d}"
        if (serial % 2 == 1) != (gender == "男"):
            continue
        check = check_character(body)
        if (check == "X") == ends_with_x:
            return body + check
    raise AssertionError("no such ID number")


def woman(n):
    return make_id(n, gender="女")


def with_wrong_check_digit(id_number):
    last = id_number[-1]
    return id_number[:-1] + ("0" if last != "0" else "1")


def line(
    grid,
    post,
    name,
    *,
    phone="",
    id_number="",
    gender="",
    status="",
    building="",
    unit="",
    note="",
    grid_name="",
    district="朝阳区",
    street="前进街道",
    community="A1社区",
):
    """One data row in the order of HEADERS."""
    return [
        district,
        street,
        community,
        grid,
        grid_name,
        building,
        unit,
        post,
        name,
        gender,
        phone,
        id_number,
        status,
        note,
    ]


def xlsx_bytes(rows, *, header=HEADERS, title=None):
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    return save(workbook)


def save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, *, header=HEADERS, encoding="utf-8"):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode(encoding)


def import_sheet(user, data, *, skip_invalid=False):
    """Import through the one import path (core.importing.execute); returns the plan."""
    from grids.importers import RosterImporter

    return execute(RosterImporter(user), data, skip_invalid=skip_invalid)


def preview_sheet(user, data):
    from grids.importers import RosterImporter

    return preview(RosterImporter(user), data)


def counts(plan):
    summary = plan.summary()
    return {key: summary[key] for key in ("rows", "new", "changed", "unchanged", "skipped")}


def rejected(plan):
    """(row, column, reason) of every rejected cell, in row order."""
    return sorted((r.row, r.column, r.reason) for r in plan.rejected)
