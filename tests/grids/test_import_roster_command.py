"""`manage.py import_roster FILE [--dry-run] [--skip-invalid] [--json]`: the browser's rules
on the command line. Any rejected row writes nothing and exits 1 unless --skip-invalid;
--dry-run writes nothing; a file refused as a whole prints {"error": …} and exits 1."""

import io
import json
import re
import zipfile

import pytest
from django.core.management import call_command

from .sheets import GRID_A1, GRID_A2, csv_bytes, line, make_id, xlsx_bytes

GOOD_ROWS = [
    line(GRID_A1, "网格长", "张伟", phone="13904310001", id_number=make_id(1), status="中共党员"),
    line(GRID_A1, "楼栋长", "李娜", building="1号楼", phone="13904310002", id_number=make_id(2, gender="女")),
    line(GRID_A2, "专职网格员", "王强", phone="13904310003"),
]
BAD_PHONE_ROW = line(GRID_A2, "十联户长", "陈静", phone="1390431", id_number=make_id(5, gender="女"))
KEYS = {"rows", "new", "changed", "unchanged", "skipped", "rejected", "warnings", "message", "relieved"}
KEYS |= {"relieved_count", "notes", "details"}  # issue 15: what each row changes, row by row


@pytest.fixture
def write_file(tmp_path):
    def write(data, name="花名册.xlsx"):
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write


def import_roster(path, *args):
    """Run the command; returns (exit code, stdout, parsed JSON of stdout)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_roster", str(path), "--json", *args, stdout=out, stderr=err)
    except SystemExit as exit:
        code = exit.code
    else:
        code = 0
    return code, out.getvalue(), json.loads(out.getvalue())


def test_json_prints_exactly_one_object_with_the_counts(areas, write_file, roster_state):
    code, out, result = import_roster(write_file(xlsx_bytes(GOOD_ROWS, title="花名册")))

    assert code == 0
    assert len(out.strip().splitlines()) == 1
    assert set(result) == KEYS
    assert [entry["row"] for entry in result.pop("details")["new"]] == [3, 4, 5]
    assert result == {
        "rows": 3,
        "new": 3,
        "changed": 0,
        "unchanged": 0,
        "skipped": 0,
        "rejected": [],
        "warnings": [],
        "message": "",
        "relieved": [],
        "relieved_count": 0,
        "notes": [],
    }
    assert len(roster_state()["posts"]) == 3


def test_the_same_file_again_is_all_unchanged(areas, write_file):
    path = write_file(xlsx_bytes(GOOD_ROWS))
    import_roster(path)

    code, _, result = import_roster(path)

    assert code == 0
    assert (result["new"], result["changed"], result["unchanged"]) == (0, 0, 3)


def test_a_rejected_row_exits_1_and_nothing_is_written(areas, write_file, roster_state):
    before = roster_state()

    code, _, result = import_roster(write_file(xlsx_bytes([*GOOD_ROWS, BAD_PHONE_ROW], title="花名册")))

    assert code == 1
    assert set(result) == KEYS
    assert result["rejected"] == [
        {"row": 6, "column": "联系电话", "reason": "联系电话“1390431”应为11位手机号或带区号的固定电话。"}
    ]
    assert roster_state() == before


def test_skip_invalid_writes_the_valid_rows_and_exits_0(areas, write_file):
    code, _, result = import_roster(write_file(xlsx_bytes([*GOOD_ROWS, BAD_PHONE_ROW])), "--skip-invalid")

    assert code == 0
    assert (result["rows"], result["new"], [r["row"] for r in result["rejected"]]) == (4, 3, [5])
    from grids.models import Person

    assert sorted(Person.objects.values_list("name", flat=True)) == ["张伟", "李娜", "王强"]


def test_dry_run_writes_nothing(areas, write_file, roster_state):
    before = roster_state()

    code, _, result = import_roster(write_file(csv_bytes(GOOD_ROWS), "花名册.csv"), "--dry-run")

    assert code == 0
    assert result["new"] == 3
    assert roster_state() == before


def test_dry_run_of_a_file_with_bad_rows_exits_1_and_writes_nothing(areas, write_file, roster_state):
    before = roster_state()

    code, _, result = import_roster(write_file(xlsx_bytes([*GOOD_ROWS, BAD_PHONE_ROW])), "--dry-run")

    assert code == 1
    assert [r["row"] for r in result["rejected"]] == [5]
    assert roster_state() == before


def test_without_json_the_summary_is_a_sentence_and_the_bad_rows_go_to_stderr(areas, write_file):
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(SystemExit) as exit:
        call_command("import_roster", str(write_file(xlsx_bytes([*GOOD_ROWS, BAD_PHONE_ROW]))), stdout=out, stderr=err)

    assert exit.value.code == 1
    assert "新增 3" in out.getvalue() and "未通过 1 行" in out.getvalue()
    assert "第 5 行 [联系电话]" in err.getvalue() and "未写入任何数据" in err.getvalue()


# --- files refused as a whole ----------------------------------------------------------------


def rewrite(xlsx, member, change):
    """The xlsx with one member of its zip changed by `change(bytes) -> bytes`."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info.filename, change(data) if info.filename == member else data)
    return buffer.getvalue()


def zip_bomb():
    """A real xlsx whose sheet is padded with 50 MB of spaces: it packs a thousand to one."""
    padding = b" " * (50 * 1024 * 1024)
    return rewrite(
        xlsx_bytes(GOOD_ROWS),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"<sheetData>", padding + b"<sheetData>"),
    )


def a_million_rows():
    """Three rows, but the sheet declares A1:N1000000 in its <dimension>."""

    def declare(xml):
        declared, n = re.subn(rb'<dimension ref="A1:N4" ?/>', b'<dimension ref="A1:N1000000"/>', xml)
        assert n == 1
        return declared

    return rewrite(xlsx_bytes(GOOD_ROWS), "xl/worksheets/sheet1.xml", declare)


def a_word_document():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document>花名册</document>")
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def missing_columns():
    return xlsx_bytes([["220104001001001", "张伟"]], header=["网格编码", "姓名"])


REFUSED = {  # what the file is → (how to make it, the message)
    "a picture": (lambda: PNG, "无法识别的文件格式：请上传 Excel（.xlsx）或 CSV 文件。"),
    "a word document": (a_word_document, "这不是 Excel 表格文件（.xlsx）。"),
    "a broken xlsx": (lambda: xlsx_bytes(GOOD_ROWS)[:2000], "文件已损坏，无法作为 Excel 文件打开。"),
    "missing columns": (missing_columns, "缺少必需的列：职务。请使用导入模板的表头。"),
    "an empty file": (lambda: b"", "文件是空的。"),
    "a header without rows": (lambda: xlsx_bytes([]), "表格中没有数据行。"),
    "no header at all": (
        lambda: csv_bytes([["1", "2"]], header=["甲", "乙"]),
        "缺少必需的列：网格编码、职务、姓名。请使用导入模板的表头。",
    ),
    "a zip bomb": (zip_bomb, "文件解压后异常庞大（疑似压缩炸弹），已拒绝。"),
    "a million rows declared": (
        a_million_rows,
        "表格声明了 1000000 行，超过单次导入上限 300000 行，请拆分后分批导入。",
    ),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_file_refused_as_a_whole_prints_an_error_and_exits_1(case, areas, write_file, roster_state, settings):
    settings.IMPORT_MAX_ROWS = 300_000
    make, message = REFUSED[case]
    data = make()
    before = roster_state()

    code, out, result = import_roster(write_file(data))

    assert code == 1
    assert result == {"error": message}
    assert len(out.strip().splitlines()) == 1
    assert roster_state() == before


def test_the_zip_bomb_is_small_on_disk():
    assert len(zip_bomb()) < 200 * 1024


def test_a_file_over_the_size_limit_is_refused(areas, write_file, roster_state, settings):
    settings.IMPORT_MAX_BYTES = 4096
    data = xlsx_bytes(
        [*GOOD_ROWS] + [line(GRID_A2, "十联户长", f"住户{n}", phone=f"1390432{n:04d}") for n in range(200)]
    )
    assert len(data) > 4096
    before = roster_state()

    code, _, result = import_roster(write_file(data))

    assert code == 1
    assert result["error"].startswith("文件大小") and result["error"].endswith("超过上限 0 MB，请拆分后分批导入。")
    assert roster_state() == before


def test_a_missing_file_is_an_error_too(areas, tmp_path):
    code, _, result = import_roster(tmp_path / "不存在.xlsx")

    assert code == 1
    assert result == {"error": "无法读取文件：No such file or directory"}
