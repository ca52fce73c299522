"""Issue 15, item 20: a "complete roster" sheet relieves only in grids whose every row passed. A grid
with a rejected row is not complete: nobody there is relieved, and the preview says which grids were
left untouched and why."""

from grids.importers import RosterImporter
from grids.models import HeadAssignment

from .sheets import GRID_A1, GRID_A2, csv_bytes, line


def complete(user):
    return RosterImporter(user, {"complete": True})


def test_a_grid_whose_own_row_was_rejected_relieves_nobody_even_when_the_valid_rows_are_imported(cast_roster, street_a):
    from core.importing import execute

    # Grid A1 holds 张伟 (head), 陈静 (worker), 王芳 (building 1) and 李娜 (unit 1). The sheet lists
    # 张伟 and 王芳, and 陈静 with a phone number that does not pass: 陈静's row is rejected.
    sheet = csv_bytes(
        [
            line(GRID_A1, "网格长", "张伟", phone="13912345678"),
            line(GRID_A1, "网格员", "陈静", phone="1390000"),
            line(GRID_A1, "楼栋长", "王芳", phone="13900000002", building="1栋"),
        ]
    )

    plan = execute(complete(street_a), sheet, skip_invalid=True)

    assert [r.row for r in plan.rejected] == [3]
    assert plan.relieved == []
    current = HeadAssignment.objects.current().filter(area__code__startswith=GRID_A1)
    assert sorted(current.values_list("person__name", flat=True)) == ["张伟", "李娜", "王芳", "陈静"]


def test_the_preview_names_the_grids_left_untouched_and_the_rows_that_kept_them_so(cast_roster, street_a):
    from core.importing import preview

    # Grid A2 (孙丽, worker) is complete and listed without 孙丽: she is relieved. Grid A1 has a
    # rejected row: nobody there is.
    sheet = csv_bytes(
        [
            line(GRID_A1, "网格长", "张伟", phone="13912345678"),
            line(GRID_A1, "网格员", "陈静", phone="1390000"),
            line(GRID_A2, "网格员", "周敏", phone="13900000099"),
        ]
    )

    summary = preview(complete(street_a), sheet).summary()

    assert [r["name"] for r in summary["relieved"]] == ["孙丽"]
    assert summary["notes"] == ["A1社区第1网格有未通过校验的行（第 3 行），不算完整名册：本次不离任该网格的任何人。"]


def test_a_rejected_row_whose_grid_cannot_be_told_keeps_every_grid_untouched(cast_roster, street_a):
    from core.importing import preview

    sheet = csv_bytes(
        [
            line(GRID_A2, "网格员", "周敏", phone="13900000099"),
            line("22010400100100X", "网格员", "陈静", phone="13900000005"),
        ]
    )

    summary = preview(complete(street_a), sheet).summary()

    assert summary["relieved"] == []
    assert summary["notes"] == ["第 3 行的网格编码无法识别，无法确定它属于哪个网格：本次不按完整名册离任任何人。"]
