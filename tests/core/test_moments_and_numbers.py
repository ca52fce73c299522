"""core.spreadsheets' readings of a moment (hotline exports: Excel serials and the text forms offices
write) and of digits a spreadsheet kept as a number (phones, case numbers)."""

import datetime

import pytest

from core.spreadsheets import number_text, parse_moment

MOMENT = datetime.datetime(2026, 11, 3, 14, 5)


@pytest.mark.parametrize(
    "text",
    [
        "2026年11月3日 14:05",
        "2026年11月3日14时05分",
        "2026-11-03 14:05:00",
        "2026-11-03T14:05",
        "2026/11/3 14:05",
        "2026.11.3 14:05",
        "2026-11-03 14:05:00.000001",  # calamine's own date cells
        "46329.5868055556",  # the Excel serial of the same minute
    ],
)
def test_a_moment_in_each_form_offices_write_it(text):
    assert parse_moment(text) == MOMENT


def test_a_date_alone_is_its_midnight_and_an_empty_cell_is_none():
    assert parse_moment("2026-11-03") == datetime.datetime(2026, 11, 3)
    assert parse_moment("  ") is None


@pytest.mark.parametrize("text", ["2026", "前天下午", "2026-13-01 10:00", "2026-11-03 25:00", "12345"])
def test_what_is_no_moment_is_refused_in_chinese(text):
    with pytest.raises(ValueError, match="无法识别"):
        parse_moment(text)


@pytest.mark.parametrize(
    ("text", "digits"),
    [("13800001111.0", "13800001111"), ("1.3800001111E+10", "13800001111"), ("0431-88881234", "0431-88881234")],
)
def test_digits_kept_as_a_number_come_back_as_text(text, digits):
    assert number_text(text) == digits
