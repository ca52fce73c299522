"""A roster import is scoped and atomic: a community cadre cannot write outside their
community by naming another community's codes; any rejected row, a database failure in the
middle of writing or a killed process leaves nothing written; and cells that look like
formulas are stored as text and neutralised on export."""

import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from openpyxl import Workbook, load_workbook

from core.importing import ImportRejected
from grids.models import HeadAssignment, Person
from orgs import tree
from orgs.models import Area
from tests import helpers

from .sheets import GRID_A1, GRID_A2, GRID_B1, counts, csv_bytes, import_sheet, line, make_id, save, xlsx_bytes

PROJECT = Path(__file__).resolve().parents[2]
OUT_OF_SCOPE = "网格 220104002001001 不在您的管辖范围内。"


def community_sheet(*extra):
    """Community A1's roster, with `extra` rows after its two rows."""
    return xlsx_bytes(
        [
            line(GRID_A1, "网格长", "张伟", phone="13904310001", id_number=make_id(1), building=""),
            line(GRID_A2, "楼栋长", "李娜", building="2栋", phone="13904310002", id_number=make_id(2, gender="女")),
            *extra,
        ],
        title="A1社区网格人员",
    )


STREET_B_ROW = line(
    GRID_B1, "网格长", "王强", phone="13904310003", id_number=make_id(3), street="桂林街道", community="B1社区"
)


def written():
    return Person.objects.count(), HeadAssignment.objects.count(), Area.objects.count()


def test_a_row_naming_another_streets_grid_is_rejected_for_a_community_cadre(community_a1, areas, roster_state):
    before = roster_state()

    with pytest.raises(ImportRejected) as refused:
        import_sheet(community_a1, community_sheet(STREET_B_ROW))

    assert [(r.row, r.column, r.reason) for r in refused.value.plan.rejected] == [(5, "网格编码", OUT_OF_SCOPE)]
    assert roster_state() == before  # nothing written: not even the two rows of community A1


def test_the_same_row_is_refused_in_the_preview(community_a1, areas):
    from .sheets import preview_sheet

    plan = preview_sheet(community_a1, community_sheet(STREET_B_ROW))

    assert plan.summary()["rejected"] == [{"row": 5, "column": "网格编码", "reason": OUT_OF_SCOPE}]
    assert counts(plan)["new"] == 2


def test_a_grid_of_another_community_of_the_same_street_is_out_of_scope_too(community_a1, areas):
    other_community = line("220104001002001", "网格长", "王强", phone="13904310003", community="A2社区")

    with pytest.raises(ImportRejected) as refused:
        import_sheet(community_a1, community_sheet(other_community))

    assert [r.reason for r in refused.value.plan.rejected] == ["网格 220104001002001 不在您的管辖范围内。"]


def test_with_skip_invalid_only_the_rows_in_scope_are_written(community_a1, areas):
    plan = import_sheet(community_a1, community_sheet(STREET_B_ROW), skip_invalid=True)

    assert counts(plan)["new"] == 2 and plan.rejected_rows == [5]
    assert set(HeadAssignment.objects.values_list("area__code", "person__name")) == {
        (GRID_A1, "张伟"),
        (f"{GRID_A2}002", "李娜"),
    }
    assert not Person.objects.filter(name="王强").exists()
    assert not Area.objects.filter(code__startswith="220104002", head_assignments__isnull=False).exists()


def test_the_street_b_outsider_cannot_write_into_street_a(street_b, areas, roster_state):
    before = roster_state()

    plan = import_sheet(street_b, community_sheet(STREET_B_ROW), skip_invalid=True)

    assert plan.rejected_rows == [3, 4]
    assert counts(plan)["new"] == 1
    after = roster_state()
    assert [p[2] for p in after["posts"]] == [GRID_B1]
    assert after["areas"] == before["areas"]  # street A's building 2 was not created


# --- a failure midway ---------------------------------------------------------------------------

FAILING_TRIGGER = """
CREATE FUNCTION test_fail_midway() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.note = '故障' THEN RAISE EXCEPTION '模拟故障：磁盘已满'; END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER test_fail_midway BEFORE INSERT ON grids_headassignment
    FOR EACH ROW EXECUTE FUNCTION test_fail_midway();
"""


@pytest.fixture
def database_fails_on_a_post_noted_故障():
    """The database raises while COPYing the post whose 备注 is 故障 — after the new areas,
    the new and changed people, the closed and updated posts are written."""
    with connection.cursor() as cursor:
        cursor.execute(FAILING_TRIGGER)
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS test_fail_midway ON grids_headassignment")
        cursor.execute("DROP FUNCTION IF EXISTS test_fail_midway()")


@pytest.mark.django_db(transaction=True)
def test_a_failure_in_the_middle_of_writing_leaves_nothing_written(
    street_a, areas, roster_state, database_fails_on_a_post_noted_故障
):
    import_sheet(street_a, community_sheet())  # committed: 张伟 grid head of A1, 李娜 building head
    before = roster_state()
    sheet = xlsx_bytes(
        [
            line(GRID_A1, "网格长", "赵敏", phone="13904310007", id_number=make_id(7, gender="女")),  # replaces 张伟
            line(GRID_A2, "楼栋长", "李娜", building="2栋", phone="13904319999", id_number=make_id(2, gender="女")),
            *(
                line(GRID_A2, "单元长", f"住户{n}", building="3栋", unit=f"{n}单元", phone=f"1390431{n:04d}")
                for n in range(1, 40)
            ),
            line(GRID_A2, "十联户长", "孙丽", phone="13904310050", note="故障"),  # the last post written
        ]
    )

    with pytest.raises(Exception, match="模拟故障：磁盘已满"):
        import_sheet(street_a, sheet)

    assert roster_state() == before
    assert HeadAssignment.objects.current().get(area__code=GRID_A1, post="grid_head").person.name == "张伟"
    assert tree.check().ok


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_killing_the_import_command_while_it_writes_leaves_nothing_written(areas, roster_state, tmp_path):
    rows = [
        line(GRID_A1, "单元长", f"住户{n}", building=f"{10 + n // 50}栋", unit=f"{n % 50 + 1}单元", phone=f"139{n:08d}")
        for n in range(3000)
    ]
    path = tmp_path / "花名册.csv"
    path.write_bytes(csv_bytes(rows))
    before = roster_state()
    name = f"kill-test-{os.getpid()}"
    env = {
        **os.environ,
        "DATABASE_URL": helpers.database_url(connection.settings_dict),
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "PGAPPNAME": name,
    }
    command = subprocess.Popen(
        [sys.executable, "manage.py", "import_roster", str(path), "--json"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        # Its transaction has written something (it holds a transaction id): kill it there.
        writing = helpers.wait_for(
            lambda: backend(name, "backend_xid IS NOT NULL") or command.poll() is not None, 60, interval=0.01
        )
        assert command.poll() is None, command.communicate()
        assert writing
        command.send_signal(signal.SIGKILL)
        command.wait(timeout=10)
    finally:
        if command.poll() is None:
            command.kill()
            command.wait()
    assert helpers.wait_for(lambda: not backend(name), 30), "the server did not end the killed import's session"

    assert command.returncode == -signal.SIGKILL
    assert roster_state() == before
    assert tree.check().ok


def backend(application_name, condition="true"):
    """How many sessions of that name are connected to this test database (and meet `condition`)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            f" WHERE application_name = %s AND datname = current_database() AND {condition}",
            [application_name],
        )
        return cursor.fetchone()[0]


# --- formulas -----------------------------------------------------------------------------------

FORMULAS = {
    "张伟": '=HYPERLINK("http://example.com/x","点击查看")',
    "李娜": "+86 139 0431 0002",
    "王强": "-1栋东侧",
    "陈静": "@SUM(A1:A9)",
}


def formula_sheet():
    """Text cells that a spreadsheet would run as formulas, typed as text (as Excel keeps a
    cell entered with a leading apostrophe)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["网格编码", "职务", "姓名", "联系电话", "备注"])
    for n, (name, note) in enumerate(FORMULAS.items(), 1):
        sheet.append([GRID_A1, "十联户长", name, f"1390431000{n}", None])
        cell = sheet.cell(row=n + 1, column=5)
        cell.value = note
        cell.data_type = "s"  # not a formula
    return save(workbook)


def test_cells_that_start_like_formulas_are_stored_as_text(street_a, areas):
    import_sheet(street_a, formula_sheet())

    notes = dict(HeadAssignment.objects.values_list("person__name", "note"))
    assert notes == FORMULAS


def test_the_same_cells_from_csv_are_stored_as_text(street_a, areas):
    rows = [
        line(GRID_A1, "十联户长", name, phone=f"1390431000{n}", note=note)
        for n, (name, note) in enumerate(FORMULAS.items(), 1)
    ]

    import_sheet(street_a, csv_bytes(rows))

    assert dict(HeadAssignment.objects.values_list("person__name", "note")) == FORMULAS


def test_cells_that_start_like_formulas_are_neutralised_on_export(street_a, areas, client_for):
    import_sheet(street_a, formula_sheet())

    response = client_for(street_a).get("/grids/220104001/roster/?export=xlsx")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    notes = {row[header.index("姓名")].value: row[header.index("备注")] for row in sheet.iter_rows(min_row=2)}
    assert {name: cell.value for name, cell in notes.items()} == {name: "'" + note for name, note in FORMULAS.items()}
    assert {cell.data_type for cell in notes.values()} == {"s"}  # strings, not formulas


def test_a_street_cannot_rewrite_a_person_who_serves_in_another_street(areas, street_a, street_b):
    from core import importing
    from grids import roster
    from grids.importers import RosterImporter
    from grids.models import HeadAssignment, Person
    from orgs.models import Area

    from .sheets import GRID_B1, csv_bytes, line, make_id

    valid_id = make_id(7)
    person = roster.find_or_create_person(name="王芳", phone="13912340000", id_number=valid_id)
    roster.appoint(Area.objects.get(code="220104001001001"), "grid_head", person)
    sheet = csv_bytes([line(GRID_B1, "网格长", "王小芳", phone="13800000000", id_number=valid_id)])

    importing.execute(RosterImporter(street_b), sheet)

    person.refresh_from_db()
    assert (person.name, person.phone) == ("王芳", "13912340000")  # street A's record is intact
    assert HeadAssignment.objects.current().filter(person=person, area__code=GRID_B1).exists()
    assert Person.objects.filter(id_number=valid_id).count() == 1
