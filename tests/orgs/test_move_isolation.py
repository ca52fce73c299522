"""A move can never recode an area into a prefix of a sibling's code (issue #6, finding 1).

Scoping trusts code prefixes: a grid worker's scope is every code that starts with his grid's
code. A move to a code that prefixes a sibling's code would put the sibling inside the moved
area's scope while the tree (lft/rght) says otherwise, and break the tree's numbering.
"""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orgs import tree
from orgs.choices import Role
from orgs.models import Area
from tests.conftest import make_user

# Codes of any width: the prefix rules themselves (with the default widths, siblings never prefix
# each other's codes).
pytestmark = pytest.mark.usefixtures("any_code_width")

COMMUNITY_A1 = "220104001001"
GRID_A1 = "220104001001001"
GRID_A1_2 = "220104001001002"
STREET_A = "220104001"


def prefix_scope_leaks():
    """Pairs (a, b) where b's code extends a's but b is not below a in the tree, or the reverse."""
    table = tree.TABLE
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT a.code, b.code FROM {table} a JOIN {table} b ON b.id <> a.id
             WHERE (b.code LIKE a.code || '%%')
                   <> (b.tree_id = a.tree_id AND b.lft > a.lft AND b.rght < a.rght)
            """
        )
        return cursor.fetchall()


def test_a_community_cadre_cannot_move_a_grid_to_a_prefix_of_its_siblings_code(areas, client_for, tree_snapshot):
    cadre = make_user("shequ_a1", Role.COMMUNITY_CADRE, areas[COMMUNITY_A1])
    worker_of_grid_2 = make_user("wangge_a1_2", Role.GRID_WORKER, areas[GRID_A1_2])
    before = tree_snapshot()

    response = client_for(cadre).post(
        reverse("orgs:area_move", args=[GRID_A1_2]), {"parent_code": COMMUNITY_A1, "code": "22010400100100"}
    )

    assert response.status_code == 200  # the form again, with the refusal
    assert "已有区划的代码以 22010400100100 开头" in response.content.decode()
    assert tree_snapshot() == before
    assert tree.check().ok
    worker = client_for(worker_of_grid_2)
    assert worker.get(reverse("orgs:area_detail", args=[GRID_A1])).status_code == 404
    assert worker.get(f"/api/areas/{GRID_A1}/").status_code == 404


def test_a_street_cadre_cannot_move_a_community_to_a_prefix_of_another_communitys_code(
    areas, street_a, client_for, tree_snapshot
):
    before = tree_snapshot()

    response = client_for(street_a).post(
        reverse("orgs:area_move", args=["220104001002"]), {"parent_code": STREET_A, "code": "22010400100"}
    )

    assert response.status_code == 200
    assert "已有区划的代码以 22010400100 开头" in response.content.decode()
    assert tree_snapshot() == before
    assert prefix_scope_leaks() == []


def test_a_move_to_a_free_code_that_prefixes_nothing_still_works(areas, street_a, client_for):
    response = client_for(street_a).post(
        reverse("orgs:area_move", args=[GRID_A1_2]), {"parent_code": COMMUNITY_A1, "code": "220104001001009"}
    )

    assert response.status_code == 302
    assert Area.objects.get(code="220104001001009").parent.code == COMMUNITY_A1
    assert tree.check().ok
    assert prefix_scope_leaks() == []


def test_a_move_may_recode_an_area_into_a_code_its_own_subtree_extends(areas):
    # 220104001001001 (grid A1, with a building below) becomes 22010400100100: only its own
    # old codes extend the new one, and they move along.
    tree.move_area(areas[GRID_A1], areas[COMMUNITY_A1], "220104001001005")
    moved = tree.move_area(Area.objects.get(code="220104001001005"), areas[COMMUNITY_A1], "2201040010010050")

    assert moved.code == "2201040010010050"
    assert Area.objects.filter(code__startswith="2201040010010050").count() == 3
    assert tree.check().ok


def test_check_area_tree_reports_a_code_that_prefixes_a_non_descendants_code(areas):
    # What the unchecked move used to leave behind: grid 2 recoded to a prefix of grid 1's code.
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {tree.TABLE} SET code = '22010400100100' WHERE code = %s", [GRID_A1_2])

    report = tree.check()
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("check_area_tree", stdout=out, stderr=out)

    assert report.problems.get("代码是非下级区划代码的前缀", 0) >= 1
    assert "代码是非下级区划代码的前缀" in out.getvalue()


def test_check_area_tree_reports_a_root_whose_code_prefixes_another_tree(areas):
    with transaction.atomic():
        tree.bulk_load([tree.AreaRow("2202", "吉林市", "city", None)])
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {tree.TABLE} SET code = '220' WHERE code = '2202'")

    assert "代码是非下级区划代码的前缀" in tree.check().problems


class Rollback(Exception):
    pass


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_moves_never_let_a_sibling_in_nor_break_the_tree(areas, data):
    try:
        with transaction.atomic():
            for _ in range(data.draw(st.integers(1, 4), label="moves")):
                codes = list(Area.objects.order_by("code").values_list("code", flat=True))
                moving = Area.objects.get(code=data.draw(st.sampled_from(codes[1:]), label="area"))
                parent = Area.objects.get(code=data.draw(st.sampled_from(codes), label="new parent"))
                # Free codes and, above all, prefixes of codes already under the new parent.
                under = [c for c in codes if c.startswith(parent.code) and len(c) > len(parent.code) + 1]
                strategies = [st.text("0123456789", min_size=1, max_size=4).map(lambda s, p=parent.code: p + s)]
                if under:
                    strategies.append(
                        st.sampled_from(under).flatmap(
                            lambda c, p=parent.code: st.integers(len(p) + 1, len(c) - 1).map(lambda n, c=c: c[:n])
                        )
                    )
                new_code = data.draw(st.one_of(*strategies), label="new code")
                try:
                    tree.move_area(moving, parent, new_code)
                except ValidationError:
                    pass
                report = tree.check()
                assert report.ok, report.problems
                assert prefix_scope_leaks() == []
            raise Rollback
    except Rollback:
        pass


def test_a_move_into_the_areas_own_codes_is_refused_cleanly(areas, tree_snapshot):
    # Grid A1 recoded to its own building's code: the one UPDATE would meet that code on its way.
    before = tree_snapshot()

    with pytest.raises(ValidationError) as excinfo:
        tree.move_area(areas[GRID_A1], areas[COMMUNITY_A1], "220104001001001001")

    assert "下级区划的现有代码重叠" in " ".join(excinfo.value.messages)
    assert tree_snapshot() == before


def test_a_move_that_would_make_codes_too_long_is_refused_cleanly(areas, tree_snapshot):
    before = tree_snapshot()

    with pytest.raises(ValidationError) as excinfo:
        tree.move_area(areas[GRID_A1], areas[COMMUNITY_A1], "220104001001" + "9" * 16)

    assert "超过 32 位的上限" in " ".join(excinfo.value.messages)
    assert tree_snapshot() == before
