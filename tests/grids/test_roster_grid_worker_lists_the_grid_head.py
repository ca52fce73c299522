"""Issue 15, item 20, where it began: a grid worker's own export lists the grid head, whom only the
community appoints. That row, unchanged, is no appointment: it passes as unchanged — so the grid
worker's complete roster is complete, and relieves whom it leaves out — while a sheet that would
appoint, replace or change the grid head is still refused."""

from core.importing import preview
from grids.importers import RosterImporter

from .sheets import GRID_A1, csv_bytes, line, rejected

HEAD = dict(phone="13912345678", status="中共党员", gender="男")


def rows_of_grid_a1(id_number, **head):
    return [
        line(GRID_A1, "网格长", "张伟", id_number=id_number(1), **{**HEAD, **head}),
        line(GRID_A1, "专职网格员", "陈静", phone="13900000005", status="共青团员"),
        line(GRID_A1, "楼栋长", "王芳", phone="13900000002", building="1栋", status="群众"),
    ]


def test_the_grid_head_listed_as_on_record_passes_unchanged_in_a_grid_workers_sheet(cast_roster, grid_a1, id_number):
    cast_roster["张伟"].gender = "male"
    cast_roster["张伟"].save()

    plan = preview(RosterImporter(grid_a1), csv_bytes(rows_of_grid_a1(id_number)))

    assert rejected(plan) == []
    assert plan.summary()["unchanged"] == 3


def test_a_grid_workers_complete_roster_relieves_whom_it_leaves_out_but_not_the_grid_head(
    cast_roster, grid_a1, id_number
):
    cast_roster["张伟"].gender = "male"
    cast_roster["张伟"].save()

    plan = preview(RosterImporter(grid_a1, {"complete": True}), csv_bytes(rows_of_grid_a1(id_number)))

    assert rejected(plan) == [] and plan.notes == []
    assert [(r["name"], r["post"]) for r in plan.relieved] == [("李娜", "单元长")]


def test_a_grid_workers_sheet_still_cannot_change_the_grid_heads_record(cast_roster, grid_a1, id_number):
    plan = preview(RosterImporter(grid_a1), csv_bytes(rows_of_grid_a1(id_number, phone="13600000000")))

    assert [(row, column) for row, column, _ in rejected(plan)] == [(2, "职务")]
    assert "网格长由社区任免" in rejected(plan)[0][2]
