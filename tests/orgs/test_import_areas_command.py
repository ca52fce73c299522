"""`manage.py import_areas FILE [--dry-run] [--json] [--user]`: sets up the tree in bulk,
all-or-nothing, idempotent, with rejected rows reported by their Excel row number."""

import io
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from openpyxl import Workbook

from orgs import tree
from orgs.models import Area

HEADER = ["区划代码", "名称", "层级", "上级代码"]

# Street B grows a second community with a grid; street B itself comes along unchanged.
B_ROWS = [
    ["220104002", "桂林街道", "街道", "220104"],
    ["220104002002", "B2社区", "社区", "220104002"],
    ["220104002002001", "B2第1网格", "网格", "220104002002"],
]


def csv_bytes(rows, encoding="utf-8", header=HEADER):
    text = "\r\n".join(",".join(str(c) for c in row) for row in [header, *rows]) + "\r\n"
    return text.encode(encoding)


def xlsx_bytes(rows, header=HEADER, title=None):
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def write_file(tmp_path):
    def write(data, name="areas.csv"):
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write


def import_areas(path, *args):
    """Run the command; returns (exit code, parsed JSON output)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_areas", str(path), "--json", *args, stdout=out, stderr=err)
    except SystemExit as exit:
        code = exit.code
    else:
        code = 0
    return code, json.loads(out.getvalue())


def area_codes():
    return set(Area.objects.values_list("code", flat=True))


def assert_tree_is_clean():
    report = tree.check()
    assert report.ok, report.problems


def test_json_output_counts_the_rows_and_exit_code_0_means_imported(areas, write_file):
    code, result = import_areas(write_file(csv_bytes(B_ROWS)))

    assert code == 0
    keys = ("rows", "new", "changed", "unchanged", "rejected")  # the JSON object
    assert {key: result[key] for key in keys} == {"rows": 3, "new": 2, "changed": 0, "unchanged": 1, "rejected": []}
    grid = Area.objects.get(code="220104002002001")
    assert (grid.name, grid.level, grid.parent.code) == ("B2第1网格", "grid", "220104002002")
    assert_tree_is_clean()


def test_a_rejected_row_exits_1_and_nothing_is_written(areas, write_file):
    before = area_codes()
    rows = [*B_ROWS, ["220104002003", "B3社区", "社区", "220104009"]]  # unknown parent, row 5

    code, result = import_areas(write_file(csv_bytes(rows)))

    assert code == 1
    assert result["rejected"] == [
        {"row": 5, "column": "上级代码", "reason": "上级代码 220104009 在系统和本文件中都不存在。"}
    ]
    assert area_codes() == before
    assert_tree_is_clean()


def test_dry_run_writes_nothing(areas, write_file):
    before = area_codes()

    code, result = import_areas(write_file(csv_bytes(B_ROWS)), "--dry-run")

    assert code == 0
    assert (result["new"], result["unchanged"]) == (2, 1)
    assert area_codes() == before


def test_dry_run_of_a_file_with_bad_rows_exits_1(areas, write_file):
    code, result = import_areas(write_file(csv_bytes([["220104002003", "B3社区", "社区", "220104009"]])), "--dry-run")

    assert code == 1
    assert [r["row"] for r in result["rejected"]] == [2]


def test_rows_may_come_children_first(areas, write_file):
    rows = [
        ["22010400200200100101", "1单元", "单元", "220104002002001001"],
        ["220104002002001001", "1栋", "楼栋", "220104002002001"],
        ["220104002002001", "B2第1网格", "网格", "220104002002"],
        ["220104002002", "B2社区", "社区", "220104002"],
    ]

    code, result = import_areas(write_file(csv_bytes(rows)))

    assert code == 0, result
    assert result["new"] == 4
    unit = Area.objects.get(code="22010400200200100101")
    assert [a.code for a in unit.breadcrumb()][-4:] == [
        "220104002002",
        "220104002002001",
        "220104002002001001",
        "22010400200200100101",
    ]
    assert_tree_is_clean()


def test_importing_the_same_file_twice_changes_nothing_the_second_time(areas, write_file):
    path = write_file(csv_bytes(B_ROWS))
    assert import_areas(path)[0] == 0
    area_events = apps.get_model("orgs", "AreaEvent")
    events = area_events.objects.count()

    code, result = import_areas(path)

    assert code == 0
    assert (result["new"], result["changed"], result["unchanged"]) == (0, 0, 3)
    assert area_events.objects.count() == events  # not even a no-op update was written
    assert_tree_is_clean()


def test_rural_levels_are_accepted(areas, write_file):
    rows = [
        ["220122", "农安县", "县", "2201"],
        ["220122100", "农安镇", "乡镇", "220122"],
        ["220122100201", "宝塔村", "村", "220122100"],
        ["220122100201001", "东屯", "屯", "220122100201"],
    ]

    code, result = import_areas(write_file(csv_bytes(rows)))

    assert code == 0, result
    levels = dict(Area.objects.filter(code__startswith="220122").values_list("code", "level"))
    assert levels == {
        "220122": "district",
        "220122100": "street",
        "220122100201": "community",
        "220122100201001": "grid",
    }
    assert_tree_is_clean()


def test_a_changed_name_counts_as_changed_and_is_updated(areas, write_file):
    code, result = import_areas(write_file(csv_bytes([["220104002", "桂林路街道", "街道", "220104"]])))

    assert code == 0
    assert (result["new"], result["changed"], result["unchanged"]) == (0, 1, 0)
    assert Area.objects.get(code="220104002").name == "桂林路街道"
    assert_tree_is_clean()


def test_a_different_parent_for_an_existing_code_is_rejected(areas, write_file):
    code, result = import_areas(write_file(csv_bytes([["220104002001", "B1社区", "社区", "220104001"]])))

    assert code == 1
    [rejection] = result["rejected"]
    assert (rejection["row"], rejection["column"]) == (2, "上级代码")
    assert "系统中为 220104002" in rejection["reason"]
    assert Area.objects.get(code="220104002001").parent.code == "220104002"


def test_an_unknown_parent_is_rejected_with_its_excel_row_number(areas, write_file):
    rows = [*B_ROWS, ["220105001", "某街道", "街道", "220105"]]

    code, result = import_areas(write_file(xlsx_bytes(rows), "areas.xlsx"))

    assert code == 1
    assert [(r["row"], r["column"]) for r in result["rejected"]] == [(5, "上级代码")]
    assert "220105" in result["rejected"][0]["reason"]


def test_a_title_row_above_the_header_shifts_the_row_numbers(areas, write_file):
    rows = [*B_ROWS, ["220105001", "某街道", "街道", "220105"]]

    code, result = import_areas(write_file(xlsx_bytes(rows, title="长春市区划表（2024年）"), "areas.xlsx"))

    assert code == 1
    assert [r["row"] for r in result["rejected"]] == [6]


@pytest.mark.parametrize(
    "name, data",
    [
        ("areas.xlsx", xlsx_bytes(B_ROWS)),
        ("areas.csv", csv_bytes(B_ROWS, "utf-8")),
        ("areas.csv", csv_bytes(B_ROWS, "utf-8-sig")),
        ("areas.csv", csv_bytes(B_ROWS, "gbk")),
    ],
    ids=["xlsx", "utf-8", "utf-8-bom", "gbk"],
)
def test_xlsx_and_csv_in_every_encoding_import_the_same(areas, write_file, name, data):
    code, result = import_areas(write_file(data, name))

    assert code == 0, result
    assert (result["rows"], result["new"], result["unchanged"]) == (3, 2, 1)
    assert Area.objects.get(code="220104002002").name == "B2社区"
    assert Area.objects.get(code="220104002002001").name == "B2第1网格"


def test_a_file_rejected_as_a_whole_prints_an_error_and_exits_1(areas, write_file):
    before = area_codes()
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)

    code, result = import_areas(write_file(png, "areas.csv"))

    assert code == 1
    assert set(result) == {"error"}
    assert "无法识别的文件格式" in result["error"]
    assert area_codes() == before


def test_a_file_missing_a_column_is_rejected_as_a_whole(areas, write_file):
    code, result = import_areas(write_file(csv_bytes([["220104002003", "B3社区"]], header=["区划代码", "名称"])))

    assert code == 1
    assert "缺少必需的列：层级" in result["error"]


def test_a_missing_file_is_reported(areas, tmp_path):
    code, result = import_areas(tmp_path / "nowhere.xlsx")

    assert code == 1
    assert "无法读取文件" in result["error"]


def test_as_a_street_cadre_rows_under_another_street_are_rejected(areas, street_a, write_file):
    before = area_codes()
    rows = [
        ["220104001003", "A3社区", "社区", "220104001"],
        ["220104002002", "B2社区", "社区", "220104002"],
    ]

    code, result = import_areas(write_file(csv_bytes(rows)), "--user", "street_a")

    assert code == 1
    assert result["rejected"] == [
        {"row": 3, "column": "区划代码", "reason": "区划 220104002002 不在您可管理的范围内。"}
    ]
    assert area_codes() == before


def test_as_a_street_cadre_rows_within_the_street_are_imported(areas, street_a, write_file):
    code, result = import_areas(
        write_file(csv_bytes([["220104001003", "A3社区", "社区", "220104001"]])), "--user", "street_a"
    )

    assert code == 0, result
    assert Area.objects.get(code="220104001003").parent.code == "220104001"
    assert_tree_is_clean()


def test_a_new_city_with_its_districts_becomes_a_tree_of_its_own(areas, write_file):
    rows = [
        ["220202", "昌邑区", "区", "2202"],
        ["2202", "吉林市", "市", ""],
        ["220202001", "东局子街道", "街道", "220202"],
    ]

    code, result = import_areas(write_file(csv_bytes(rows)))

    assert code == 0, result
    jilin = Area.objects.get(code="2202")
    assert jilin.parent is None
    assert jilin.tree_id != Area.objects.get(code="2201").tree_id
    assert (jilin.lft, jilin.rght) == (1, 6)
    assert_tree_is_clean()


@pytest.mark.usefixtures("any_code_width")
def test_a_code_between_an_existing_area_and_its_children_is_rejected(areas, write_file):
    # 2201040010 extends street A's code, and A1社区 (220104001001) extends it in turn.
    code, result = import_areas(write_file(csv_bytes([["2201040010", "夹层", "社区", "220104001"]])))

    assert code == 1
    [rejection] = result["rejected"]
    assert (rejection["row"], rejection["column"]) == (2, "区划代码")
    assert "已有区划的代码以 2201040010 开头" in rejection["reason"]


def test_a_parent_that_skips_a_longer_existing_prefix_is_rejected(areas, write_file):
    code, result = import_areas(write_file(csv_bytes([["220104001001005", "第5网格", "网格", "220104001"]])))

    assert code == 1
    assert "上级应为 220104001001" in result["rejected"][0]["reason"]


def test_a_child_of_a_rejected_row_is_rejected_too(areas, write_file):
    rows = [
        ["220104002002", "B2社区", "楼栋栋", "220104002"],  # unknown level
        ["220104002002001", "B2第1网格", "网格", "220104002002"],
    ]

    code, result = import_areas(write_file(csv_bytes(rows)))

    assert code == 1
    assert [(r["row"], r["column"]) for r in result["rejected"]] == [(2, "层级"), (3, "上级代码")]


@pytest.mark.usefixtures("any_code_width")
def test_a_level_not_below_the_parents_level_is_rejected(areas, write_file):
    code, result = import_areas(write_file(csv_bytes([["220104002002", "B2", "街道", "220104002"]])))

    assert code == 1
    assert result["rejected"][0]["column"] == "层级"
    assert "“街道”不能位于上级的层级“街道”之下" in result["rejected"][0]["reason"]


def test_an_exact_duplicate_row_is_skipped_and_a_conflicting_one_rejected(areas, write_file):
    row = ["220104002002", "B2社区", "社区", "220104002"]

    code, result = import_areas(write_file(csv_bytes([row, row])))
    assert code == 0, result
    assert (result["new"], result["skipped"]) == (1, 1)

    code, result = import_areas(write_file(csv_bytes([row, [*row[:1], "另一个名字", *row[2:]]]), "again.csv"))
    assert code == 1
    assert result["rejected"][0]["row"] == 3
    assert "与第 2 行的区划代码重复" in result["rejected"][0]["reason"]


@pytest.mark.usefixtures("any_code_width")
def test_changing_the_level_of_an_area_so_that_it_is_not_above_its_children_is_rejected(areas, write_file):
    # A1社区 has grids below it: it cannot become a grid itself.
    code, result = import_areas(write_file(csv_bytes([["220104001001", "A1社区", "网格", "220104001"]])))

    assert code == 1, result
    assert result["rejected"][0]["column"] == "层级"
    assert "不高于下级区划 220104001001001 的层级“网格”" in result["rejected"][0]["reason"]
    assert Area.objects.get(code="220104001001").level == "community"


@pytest.mark.usefixtures("any_code_width")
def test_changing_the_level_of_an_area_so_that_it_is_not_below_its_parent_is_rejected(areas, write_file):
    code, result = import_areas(write_file(csv_bytes([["220104", "朝阳区", "市", "2201"]])))

    assert code == 1, result
    assert result["rejected"][0]["column"] == "层级"
    assert "“市”不能位于上级的层级“市”之下" in result["rejected"][0]["reason"]
    assert Area.objects.get(code="220104").level == "district"


@pytest.mark.usefixtures("any_code_width")
def test_changing_a_level_within_its_parent_and_children_is_accepted(areas, write_file):
    # A2社区 has no children: it may be a grid directly under the street (a level skipped).
    code, result = import_areas(write_file(csv_bytes([["220104001002", "A2网格", "网格", "220104001"]])))

    assert code == 0, result
    assert result["changed"] == 1
    assert Area.objects.get(code="220104001002").level == "grid"


@pytest.mark.usefixtures("any_code_width")
def test_new_rows_are_placed_against_the_level_their_parent_gets_in_the_same_file(areas, write_file):
    rows = [
        ["220104001002", "A2楼", "楼栋", "220104001"],  # a community without children becomes a building
        ["220104001002001", "A2网格", "网格", "220104001002"],  # so a grid cannot go below it
    ]

    code, result = import_areas(write_file(csv_bytes(rows)))

    assert code == 1, result
    assert [(r["row"], r["column"]) for r in result["rejected"]] == [(3, "层级")]
    assert "“网格”不能位于上级的层级“楼栋”之下" in result["rejected"][0]["reason"]
