"""`tree.bulk_load` growing an existing tree numbers the new rows in Python and moves only the
existing areas whose numbers change: the result must equal a full renumber in SQL."""

from django.db import transaction

from orgs import tree
from orgs.models import Area


def snapshot():
    return {
        code: (lft, rght, depth) for code, lft, rght, depth in Area.objects.values_list("code", "lft", "rght", "depth")
    }


def test_new_subtrees_in_several_places_number_like_a_full_renumber(areas):
    rows = [
        # under a leaf grid: a building with two units
        tree.AreaRow("220104001001002001", "2栋", "building", "220104001001002"),
        tree.AreaRow("22010400100100200101", "1单元", "unit", "220104001001002001"),
        tree.AreaRow("22010400100100200102", "2单元", "unit", "220104001001002001"),
        # under an inner grid, before and after its existing building
        tree.AreaRow("220104001001001000", "0栋", "building", "220104001001001"),
        tree.AreaRow("220104001001001002", "3栋", "building", "220104001001001"),
        tree.AreaRow("22010400100100100102", "2单元", "unit", "220104001001001001"),
        # a new grid under a leaf community, with a building
        tree.AreaRow("220104001002001", "第1网格", "grid", "220104001002"),
        tree.AreaRow("220104001002001001", "1栋", "building", "220104001002001"),
        # a new street at the end of the district, and a new district at the end of the city
        tree.AreaRow("220104003", "新街道", "street", "220104"),
        tree.AreaRow("220105", "新区", "district", "2201"),
        tree.AreaRow("220105001", "新区街道", "street", "220105"),
    ]
    before = snapshot()
    with transaction.atomic():
        assert tree.bulk_load(rows) == len(rows)
    after = snapshot()
    assert len(after) == len(before) + len(rows)
    assert after != before  # existing areas moved
    report = tree.check()
    assert report.ok, report.problems
    with transaction.atomic():
        assert tree.renumber(tree.all_tree_ids()) == 0  # a full renumber changes nothing
    assert snapshot() == after
    root = Area.objects.get(code="2201")
    assert (root.lft, root.rght) == (1, 2 * len(after))
    grid = Area.objects.get(code="220104001001001")
    assert (grid.rght - grid.lft - 1) // 2 == 5  # 0栋, 1栋 with 2 units, 3栋


def test_new_tree_and_grown_tree_in_one_load(areas):
    rows = [
        tree.AreaRow("2202", "吉林市", "city", None),
        tree.AreaRow("220202", "昌邑区", "district", "2202"),
        tree.AreaRow("220104002001001001", "1栋", "building", "220104002001001"),
    ]
    with transaction.atomic():
        tree.bulk_load(rows)
    report = tree.check()
    assert report.ok, report.problems
    with transaction.atomic():
        assert tree.renumber(tree.all_tree_ids()) == 0
