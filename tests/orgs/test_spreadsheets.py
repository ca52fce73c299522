"""core.spreadsheets: reading the sheets cadres keep, refusing malicious or broken files with a
Chinese reason, and writing xlsx that a spreadsheet will not run as formulas."""

import datetime
import io
import random
import re
import struct
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from core.spreadsheets import (
    MAX_COMPRESSION_RATIO,
    Column,
    FileRejected,
    clean_text,
    read_table,
    write_xlsx,
)
from orgs.importers import AreaImporter

COLUMNS = AreaImporter.columns
PEOPLE = (Column("name", "姓名"), Column("phone", "手机号", ("联系电话",)), Column("area", "网格", required=False))
HEADER = ["区划代码", "名称", "层级", "上级代码"]
ROW = ["220104001003", "A3社区", "社区", "220104001"]
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def xlsx_bytes(*rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(*rows, encoding="utf-8"):
    return "".join(",".join(map(str, row)) + "\r\n" for row in rows).encode(encoding)


def rejected(data, columns=COLUMNS, **limits):
    with pytest.raises(FileRejected) as excinfo:
        read_table(data, columns, **limits)
    message = str(excinfo.value)
    assert CHINESE.search(message), message
    return message


def rezip(data, replace):
    """The same zip with some members' bytes replaced: replace(name, bytes) → bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace(info.filename, source.read(info.filename)))
    return buffer.getvalue()


# --- reading ------------------------------------------------------------------------------------


def test_a_title_row_above_the_header_is_skipped_and_row_numbers_stay_excels():
    table = read_table(xlsx_bytes(["长春市朝阳区区划表"], [], HEADER, ROW), COLUMNS)

    assert table.header_row == 3
    [row] = table.rows
    assert row.number == 4
    assert row.values == {"code": "220104001003", "name": "A3社区", "level": "社区", "parent_code": "220104001"}


@pytest.mark.parametrize(
    "header",
    [
        ["行政区划代码", "区划名称", "级别", "上级区划代码"],
        [" 区划代码 * ", "名称*", "＊层级", "上级 代码"],
        ["区划代码：", "名　称", "（层级）", "上级代码"],
        ["【区划编码】", "名称", "层级", "父级代码"],
    ],
    ids=["aliases", "spaces-and-asterisks", "full-width", "brackets"],
)
def test_header_variants_are_recognised(header):
    table = read_table(xlsx_bytes(header, ROW), COLUMNS)

    assert [c.key for c in table.columns] == ["code", "name", "level", "parent_code"]
    assert table.rows[0]["code"] == "220104001003"
    assert table.rows[0]["parent_code"] == "220104001"


def test_columns_may_come_in_any_order_and_an_optional_column_may_be_missing():
    table = read_table(xlsx_bytes(["层级", "名称", "区划代码"], ["社区", "A3社区", "220104001003"]), COLUMNS)

    assert table.rows[0].values == {"code": "220104001003", "name": "A3社区", "level": "社区"}
    assert table.rows[0]["parent_code"] == ""


def test_a_phone_stored_as_a_number_comes_back_without_a_decimal_point():
    table = read_table(xlsx_bytes(["姓名", "联系电话"], ["张三", 13912345678], ["李四", 13812345678.0]), PEOPLE)

    assert [row["phone"] for row in table.rows] == ["13912345678", "13812345678"]


def test_a_code_stored_as_a_number_comes_back_as_its_digits():
    table = read_table(xlsx_bytes(HEADER, [220104001003, "A3社区", "社区", 220104001]), COLUMNS)

    assert (table.rows[0]["code"], table.rows[0]["parent_code"]) == ("220104001003", "220104001")


def test_full_width_digits_and_stray_spaces_are_normalised():
    table = read_table(
        csv_bytes(HEADER, ["２２０１０４００１００３", "  A3　社区 ", "社区", "２２０１０４００１"]), COLUMNS
    )

    assert table.rows[0].values == {
        "code": "220104001003",
        "name": "A3 社区",
        "level": "社区",
        "parent_code": "220104001",
    }


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_is_read_in_utf8_utf8_with_bom_and_gbk(encoding):
    table = read_table(csv_bytes(HEADER, ROW, encoding=encoding), COLUMNS)

    assert table.rows[0]["name"] == "A3社区"
    assert table.rows[0].number == 2


# --- refusals --------------------------------------------------------------------------------------


def test_a_png_is_refused():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(100)

    assert "无法识别的文件格式" in rejected(png)


def test_random_binary_is_refused():
    rejected(random.Random(2201).randbytes(4096))


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "不是表格")

    assert "这不是 Excel 表格文件" in rejected(buffer.getvalue())


def test_a_truncated_xlsx_is_refused():
    rejected(xlsx_bytes(HEADER, ROW)[:600])


def test_a_file_missing_required_columns_is_refused():
    message = rejected(xlsx_bytes(["区划代码", "名称", "备注"], ["220104001003", "A3社区", ""]))

    assert "缺少必需的列：层级" in message


def test_a_file_without_any_recognisable_header_is_refused():
    assert "缺少必需的列" in rejected(csv_bytes(["序号", "备注"], ["1", "无"]))


def test_an_empty_file_is_refused():
    assert "文件是空的" in rejected(b"")


def test_a_file_with_only_a_header_is_refused():
    assert "没有数据行" in rejected(xlsx_bytes(HEADER))
    assert "没有数据行" in rejected(csv_bytes(HEADER, ["", "", "", ""]))


def test_a_file_larger_than_the_limit_is_refused():
    data = csv_bytes(HEADER, *[ROW] * 100)

    assert "超过上限" in rejected(data, max_bytes=1024)
    assert read_table(data, COLUMNS, max_bytes=len(data)).rows


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = bytes(1024 * 1024)
            for _ in range(50):  # 50 MB of zeros: ~1000:1
                sheet.write(chunk)
    data = buffer.getvalue()
    assert 50 * 1024 * 1024 / len(data) > MAX_COMPRESSION_RATIO

    assert "压缩炸弹" in rejected(data)


def patch_member(data, name, patch):
    """The zip `data` with the local header and compressed bytes of member `name` patched
    in place: patch(bytearray of the whole file, header offset, data offset, info)."""
    data = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(name)
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    patch(data, info.header_offset, info.header_offset + 30 + name_length + extra_length, info)
    return bytes(data)


def test_a_sheet_lying_about_its_unpacked_size_is_refused():
    def declare_10_bytes(data, header, start, info):
        data[header + 22 : header + 26] = struct.pack("<I", 10)
        entry = data.find(b"PK\x01\x02")
        while entry != -1:
            (name_length,) = struct.unpack("<H", data[entry + 28 : entry + 30])
            if data[entry + 46 : entry + 46 + name_length] == info.filename.encode():
                data[entry + 24 : entry + 28] = struct.pack("<I", 10)
            entry = data.find(b"PK\x01\x02", entry + 4)

    data = patch_member(xlsx_bytes(HEADER, ROW), "xl/worksheets/sheet1.xml", declare_10_bytes)
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml").file_size == 10

    assert "文件已损坏" in rejected(data)


def test_a_sheet_with_a_corrupted_compressed_stream_is_refused():
    def scramble(data, header, start, info):
        data[start : start + info.compress_size] = random.Random(2201).randbytes(info.compress_size)

    data = patch_member(xlsx_bytes(HEADER, ROW), "xl/worksheets/sheet1.xml", scramble)

    assert "文件已损坏" in rejected(data)


def test_a_sheet_declaring_a_million_rows_is_refused():
    def declare_a_million_rows(name, content):
        if name.startswith("xl/worksheets/"):
            content, n = re.subn(rb'<dimension ref="A1:D\d+"', b'<dimension ref="A1:D1000000"', content)
            assert n == 1
        return content

    data = rezip(xlsx_bytes(HEADER, ROW), declare_a_million_rows)

    assert "声明了 1000000 行" in rejected(data)


def test_a_csv_with_too_many_rows_is_refused():
    data = csv_bytes(HEADER, *[ROW] * 30)

    assert "超过单次导入上限 5 行" in rejected(data, max_rows=5)
    assert len(read_table(data, COLUMNS, max_rows=30).rows) == 30


def test_an_xlsx_with_too_many_rows_is_refused():
    data = xlsx_bytes(HEADER, *[ROW] * 30)

    assert "超过单次导入上限 5 行" in rejected(data, max_rows=5)


# --- writing ------------------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example","点击")', "+86-139", "-2+3", "@SUM(A1:A2)"]


def test_write_xlsx_neutralises_cells_a_spreadsheet_would_run_as_formulas():
    data = write_xlsx(["名称", "备注"], [[text, "正常文本"] for text in FORMULAS] + [[-5, 3.5]])

    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(min_row=2))
    for text, (cell, plain) in zip(FORMULAS, rows, strict=False):
        assert cell.value == "'" + text
        assert cell.data_type == "s"
        assert plain.value == "正常文本"
    numbers = rows[-1]
    assert (numbers[0].value, numbers[1].value) == (-5, 3.5)  # numbers are not text


def test_a_formula_in_a_header_is_neutralised_too():
    sheet = load_workbook(io.BytesIO(write_xlsx(["=1+1"], []))).active

    assert sheet["A1"].value == "'=1+1"
    assert sheet["A1"].data_type == "s"


def test_clean_text_strips_the_neutralising_apostrophe():
    for text in FORMULAS:
        assert clean_text("'" + text) == text
    assert clean_text("'普通文本") == "'普通文本"  # only our own apostrophe is taken away


def test_export_then_import_round_trips_the_original_text():
    rows = [["22010400100" + str(n), text, "社区", "220104001"] for n, text in enumerate(FORMULAS, 1)]

    table = read_table(write_xlsx(HEADER, rows), COLUMNS)

    assert [row["name"] for row in table.rows] == FORMULAS
    assert [row["code"] for row in table.rows] == [r[0] for r in rows]


def test_write_xlsx_keeps_links_long_digits_dates_and_moments_as_they_are():
    from zoneinfo import ZoneInfo

    moment = datetime.datetime(2026, 3, 1, 1, 30, tzinfo=ZoneInfo("UTC"))  # 09:30 in Asia/Shanghai
    row = ["http://example.org", "220104001001", datetime.date(2026, 1, 2), moment, None, True]

    sheet = load_workbook(io.BytesIO(write_xlsx(list("ABCDEF"), [row], sheet_title="名册[2026]/一季度"))).active

    link, code, day, when, empty, flag = (cell for cell in next(sheet.iter_rows(min_row=2)))
    assert (link.value, link.hyperlink) == ("http://example.org", None)  # text, not a link
    assert (code.value, code.data_type) == ("220104001001", "s")  # a code is not a number
    assert day.value == datetime.datetime(2026, 1, 2) and day.number_format == "yyyy-mm-dd"
    assert when.value == datetime.datetime(2026, 3, 1, 9, 30) and when.number_format == "yyyy-mm-dd hh:mm"
    assert (empty.value, flag.value) == (None, True)
    assert sheet.title == "名册_2026__一季度"  # characters Excel forbids in a sheet name are replaced


def test_write_xlsx_writes_a_lazy_translation_or_any_other_value_as_its_text():
    import uuid

    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    key = uuid.UUID(int=7)
    row = [gettext_lazy("市"), mark_safe("=安全"), key, datetime.time(9, 30)]

    sheet = load_workbook(io.BytesIO(write_xlsx(list("ABCD"), [row]))).active

    cells = next(sheet.iter_rows(min_row=2))
    assert [cell.value for cell in cells] == ["市", "'=安全", str(key), datetime.time(9, 30)]
    assert cells[3].number_format == "hh:mm"


@pytest.mark.parametrize("in_memory_rows", [1000, 2], ids=["shared strings", "constant memory"])
def test_write_xlsx_writes_the_same_cells_in_memory_and_row_by_row(monkeypatch, in_memory_rows):
    """Up to IN_MEMORY_ROWS rows the sheet is built in memory with shared strings, beyond it row by
    row: a reader gets the same cells either way."""
    from core import spreadsheets

    monkeypatch.setattr(spreadsheets, "IN_MEMORY_ROWS", in_memory_rows)
    rows = [["第1网格", "=1+1", 7, datetime.date(2026, 1, 2), None, "第1网格"] for _ in range(5)]

    data = write_xlsx(list("ABCDEF"), rows, writer="xlsxwriter")  # the Rust writer is always row by row

    inline = b't="inlineStr"' in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert inline == (in_memory_rows == 2)
    sheet = load_workbook(io.BytesIO(data)).active
    assert [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)] == [
        ["第1网格", "'=1+1", 7, datetime.datetime(2026, 1, 2), None, "第1网格"]
    ] * 5
