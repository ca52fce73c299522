"""The one locked write path of the area tree (orgs/tree.py): every write leaves check() clean."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from orgs import tree
from orgs.models import Area


def assert_tree_is_clean():
    report = tree.check()
    assert report.ok, report.problems


def codes_in_lft_order(parent_code):
    parent = Area.objects.get(code=parent_code)
    return list(parent.children.order_by("lft").values_list("code", flat=True))


def add(code, name, level, parent_code):
    area = Area(code=code, name=name, level=level, parent=Area.objects.get(code=parent_code))
    area.save()
    return area


def messages_of(excinfo):
    return " ".join(excinfo.value.messages)


def set_lft(code, lft):
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {tree.TABLE} SET lft = %s WHERE code = %s", [lft, code])


# --- insert -----------------------------------------------------------------------------------


def test_inserting_areas_in_any_order_keeps_the_tree_clean_and_children_in_code_order(areas):
    for code in ("220104001005", "220104001003", "220104001000", "220104001004"):
        add(code, f"社区{code[-3:]}", "community", "220104001")

    assert_tree_is_clean()
    children = codes_in_lft_order("220104001")
    assert children == sorted(children)
    assert children == [
        "220104001000",
        "220104001001",
        "220104001002",
        "220104001003",
        "220104001004",
        "220104001005",
    ]
    # The whole tree: preorder (lft order) is code order.
    everything = list(Area.objects.order_by("tree_id", "lft").values_list("code", flat=True))
    assert everything == sorted(everything)


def test_an_inserted_area_gets_its_depth_and_tree_from_its_parent(areas):
    area = add("220104002001002", "第2网格", "grid", "220104002001")

    area.refresh_from_db()
    parent = areas["220104002001"]
    assert (area.tree_id, area.depth) == (parent.tree_id, parent.depth + 1)
    assert area.rght == area.lft + 1
    assert_tree_is_clean()


def test_inserting_a_duplicate_code_is_refused_in_chinese(areas):
    with pytest.raises(ValidationError) as excinfo:
        add("220104001002", "重复社区", "community", "220104001")

    assert "区划代码 220104001002 已存在" in messages_of(excinfo)
    assert Area.objects.filter(code="220104001002").get().name == "A2社区"
    assert_tree_is_clean()


def test_a_code_that_does_not_extend_its_parents_code_is_refused(areas):
    with pytest.raises(ValidationError) as excinfo:
        add("220105001003", "错号社区", "community", "220104001")

    assert "必须以上级区划代码 220104001 开头并且更长" in messages_of(excinfo)
    assert not Area.objects.filter(code="220105001003").exists()
    assert_tree_is_clean()


def test_a_level_not_below_the_parents_level_is_refused(areas):
    with pytest.raises(ValidationError) as excinfo:
        add("220104001003", "同级街道", "street", "220104001")

    assert "层级“街道/乡镇”不能位于上级区划的层级“街道/乡镇”之下" in messages_of(excinfo)
    assert not Area.objects.filter(code="220104001003").exists()
    assert_tree_is_clean()


def test_a_code_that_would_sit_between_an_area_and_its_children_is_refused(areas):
    # 2201040010 is a prefix of 220104001 001 …: its descendants would be lost below it.
    with pytest.raises(ValidationError) as excinfo:
        add("2201040010", "夹层", "street", "220104")

    assert "已有区划的代码以 2201040010 开头" in messages_of(excinfo)
    assert not Area.objects.filter(code="2201040010").exists()
    assert_tree_is_clean()


def test_a_code_whose_real_parent_is_a_deeper_area_is_refused(areas):
    # 220104001001 (A1社区) prefixes the new code, so it must be the parent, not street A.
    with pytest.raises(ValidationError) as excinfo:
        add("220104001001005", "第5网格", "grid", "220104001")

    assert "其上级应为 220104001001 而不是 220104001" in messages_of(excinfo)
    assert not Area.objects.filter(code="220104001001005").exists()
    assert_tree_is_clean()


# --- move and delete ---------------------------------------------------------------------------


def test_moving_an_area_recodes_its_subtree_and_keeps_the_tree_clean(areas):
    add("220104001002001", "A2第1网格", "grid", "220104001002")
    add("220104001002001001", "A2一号楼", "building", "220104001002001")

    moved = tree.move_area(areas["220104001002"], areas["220104002"], "220104002002")

    assert moved.code == "220104002002"
    assert moved.parent.code == "220104002"
    assert set(Area.objects.filter(code__startswith="220104002002").values_list("code", "name")) == {
        ("220104002002", "A2社区"),
        ("220104002002001", "A2第1网格"),
        ("220104002002001001", "A2一号楼"),
    }
    assert not Area.objects.filter(code__startswith="220104001002").exists()
    assert Area.objects.get(code="220104002002001").parent == moved
    assert codes_in_lft_order("220104002") == ["220104002001", "220104002002"]
    assert_tree_is_clean()


def test_moving_an_area_below_itself_is_refused(areas):
    with pytest.raises(ValidationError) as excinfo:
        tree.move_area(areas["220104001"], areas["220104001001"], "220104001001009")

    assert "不能把区划移动到它自己或它的下级之下" in messages_of(excinfo)
    assert_tree_is_clean()


def test_deleting_a_subtree_closes_the_gap(areas):
    subtree = set(Area.objects.filter(code__startswith="220104001001").values_list("code", flat=True))
    assert len(subtree) == 5

    deleted, _ = areas["220104001001"].delete()

    assert deleted == 5
    assert not Area.objects.filter(code__in=subtree).exists()
    assert_tree_is_clean()
    root = Area.objects.get(code="2201")
    assert (root.lft, root.rght) == (1, 2 * Area.objects.count())


# --- a plain save() never writes the tree columns ------------------------------------------------


def test_saving_a_stale_instance_does_not_write_its_stale_lft_and_rght(areas):
    stale = Area.objects.get(code="220104002")
    stale_numbers = (stale.lft, stale.rght)
    add("220104000", "新街道", "street", "220104")  # to its left: shifts street B by 2

    stale.name = "桂林路街道"
    stale.save()

    assert_tree_is_clean()
    fresh = Area.objects.get(code="220104002")
    assert fresh.name == "桂林路街道"
    assert (fresh.lft, fresh.rght) == (stale_numbers[0] + 2, stale_numbers[1] + 2)


def test_saving_with_update_fields_naming_tree_columns_still_skips_them(areas):
    stale = Area.objects.get(code="220104002")
    add("220104000", "新街道", "street", "220104")

    stale.name = "桂林路街道"
    stale.save(update_fields=["name", "lft", "rght"])

    assert_tree_is_clean()
    assert Area.objects.get(code="220104002").name == "桂林路街道"


# --- check, renumber and the management command -----------------------------------------------


def test_check_detects_a_corrupted_lft_and_renumber_repairs_it(areas):
    set_lft("220104002001", 999)

    report = tree.check()
    assert not report.ok
    assert report.areas == 12

    changed = tree.renumber(tree.all_tree_ids())

    assert changed == 1
    assert_tree_is_clean()


def run_check_area_tree(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("check_area_tree", *args, stdout=out, stderr=err)
    except SystemExit as exit:
        code = exit.code
    else:
        code = 0
    return code, out.getvalue(), err.getvalue()


def test_check_area_tree_exits_0_on_a_clean_tree(areas):
    code, out, err = run_check_area_tree()

    assert code == 0
    assert "区划树完好：共 12 个区划" in out
    assert err == ""


def test_check_area_tree_exits_1_with_a_message_on_a_corrupted_tree(areas):
    set_lft("220104001001", 0)

    code, out, err = run_check_area_tree()

    assert code == 1
    assert "编号与代码顺序不一致" in err
    assert "区划树完好" not in out


def test_check_area_tree_repair_fixes_a_corrupted_tree(areas):
    set_lft("220104001001", 0)

    code, out, err = run_check_area_tree("--repair")

    assert code == 0
    assert "已重新编号 1 个区划" in out
    assert "区划树完好" in out
    assert_tree_is_clean()
    assert run_check_area_tree()[0] == 0
