"""Importing a roster is idempotent: a corrected sheet updates only what changed, a replaced
head's post is closed (history kept) and the new one opened, people are recognised across
rows and imports by ID number or by name and phone, and missing buildings and units are
created under their grid."""

import datetime

from django.utils import timezone

from grids.models import HeadAssignment, Person
from orgs import tree
from orgs.choices import AreaLevel
from orgs.models import Area

from .sheets import GRID_A1, GRID_A2, counts, import_sheet, line, make_id, xlsx_bytes

ZHANG_WEI = make_id(1)  # grid head of grid A1 and building head of its building 1
WANG_QIANG = make_id(3)


def roster(**changes):
    """The roster of community A1's two grids; `changes` replaces rows by their key."""
    rows = {
        "grid_head": line(GRID_A1, "网格长", "张伟", phone="13904310001", id_number=ZHANG_WEI, status="中共党员"),
        "building_head": line(GRID_A1, "楼栋长", "张伟", building="1栋", phone="13904310001", id_number=ZHANG_WEI),
        "worker": line(GRID_A1, "专职网格员", "王强", phone="13904310003", id_number=WANG_QIANG, status="群众"),
        "unit_head": line(GRID_A1, "单元长", "李娜", building="1栋", unit="1单元", phone="13904310004"),
        "ten_households": line(GRID_A1, "十联户长", "李娜", phone="13904310004", note="1-10户"),
        "a2_grid_head": line(GRID_A2, "网格长", "陈静", phone="13904310005", id_number=make_id(5, gender="女")),
    }
    rows.update(changes)
    return xlsx_bytes([row for row in rows.values() if row], title="A1社区网格人员花名册")


def current_posts():
    return set(HeadAssignment.objects.current().values_list("area__code", "post", "person__name"))


def test_the_first_import_creates_every_post(street_a, areas):
    plan = import_sheet(street_a, roster())

    assert counts(plan) == {"rows": 6, "new": 6, "changed": 0, "unchanged": 0, "skipped": 0}
    assert current_posts() == {
        (GRID_A1, "grid_head", "张伟"),
        (f"{GRID_A1}001", "building_head", "张伟"),
        (GRID_A1, "grid_worker", "王强"),
        (f"{GRID_A1}00101", "unit_head", "李娜"),
        (GRID_A1, "ten_household_head", "李娜"),
        (GRID_A2, "grid_head", "陈静"),
    }


def test_a_grid_head_who_is_also_a_building_head_is_one_person_by_id_number(street_a, areas):
    import_sheet(street_a, roster())

    zhang = Person.objects.get(id_number=ZHANG_WEI)
    assert sorted(zhang.posts.values_list("post", flat=True)) == ["building_head", "grid_head"]
    assert Person.objects.filter(name="张伟").count() == 1


def test_a_person_without_id_number_is_recognised_by_name_and_phone(street_a, areas):
    import_sheet(street_a, roster())

    li = Person.objects.get(name="李娜")  # unit head and ten-household head, no ID number
    assert (li.phone, li.id_number) == ("13904310004", "")
    assert sorted(li.posts.values_list("post", flat=True)) == ["ten_household_head", "unit_head"]

    plan = import_sheet(street_a, roster())  # and again in the next import

    assert counts(plan)["unchanged"] == 6
    assert Person.objects.filter(name="李娜").count() == 1


def test_a_row_without_the_id_number_is_the_person_of_a_row_with_it(street_a, areas):
    sheet = roster(ten_households=line(GRID_A1, "十联户长", "张伟", phone="13904310001"))  # ID left out

    import_sheet(street_a, sheet)

    assert Person.objects.filter(name="张伟").count() == 1
    assert Person.objects.get(name="张伟").posts.count() == 3


def test_a_person_registered_without_id_number_gets_it_from_a_later_sheet(street_a, areas):
    import_sheet(street_a, roster())
    li = Person.objects.get(name="李娜")
    li_id = make_id(4, gender="女")
    sheet = roster(
        unit_head=line(GRID_A1, "单元长", "李娜", building="1栋", unit="1单元", phone="13904310004", id_number=li_id),
        ten_households=line(GRID_A1, "十联户长", "李娜", phone="13904310004", id_number=li_id, note="1-10户"),
    )

    plan = import_sheet(street_a, sheet)

    assert counts(plan) == {"rows": 6, "new": 0, "changed": 2, "unchanged": 4, "skipped": 0}
    li.refresh_from_db()
    assert li.id_number == li_id
    assert Person.objects.filter(name="李娜").count() == 1


def test_reimporting_the_same_sheet_changes_nothing(street_a, areas, roster_state):
    import_sheet(street_a, roster())
    before = roster_state()

    plan = import_sheet(street_a, roster())

    assert counts(plan) == {"rows": 6, "new": 0, "changed": 0, "unchanged": 6, "skipped": 0}
    assert roster_state() == before


def test_a_changed_phone_updates_the_person_and_counts_as_changed(street_a, areas, roster_state):
    import_sheet(street_a, roster())
    before = roster_state()
    sheet = roster(worker=line(GRID_A1, "专职网格员", "王强", phone="13904319999", id_number=WANG_QIANG, status="群众"))

    plan = import_sheet(street_a, sheet)

    assert counts(plan) == {"rows": 6, "new": 0, "changed": 1, "unchanged": 5, "skipped": 0}
    assert [r.name for r in plan.changed] == ["王强"]
    wang = Person.objects.get(id_number=WANG_QIANG)
    assert wang.phone == "13904319999"
    after = roster_state()
    assert after["posts"] == before["posts"]  # the same post, not a new one
    assert [p for p in after["people"] if p not in before["people"]] == [
        (wang.pk, "王强", "male", "13904319999", WANG_QIANG, "masses", "")
    ]


def test_a_changed_note_updates_only_that_post(street_a, areas, roster_state):
    import_sheet(street_a, roster())
    before = roster_state()

    plan = import_sheet(
        street_a, roster(ten_households=line(GRID_A1, "十联户长", "李娜", phone="13904310004", note="1-12户"))
    )

    assert counts(plan)["changed"] == 1
    after = roster_state()
    assert after["people"] == before["people"]
    assert [p[-1] for p in after["posts"] if p not in before["posts"]] == ["1-12户"]


def test_replacing_a_grid_head_closes_the_old_post_and_opens_the_new_one(street_a, areas, client_for):
    import_sheet(street_a, roster())
    old_post = HeadAssignment.objects.get(area__code=GRID_A1, post="grid_head")
    zhao_min = make_id(7, gender="女")
    sheet = roster(
        grid_head=line(GRID_A1, "网格长", "赵敏", phone="13904310007", id_number=zhao_min, status="中共党员")
    )

    plan = import_sheet(street_a, sheet)

    assert counts(plan) == {"rows": 6, "new": 0, "changed": 1, "unchanged": 5, "skipped": 0}
    today = timezone.localdate()
    old_post.refresh_from_db()
    assert (old_post.person.name, old_post.start_date, old_post.end_date) == ("张伟", today, today)
    new_post = HeadAssignment.objects.current().get(area__code=GRID_A1, post="grid_head")
    assert (new_post.person.id_number, new_post.start_date, new_post.end_date) == (zhao_min, today, None)
    # 张伟 stays building head; his page keeps the grid head post, as ended.
    zhang = Person.objects.get(id_number=ZHANG_WEI)
    assert set(zhang.posts.values_list("post", "end_date")) == {("grid_head", today), ("building_head", None)}
    html = client_for(street_a).get(zhang.get_absolute_url()).content.decode()
    assert html.count("<tr") == 3  # header, the two posts
    ended = f"<td>网格长</td><td>{today:%Y-%m-%d}</td><td>{today:%Y-%m-%d}</td>"
    assert ended in html
    assert f"<td>楼栋长</td><td>{today:%Y-%m-%d}</td><td>现任</td>" in html


def test_a_head_replaced_on_an_earlier_day_keeps_its_dates(street_a, areas):
    import_sheet(street_a, roster())
    appointed = datetime.date(2021, 3, 1)
    HeadAssignment.objects.filter(area__code=GRID_A2).update(start_date=appointed)

    import_sheet(street_a, roster(a2_grid_head=line(GRID_A2, "网格长", "吴芳", phone="13904310010")))

    history = list(
        HeadAssignment.objects.filter(area__code=GRID_A2)
        .order_by("start_date")
        .values_list("person__name", "start_date", "end_date")
    )
    today = timezone.localdate()
    assert history == [("陈静", appointed, today), ("吴芳", today, None)]


def test_buildings_and_units_missing_from_the_tree_are_created_under_their_grid(street_a, areas):
    sheet = roster(
        building_head=line(GRID_A2, "楼栋长", "张伟", building="5号楼", phone="13904310001", id_number=ZHANG_WEI),
        unit_head=line(GRID_A2, "单元长", "李娜", building="5栋", unit="3单元", phone="13904310004"),
    )

    import_sheet(street_a, sheet)

    building = Area.objects.get(code=f"{GRID_A2}005")
    assert (building.name, building.level, building.parent.code) == ("5栋", AreaLevel.BUILDING, GRID_A2)
    unit = Area.objects.get(code=f"{GRID_A2}00503")
    assert (unit.name, unit.level, unit.parent.code) == ("3单元", AreaLevel.UNIT, f"{GRID_A2}005")
    assert unit.is_descendant_of(Area.objects.get(code="220104001"))
    report = tree.check()
    assert report.ok, report.problems


def test_a_building_without_a_number_is_created_once_and_found_again(street_a, areas):
    sheet = roster(
        building_head=line(GRID_A1, "楼栋长", "张伟", building="A座", phone="13904310001", id_number=ZHANG_WEI),
        unit_head=line(GRID_A1, "单元长", "李娜", building="A座", unit="1单元", phone="13904310004"),
    )

    import_sheet(street_a, sheet)
    plan = import_sheet(street_a, sheet)

    building = Area.objects.get(parent__code=GRID_A1, name="A座")
    assert (building.code, building.level) == (f"{GRID_A1}901", AreaLevel.BUILDING)
    assert Area.objects.get(parent=building).code == f"{GRID_A1}90101"
    assert counts(plan)["unchanged"] == 6
