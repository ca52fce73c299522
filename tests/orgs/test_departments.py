"""Issue 16 §3: a functional department (职能部门) is a record — its name, a kind from a list the
office edits, the city or district it belongs to — and a department role names its department;
departments import and list like any small list; a role reads as the office a cadre knows."""

import importlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from core.models import ImportJob
from orgs.choices import Role
from orgs.models import Area, Department, DepartmentKind, RoleAssignment, User
from tests.conftest import make_user
from tests.grids.sheets import csv_bytes

CREATE = "/users/new/"
HEADERS = ["部门名称", "简称", "部门类别", "所属区划代码"]


@pytest.fixture
def nanguan(areas):
    """A second district of the city, with its own housing bureau."""
    return Area.objects.create(code="220102", name="南关区", level="district", parent=areas["2201"])


@pytest.fixture
def departments(areas, nanguan):
    housing = DepartmentKind.objects.get_or_create(name="住建")[0]
    return {
        "chaoyang": Department.objects.create(
            name="朝阳区住房和城乡建设局", short_name="朝阳区住建局", kind=housing, area=areas["220104"]
        ),
        "nanguan": Department.objects.create(
            name="南关区住房和城乡建设局", short_name="南关区住建局", kind=housing, area=nanguan
        ),
        "city": Department.objects.create(
            name="长春市住房和城乡建设局", short_name="市住建局", kind=housing, area=areas["2201"]
        ),
    }


@pytest.fixture
def chaoyang_org(areas):
    return make_user("chaoyang_org", Role.ORG_DEPARTMENT, areas["220104"])


def new_user(**overrides):
    return {
        "username": "zhujian_new",
        "name": "赵新",
        "role": Role.DEPARTMENT,
        "area_code": "220104",
        "password1": "first-login-pw-77",
        "password2": "first-login-pw-77",
        **overrides,
    }


def seed_kinds():
    """The kinds as migration 0009 seeds them: run again, since a transactional test (a browser
    test) before this one may have emptied the table."""
    from django.apps import apps

    importlib.import_module("orgs.migrations.0009_department_kinds_seeded").seed(apps, None)


@pytest.fixture(autouse=True)
def kinds(db):
    seed_kinds()


def test_the_kinds_are_the_issues_list_seeded_and_editable_rows(db):
    seed_kinds()  # twice: nothing doubled

    assert list(DepartmentKind.objects.values_list("name", flat=True)) == [
        "住建", "城管执法", "公安", "市场监管", "民政", "卫健", "应急管理", "生态环境", "水务", "供电", "燃气", "其他",
    ]  # fmt: skip


def test_only_a_department_role_names_a_department(departments, areas):
    user = User.objects.create_user(username="jiedao_x", password="x")

    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(
            user=user, area=areas["220104001"], role=Role.STREET_CADRE, department=departments["chaoyang"]
        )


def test_the_city_grants_the_district_bureaus_user_with_the_bureau_chosen(departments, city_org, client_for):
    response = client_for(city_org).post(CREATE, new_user(department=departments["chaoyang"].pk))

    assert response.status_code == 302, response.content.decode()[:2000]
    assignment = RoleAssignment.objects.get(user__username="zhujian_new")
    assert (assignment.role, assignment.area.code, assignment.department) == (
        Role.DEPARTMENT,
        "220104",
        departments["chaoyang"],
    )


def test_a_department_role_without_a_department_is_refused(departments, city_org, client_for):
    response = client_for(city_org).post(CREATE, new_user())

    assert response.status_code == 200
    assert "请选择该用户所在的职能部门。" in response.content.decode()
    assert not User.objects.filter(username="zhujian_new").exists()


def test_another_districts_bureau_cannot_serve_over_this_district(departments, city_org, client_for):
    response = client_for(city_org).post(CREATE, new_user(department=departments["nanguan"].pk))

    assert "“南关区住房和城乡建设局”属于南关区，不能在“朝阳区”授权。" in response.content.decode()
    assert not User.objects.filter(username="zhujian_new").exists()


def test_a_district_offers_only_the_departments_of_its_scope(departments, chaoyang_org, client_for):
    client = client_for(chaoyang_org)
    html = client.get(CREATE).content.decode()

    assert "朝阳区住房和城乡建设局（朝阳区）" in html and "南关区住房和城乡建设局" not in html

    response = client.post(CREATE, new_user(area_code="220104001", department=departments["nanguan"].pk))
    assert response.status_code == 200 and not User.objects.filter(username="zhujian_new").exists()

    response = client.post(CREATE, new_user(area_code="220104001", department=departments["chaoyang"].pk))
    assert response.status_code == 302
    assert RoleAssignment.objects.get(user__username="zhujian_new").department == departments["chaoyang"]


def test_a_department_left_chosen_for_another_role_is_not_kept(departments, city_org, client_for):
    response = client_for(city_org).post(
        CREATE, new_user(role=Role.STREET_CADRE, area_code="220104001", department=departments["chaoyang"].pk)
    )

    assert response.status_code == 302
    assert RoleAssignment.objects.get(user__username="zhujian_new").department is None


def test_the_role_form_asks_for_the_department_too(departments, city_org, client_for):
    user = make_user("newcomer", Role.GRID_WORKER, Area.objects.get(code="220104001001001"))
    data = {"user": user.pk, "role": Role.DEPARTMENT, "area_code": "220104"}

    refused = client_for(city_org).post(reverse("orgs:role_create"), data)
    granted = client_for(city_org).post(reverse("orgs:role_create"), {**data, "department": departments["city"].pk})

    assert "请选择该用户所在的职能部门。" in refused.content.decode()
    assert granted.status_code == 302
    assert RoleAssignment.objects.get(user=user, role=Role.DEPARTMENT).department == departments["city"]


def test_the_api_refuses_a_department_role_without_its_department(departments, city_org, areas, client_for):
    user = make_user("newcomer", Role.GRID_WORKER, areas["220104001001001"])
    client = client_for(city_org)
    body = {"user": user.pk, "area": "220104", "role": Role.DEPARTMENT}

    refused = client.post("/api/role-assignments/", body, content_type="application/json")
    granted = client.post(
        "/api/role-assignments/", {**body, "department": departments["chaoyang"].pk}, content_type="application/json"
    )

    assert refused.status_code == 400 and "请选择该用户所在的职能部门。" in refused.json()["department"][0]
    assert granted.status_code == 201, granted.content
    assert granted.json()["office"] == "朝阳区住建局"


# --- roles read as offices ------------------------------------------------------------------------


def test_a_role_reads_as_the_office(departments, areas):
    def office(role, code, department=None):
        user = User.objects.create_user(username=f"u{User.objects.count()}", password="x")
        return RoleAssignment.objects.create(user=user, role=role, area=areas[code], department=department).office

    assert office(Role.ORG_DEPARTMENT, "2201") == "长春市委组织部"
    assert office(Role.ORG_DEPARTMENT, "220104") == "朝阳区委组织部"
    assert office(Role.STREET_CADRE, "220104001") == "前进街道党工委"
    assert office(Role.COMMUNITY_CADRE, "220104001001") == "A1社区党委"
    assert office(Role.DEPARTMENT, "220104", departments["chaoyang"]) == "朝阳区住建局"
    # A department role granted before departments were records: it says so until regranted.
    assert office(Role.DEPARTMENT, "220104") == "朝阳区职能部门（未指定部门）"


def test_the_menu_bar_the_home_page_and_user_management_name_the_office(departments, city_org, areas, client_for):
    bureau = make_user("zhujian", None, None, last_name="赵", first_name="文斌")
    RoleAssignment.objects.create(
        user=bureau, role=Role.DEPARTMENT, area=areas["220104"], department=departments["chaoyang"]
    )
    street = make_user("jiedao", Role.STREET_CADRE, areas["220104001"])

    home = client_for(bureau).get("/").content.decode()
    listing = client_for(city_org).get(reverse("orgs:user_list")).content.decode()
    detail = client_for(city_org).get(reverse("orgs:user_detail", args=[street.pk])).content.decode()

    assert '<span class="user-office small text-white-50 ms-1">朝阳区住建局</span>' in home
    assert "朝阳区住建局" in home.split("我的管辖范围")[1]
    assert "朝阳区住建局" in listing and "前进街道党工委" in listing
    assert "前进街道党工委" in detail
    assert "长春市委组织部" in client_for(city_org).get("/").content.decode()


# --- the departments' own pages and import -------------------------------------------------------


def test_the_organisation_department_lists_its_departments_from_the_menu(departments, chaoyang_org, client_for):
    client = client_for(chaoyang_org)
    home = client.get("/").content.decode()
    page = client.get(reverse("orgs:department_list")).content.decode()

    assert reverse("orgs:department_list") in home
    assert (
        "朝阳区住房和城乡建设局" in page
        and "南关区住房和城乡建设局" not in page
        and "长春市住房和城乡建设局" not in page
    )
    assert reverse("core:import_new", args=["departments"]) in page


def test_a_department_belongs_to_a_city_or_a_district(areas, city_org, client_for):
    response = client_for(city_org).post(
        reverse("orgs:department_add"),
        {
            "name": "前进街道城管中队",
            "kind": DepartmentKind.objects.get_or_create(name="城管执法")[0].pk,
            "area": areas["220104001"].pk,
        },
    )

    assert response.status_code == 200 and not Department.objects.exists()


def upload(client, rows):
    return client.post(
        reverse("core:import_new", args=["departments"]),
        {"file": SimpleUploadedFile("职能部门.csv", csv_bytes(rows, header=HEADERS), "text/csv")},
    )


def test_departments_import_on_the_kits_path_with_reasons_by_row(departments, chaoyang_org, client_for):
    client = client_for(chaoyang_org)
    rows = [
        ["朝阳区住房和城乡建设局", "朝阳区住建局", "住建", "220104"],  # unchanged
        ["朝阳区民政局", "", "民政", "220104"],  # new
        ["朝阳区水利局", "", "水利", "220104"],  # no such kind: row 4
        ["南关区民政局", "", "民政", "220102"],  # another district: row 5
    ]

    upload(client, rows)
    job = ImportJob.objects.get(user=chaoyang_org)

    assert (job.summary["new"], job.summary["unchanged"]) == (1, 1)
    reasons = {r["row"]: r["reason"] for r in job.summary["rejected"]}
    assert set(reasons) == {4, 5}
    assert "部门类别“水利”不在列表中" in reasons[4] and "水务" in reasons[4]
    assert "不存在或不在您的管辖范围内" in reasons[5]

    client.post(reverse("core:import_confirm", args=[job.pk]), {"skip_invalid": "1"})

    job.refresh_from_db()
    assert job.status == "done", job.error
    assert Department.objects.get(name="朝阳区民政局").kind.name == "民政"
    assert not Department.objects.filter(name="南关区民政局").exists()


def test_the_export_reimports_unchanged(departments, city_org, client_for):
    import io

    from openpyxl import load_workbook

    client = client_for(city_org)
    exported = client.get(reverse("orgs:department_list"), {"export": "xlsx"}).content
    rows = list(load_workbook(io.BytesIO(exported)).active.iter_rows(values_only=True))

    assert list(rows[0]) == HEADERS
    upload(client, [list(row) for row in rows[1:]])
    job = ImportJob.objects.get(user=city_org)
    assert (job.summary["new"], job.summary["unchanged"], job.summary["rejected"]) == (0, 3, [])


def test_a_departments_page_lists_its_users(departments, city_org, areas, client_for):
    bureau = make_user("zhujian", None, None, last_name="赵", first_name="文斌")
    RoleAssignment.objects.create(
        user=bureau, role=Role.DEPARTMENT, area=areas["220104"], department=departments["chaoyang"]
    )

    page = client_for(city_org).get(departments["chaoyang"].get_absolute_url()).content.decode()
    other = client_for(city_org).get(departments["nanguan"].get_absolute_url()).content.decode()

    assert "本部门用户" in page and "赵文斌</a> · zhujian · 管辖朝阳区" in page
    assert "赵文斌" not in other and "该部门还没有用户" in other


def test_a_new_user_from_the_departments_page_comes_with_the_role_and_the_department_chosen(
    departments, city_org, client_for
):
    client = client_for(city_org)
    page = client.get(departments["chaoyang"].get_absolute_url()).content.decode()
    link = f"/users/new/?role=department&amp;department={departments['chaoyang'].pk}&amp;area=220104"

    form = client.get(link.replace("&amp;", "&")).content.decode()

    assert link in page
    assert '<option value="department" selected>' in form
    assert f'<option value="{departments["chaoyang"].pk}" selected>朝阳区住房和城乡建设局（朝阳区）</option>' in form


def test_a_department_with_users_is_not_deleted_and_says_who_serves_in_it(departments, city_org, areas, client_for):
    bureau = make_user("zhujian", None, None, last_name="赵", first_name="文斌")
    RoleAssignment.objects.create(
        user=bureau, role=Role.DEPARTMENT, area=areas["220104"], department=departments["chaoyang"]
    )
    client = client_for(city_org)

    refused = client.post(reverse("orgs:department_delete", args=[departments["chaoyang"].pk]), follow=True)
    deleted = client.post(reverse("orgs:department_delete", args=[departments["nanguan"].pk]))

    assert "仍被以下记录引用，不能删除：赵文斌 · 朝阳区住建局" in refused.content.decode()
    assert Department.objects.filter(pk=departments["chaoyang"].pk).exists()
    assert deleted.status_code == 302 and not Department.objects.filter(pk=departments["nanguan"].pk).exists()
