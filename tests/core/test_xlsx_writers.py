"""Both xlsx writers of core.spreadsheets (rust: rustpy-xlsxwriter; xlsxwriter: the pure-Python
fallback) give the same cells, read back by python-calamine and openpyxl, with the same number
formats — whether XlsxWriter holds the sheet in memory (shared strings) or writes it row by row."""

import datetime
import decimal
import io
import uuid
import zipfile
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from core import spreadsheets
from core.spreadsheets import write_xlsx

HEADERS = ["名称", "=公式", "整数", "小数", "金额", "是否", "日期", "时刻", "时间", "空", "编号", "链接", "其他"]


def sample_rows(n):
    moment = datetime.datetime(2026, 3, 1, 1, 30, tzinfo=ZoneInfo("UTC"))  # 09:30 in Asia/Shanghai
    for i in range(n):
        yield [
            f"第{i}网格",
            ["=1+1", "+86-139", "-2+3", "@SUM(A1)", "正常", ""][i % 6],
            i - 2,
            i + 0.25,
            decimal.Decimal("12.50"),
            i % 2 == 0,
            datetime.date(2026, 1, 1 + i % 28),
            moment + datetime.timedelta(days=i),
            datetime.time(9, i % 60),
            None,
            f"22010400{i:04d}",  # digits stay text
            "http://example.org",  # text, not a link
            uuid.UUID(int=i),  # anything else: its text
        ]


def cells(data):
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    width = len(sheet[0])
    return [row + [""] * (width - len(row)) for row in sheet]  # calamine may trim empty tails


def formats(data):
    sheet = load_workbook(io.BytesIO(data)).active
    return [
        [(cell.value, cell.data_type, cell.number_format, bool(cell.font.b)) for cell in row]
        for row in sheet.iter_rows()
    ]


@pytest.mark.parametrize("in_memory_rows", [1000, 3], ids=["shared strings", "row by row"])
def test_both_writers_give_the_same_cells_and_formats(monkeypatch, settings, in_memory_rows):
    monkeypatch.setattr(spreadsheets, "IN_MEMORY_ROWS", in_memory_rows)
    rust = write_xlsx(HEADERS, sample_rows(40), sheet_title="名册[2026]", writer="rust")
    python = write_xlsx(HEADERS, sample_rows(40), sheet_title="名册[2026]", writer="xlsxwriter")

    assert cells(rust) == cells(python)
    assert formats(rust) == formats(python)
    inline = [
        b't="inlineStr"' in zipfile.ZipFile(io.BytesIO(d)).read("xl/worksheets/sheet1.xml") for d in (rust, python)
    ]
    assert inline == [True, in_memory_rows == 3]  # XlsxWriter: shared strings up to the bound; Rust: inline


def test_the_cells_are_what_was_written_neutralised_and_in_local_time():
    data = write_xlsx(HEADERS, sample_rows(3), writer="rust")

    header, first, *_ = cells(data)
    assert header[1] == "'=公式"
    assert first[:6] == ["第0网格", "'=1+1", -2.0, 0.25, 12.5, True]
    assert first[6] == datetime.date(2026, 1, 1)
    assert first[7] == datetime.datetime(2026, 3, 1, 9, 30)
    assert first[9:] == ["", "220104000000", "http://example.org", str(uuid.UUID(int=0))]
    day, moment, clock = formats(data)[1][6:9]
    assert (day[2], moment[2], clock[2]) == ("yyyy-mm-dd", "yyyy-mm-dd hh:mm", "hh:mm")
    assert clock[0] == datetime.time(9, 0)
    assert all(bold for *_, bold in formats(data)[0]) and not any(bold for *_, bold in formats(data)[1])


def test_a_short_row_leaves_its_last_cells_empty_and_the_header_whole():
    data = write_xlsx(["甲", "乙", "丙"], [["一"], ["二", "三", "四"]], writer="rust")

    assert cells(data)[:3] == [["甲", "乙", "丙"], ["一", "", ""], ["二", "三", "四"]]


def test_a_date_first_met_past_the_rows_held_is_still_a_date_shown_as_a_moment(monkeypatch):
    monkeypatch.setattr(spreadsheets, "KIND_ROWS", 1)  # the column's kind is read from the first row only
    data = write_xlsx(["甲", "日期"], [["一", None], ["二", datetime.date(2026, 1, 2)]], writer="rust")

    assert cells(data)[2][1] in (datetime.date(2026, 1, 2), datetime.datetime(2026, 1, 2))
    assert formats(data)[2][1][2] == "yyyy-mm-dd hh:mm"


@pytest.mark.parametrize(
    ("headers", "rows"), [(["甲", "甲"], [["一", "二"]]), (["甲"], [])], ids=["a header twice", "no rows"]
)
def test_what_the_rust_writer_cannot_carry_is_written_by_xlsxwriter_with_the_same_cells(headers, rows):
    data = write_xlsx(headers, rows, writer="rust")

    assert cells(data) == cells(write_xlsx(headers, rows, writer="xlsxwriter"))
    assert cells(data)[0][: len(headers)] == headers


def test_the_setting_chooses_the_writer_and_a_wrong_name_is_refused(settings, monkeypatch):
    used = []
    for name in ("_write_rust", "_write_xlsxwriter"):
        real = getattr(spreadsheets, name)
        monkeypatch.setattr(spreadsheets, name, lambda *a, real=real, name=name: used.append(name) or real(*a))

    settings.XLSX_WRITER = "xlsxwriter"
    python = write_xlsx(["甲"], [["一"]])
    settings.XLSX_WRITER = "rust"
    rust = write_xlsx(["甲"], [["一"]])

    assert used == ["_write_xlsxwriter", "_write_rust"]
    assert cells(rust) == cells(python) == [["甲"], ["一"]]
    with pytest.raises(ValueError):
        write_xlsx(["甲"], [["一"]], writer="openpyxl")
