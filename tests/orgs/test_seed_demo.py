"""manage.py seed_demo and the demo city generator (orgs/demo.py)."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from orgs import demo, tree
from orgs.choices import LEVEL_RANK, AreaLevel, Role
from orgs.models import Area, AreaEvent, RoleAssignment, User


def small_counts():
    """Areas per level at size small, from the shapes of the districts built in full."""
    counts = Counter({"city": 1, "district": len(demo.DISTRICTS)})
    for shape in demo.SMALL_DISTRICTS.values():
        below = 1
        for level in ("street", "community", "grid", "building", "unit"):
            below *= shape[level]
            counts[level] += below
    return dict(counts)


SMALL_COUNTS = small_counts()
DEMO_SCOPES = {
    "zuzhibu": (Role.ORG_DEPARTMENT, "2201"),
    "chaoyang_zzb": (Role.ORG_DEPARTMENT, "220104"),
    "jiedao": (Role.STREET_CADRE, "220104001"),
    "shequ": (Role.COMMUNITY_CADRE, "220104001001"),
    "wangge": (Role.GRID_WORKER, "220104001001001"),
    "zhujian": (Role.DEPARTMENT, "220104"),
    "shi_zhujian": (Role.DEPARTMENT, "2201"),
}


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def level_counts():
    # .order_by(): the manager's default ordering by code would otherwise join the GROUP BY.
    return dict(Area.objects.order_by().values_list("level").annotate(n=Count("id")))


def assignments():
    return {(a.user.username, a.role, a.area.code) for a in RoleAssignment.objects.select_related("user", "area")}


@pytest.fixture(scope="module")
def city():
    return demo.city_rows("city")


# --- the small seed, in the database -----------------------------------------------------------


@pytest.mark.django_db
def test_it_builds_a_valid_tree(small_demo):
    report = tree.check()
    assert report.ok, report.problems
    assert report.areas == sum(SMALL_COUNTS.values())


@pytest.mark.django_db
def test_the_small_city_has_every_district_and_five_in_full(small_demo):
    assert level_counts() == SMALL_COUNTS
    districts = dict(Area.objects.filter(level=AreaLevel.DISTRICT).values_list("code", "name"))
    assert districts["220104"] == "朝阳区"
    assert districts["220102"] == "南关区"
    assert districts["220184"] == "公主岭市"
    assert districts["220173"] == "长春净月高新技术产业开发区"
    with_streets = set(Area.objects.filter(level=AreaLevel.STREET).values_list("parent__code", flat=True))
    assert with_streets == set(demo.SMALL_DISTRICTS) and len(with_streets) == 5
    streets = list(Area.objects.filter(code__startswith="220104", level=AreaLevel.STREET).values_list("code", "name"))
    assert streets == [
        ("220104001", "前进街道"),
        ("220104002", "桂林街道"),
        ("220104003", "南湖街道"),
        ("220104004", "永昌街道"),
    ]
    for code, shape in demo.SMALL_DISTRICTS.items():  # every street of a district built to its shape
        grids = Area.objects.filter(code__startswith=code, level=AreaLevel.GRID).count()
        assert grids == shape["street"] * shape["community"] * shape["grid"], code


@pytest.mark.django_db
def test_the_small_city_has_a_town_with_villages(small_demo):
    town = Area.objects.get(code="220122101")
    assert town.name == "伏龙泉镇"
    villages = Area.objects.filter(parent=town)
    assert villages.exists() and all(v.name.endswith("村") and v.code[9] == "2" for v in villages)


@pytest.mark.django_db
def test_names_follow_the_levels(small_demo):
    for level, suffix in (("community", ("社区", "村")), ("grid", "网格"), ("building", "栋"), ("unit", "单元")):
        names = Area.objects.filter(level=level).values_list("name", flat=True)
        assert all(name.endswith(suffix) for name in names), level
    assert Area.objects.get(code="220104001001001").name == "第1网格"
    assert Area.objects.get(code="22010400100100100102").name == "2单元"


@pytest.mark.django_db
def test_it_creates_the_demo_users_with_their_scopes(small_demo):
    assert assignments() == {(user, role, code) for user, (role, code) in DEMO_SCOPES.items()}
    for username in [*DEMO_SCOPES, "admin"]:
        user = User.objects.get(username=username)
        assert user.check_password(demo.DEMO_PASSWORD)
        assert user.last_name and user.first_name
        user.full_clean()  # a valid 11-digit mobile number among others
        assert len(user.phone) == 11
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert not admin.role_assignments.exists()
    assert not User.objects.filter(is_superuser=True).exclude(username="admin").exists()


@pytest.mark.django_db
def test_it_prints_the_count_the_time_and_the_logins_in_chinese(small_demo):
    out = small_demo
    assert f"已建立 {sum(SMALL_COUNTS.values())} 个区划，用时" in out
    for heading in ("用户名", "角色", "管辖范围"):
        assert heading in out
    assert "密码（所有演示账号）：jiceng-demo" in out
    assert "zuzhibu" in out and "长春市（2201）" in out
    assert "前进街道（220104001）" in out
    assert "朝阳区住建局（职能部门）" in out and "市住建局（职能部门）" in out and "朝阳区委组织部（组织部）" in out


@pytest.mark.django_db
def test_the_housing_bureaus_users_serve_in_their_departments(small_demo):
    bureaus = {a.user.username: a.department for a in RoleAssignment.objects.filter(role=Role.DEPARTMENT)}
    assert bureaus["zhujian"].name == "朝阳区住房和城乡建设局" and bureaus["zhujian"].area.code == "220104"
    assert bureaus["shi_zhujian"].name == "长春市住房和城乡建设局" and bureaus["shi_zhujian"].area.code == "2201"


@pytest.mark.django_db
def test_a_second_run_creates_nothing_new(small_demo):
    before = (Area.objects.count(), User.objects.count(), RoleAssignment.objects.count(), AreaEvent.objects.count())
    out = seed()
    after = (Area.objects.count(), User.objects.count(), RoleAssignment.objects.count(), AreaEvent.objects.count())
    assert after == before
    assert "已有区划" in out
    assert "密码（所有演示账号）：jiceng-demo" in out  # the logins are printed every run


@pytest.mark.django_db
def test_a_second_run_leaves_a_changed_password_alone(small_demo):
    user = User.objects.get(username="shequ")
    user.set_password("changed-by-the-user")
    user.save()
    seed()
    user.refresh_from_db()
    assert user.check_password("changed-by-the-user")


@pytest.mark.django_db
def test_force_rebuilds_the_tree_and_the_role_assignments(small_demo):
    Area.objects.get(code="220104").role_assignments.all().delete()
    tree.insert_area(Area(code="220101", name="市辖区", level=AreaLevel.DISTRICT, parent=Area.objects.get(code="2201")))
    out = seed("--force")
    assert f"已建立 {sum(SMALL_COUNTS.values())} 个区划" in out
    assert level_counts() == SMALL_COUNTS
    assert tree.check().ok
    assert assignments() == {(user, role, code) for user, (role, code) in DEMO_SCOPES.items()}
    assert User.objects.count() == len(DEMO_SCOPES) + 2  # and the superuser and the reporting unit's account


@pytest.mark.django_db
def test_the_reporting_units_demo_account_has_no_role_and_sees_its_unit(small_demo):
    from party.demo import UNIT_NAME

    out = small_demo

    account = User.objects.get(username="danwei")
    assert not account.is_superuser and not account.role_assignments.exists()
    assert [unit.name for unit in account.reporting_units.all()] == [UNIT_NAME]
    assert "报到单位账号" in out and "本单位报到的在职党员" in out


# --- the city size, generated only -------------------------------------------------------------


def test_the_city_has_the_scale_of_design_section_6(city):
    counts = Counter(row.level for row in city)
    assert counts["city"] == 1
    assert counts["district"] == 15
    assert counts["street"] == 73
    assert counts["community"] == 440
    assert counts["grid"] == 4839
    assert 35_000 <= counts["building"] <= 45_000
    assert 110_000 <= counts["unit"] <= 130_000
    assert 150_000 <= len(city) <= 180_000


def test_every_code_extends_its_parents_code(city):
    by_code = {row.code: row for row in city}
    assert len(by_code) == len(city), "codes are unique"
    widths = {"district": 6, "street": 9, "community": 12, "grid": 15, "building": 18, "unit": 20}
    for row in city:
        assert row.code.isdigit()
        if row.parent_code is None:
            assert (row.code, row.level) == ("2201", "city")
            continue
        parent = by_code[row.parent_code]
        assert row.code.startswith(parent.code) and len(row.code) > len(parent.code)
        assert LEVEL_RANK[row.level] == LEVEL_RANK[parent.level] + 1
        assert len(row.code) == widths[row.level]


def test_the_city_is_spread_unevenly_but_deterministically(city):
    assert demo.city_rows("city") == city
    children = Counter(row.parent_code for row in city)
    for level in ("district", "street", "community", "grid", "building"):
        per_parent = [children[row.code] for row in city if row.level == level]
        assert min(per_parent) >= 1, level
        assert max(per_parent) > min(per_parent), level


def test_rural_towns_hold_villages(city):
    names = {row.code: row.name for row in city}
    villages = [row for row in city if row.level == "community" and names[row.parent_code].endswith(("镇", "乡"))]
    assert villages and all(row.name.endswith("村") for row in villages)
    assert any(row.name.endswith("社区") for row in city if row.level == "community")


def test_an_unknown_size_is_refused():
    with pytest.raises(ValueError):
        demo.city_rows("province")


@pytest.mark.django_db
def test_the_small_demo_has_a_roster_with_gaps_to_find(small_demo):
    from grids import coverage
    from grids.models import HeadAssignment

    out = small_demo
    assert "网格人员任职" in out
    district = Area.objects.get(code="220104")
    figures = coverage.coverage(district)
    units = figures.level(AreaLevel.UNIT)
    assert HeadAssignment.objects.current().exists()
    assert 0 < units.covered < units.total  # some units have a head, some are gaps
    assert tree.check().ok


# --- the small demo's material for the assessment ------------------------------------------------


def vacancy(covered, total):
    return 1 - covered / total


@pytest.mark.django_db
def test_the_small_demo_fills_several_districts_with_gaps_that_differ(small_demo):
    from grids import coverage
    from grids.models import HeadAssignment
    from party.choices import OrgKind
    from party.models import InServiceMember, PartyOrganisation

    filled = [
        code
        for code in demo.SMALL_DISTRICTS
        if Area.objects.filter(code__startswith=code, level=AreaLevel.GRID).exists()
        and HeadAssignment.objects.current().filter(area__code__startswith=code).exists()
        and PartyOrganisation.objects.filter(area__code__startswith=code).exists()
    ]
    assert len(filled) >= 3
    gaps = {}  # per district: the shares of units and buildings without a head, of grids without a branch
    for code in filled:
        figures = coverage.coverage(Area.objects.get(code=code))
        grids = Area.objects.filter(code__startswith=code, level=AreaLevel.GRID)
        branches = grids.filter(party_organisations__kind=OrgKind.GRID_BRANCH)
        gaps[code] = [
            vacancy(figures.level(AreaLevel.UNIT).covered, figures.level(AreaLevel.UNIT).total),
            vacancy(figures.level(AreaLevel.BUILDING).covered, figures.level(AreaLevel.BUILDING).total),
            vacancy(branches.count(), grids.count()),
        ]
    assert all(0 < max(rates) < 0.5 for rates in gaps.values()), gaps  # gaps everywhere, but no wasteland
    index = sorted(sum(rates) / len(rates) for rates in gaps.values())
    assert index[-1] - index[0] >= 0.1, gaps  # the worst district has clearly more gaps than the best
    # every street is filled, not only the first ones
    streets = set(Area.objects.filter(level=AreaLevel.STREET).values_list("code", flat=True))
    assert {code[:9] for code in HeadAssignment.objects.values_list("area__code", flat=True)} == streets
    grid_branches = PartyOrganisation.objects.filter(kind=OrgKind.GRID_BRANCH).values_list("area__code", flat=True)
    assert {code[:9] for code in grid_branches} == streets
    reported = InServiceMember.objects.values_list("community__code", flat=True)
    assert len({code[:6] for code in reported}) >= 3


@pytest.mark.django_db
def test_nobody_holds_posts_in_two_streets_of_the_small_demo(small_demo):
    from grids.models import HeadAssignment, Person

    streets_of = {}
    for person, code in HeadAssignment.objects.values_list("person_id", "area__code"):
        streets_of.setdefault(person, set()).add(code[:9])
    assert streets_of and all(len(streets) == 1 for streets in streets_of.values())
    numbers = [n for n in Person.objects.values_list("id_number", flat=True) if n]
    assert len(numbers) == len(set(numbers)) == Person.objects.count()


@pytest.mark.django_db
def test_the_small_demos_districts_are_ranked_apart_with_a_last_place(small_demo):
    from assessment.models import Period, Score

    for period in Period.objects.all():
        districts = Score.objects.filter(period=period, area__level=AreaLevel.DISTRICT)
        points = sorted(districts.values_list("points", flat=True))
        assert len(points) == len(demo.SMALL_DISTRICTS)
        assert len(set(points)) == len(points) and points[-1] - points[0] >= 15, points
        last = districts.get(last_place=True)
        assert last.points == points[0] and last.rank == last.siblings == len(points)
        streets = Score.objects.filter(period=period, area__level=AreaLevel.STREET)
        assert streets.count() == SMALL_COUNTS["street"]


@pytest.mark.django_db
def test_the_small_demos_returned_community_lacks_the_evidence_its_return_asks_for(small_demo):
    from assessment.approvals import lacking_evidence
    from assessment.models import Approval

    returned = list(Approval.objects.filter(status="returned").select_related("period", "area"))
    assert len(returned) == 1 and "佐证材料不全" in returned[0].reason
    assert len(lacking_evidence(returned[0].period, returned[0].area)) == 1
