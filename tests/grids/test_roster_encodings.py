"""The same roster saved as CSV in UTF-8, in UTF-8 with a BOM (Excel's "CSV UTF-8") and in GBK
(what Chinese Excel saves as plain "CSV") imports identically, and as the same sheet."""

import pytest

from grids.models import HeadAssignment

from .sheets import GRID_A1, GRID_A2, counts, csv_bytes, import_sheet, line, make_id, woman

ENCODINGS = ["utf-8", "utf-8-sig", "gbk"]
ZHANG, LI, OUYANG, LV = make_id(1), woman(2), make_id(3, gender="女", ends_with_x=True), make_id(4)
ROWS = [
    line(GRID_A1, "网格长", "张伟", gender="男", phone="13904310001", id_number=ZHANG, status="中共党员"),
    line(
        GRID_A1,
        "兼职网格员",
        "李娜",
        phone=" １３９０４３１０００２ ",
        id_number=LI,
        status="团员",
        note="（兼）志愿者",
    ),
    line(GRID_A1, "楼栋长", "欧阳娟", building="２号楼", phone="13904310003", id_number=OUYANG.lower(), status="群众"),
    line(
        GRID_A1,
        "单元长",
        "吕德明",
        building="2栋",
        unit="一单元",
        phone="0431-88881234",
        id_number=LV,
        status="预备党员",
    ),
    line(GRID_A2, "十联户长", "龚凤英", phone="13904310005", status="党员", note="负责“幸福里”1—10户"),
]
EXPECTED = {  # name, gender, phone, ID number, political status, area, post, employment, note
    ("张伟", "male", "13904310001", ZHANG, "party_member", GRID_A1, "grid_head", "", ""),
    ("李娜", "female", "13904310002", LI, "league_member", GRID_A1, "grid_worker", "part_time", "(兼)志愿者"),
    ("欧阳娟", "female", "13904310003", OUYANG, "masses", f"{GRID_A1}002", "building_head", "", ""),
    ("吕德明", "male", "0431-88881234", LV, "probationary", f"{GRID_A1}00201", "unit_head", "", ""),
    ("龚凤英", "", "13904310005", "", "party_member", GRID_A2, "ten_household_head", "", "负责“幸福里”1—10户"),
}


def imported():
    return set(
        HeadAssignment.objects.values_list(
            "person__name",
            "person__gender",
            "person__phone",
            "person__id_number",
            "person__political_status",
            "area__code",
            "post",
            "employment",
            "note",
        )
    )


def test_the_gbk_file_is_not_utf_8():
    data = csv_bytes(ROWS, encoding="gbk")

    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert csv_bytes(ROWS, encoding="utf-8-sig").startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_csv_file_imports_in_each_encoding(encoding, street_a, areas):
    plan = import_sheet(street_a, csv_bytes(ROWS, encoding=encoding))

    assert plan.rejected == []
    assert counts(plan) == {"rows": 5, "new": 5, "changed": 0, "unchanged": 0, "skipped": 0}
    assert imported() == EXPECTED


def test_the_three_encodings_are_the_same_sheet(street_a, areas, roster_state):
    import_sheet(street_a, csv_bytes(ROWS, encoding="utf-8"))
    before = roster_state()

    for encoding in ("utf-8-sig", "gbk"):
        plan = import_sheet(street_a, csv_bytes(ROWS, encoding=encoding))

        assert counts(plan) == {"rows": 5, "new": 0, "changed": 0, "unchanged": 5, "skipped": 0}, encoding
    assert roster_state() == before
