"""The permission matrix of every area page (STYLE rule 8, issue 2 acceptance 3).

anonymous → login, in scope → 200, out of scope → 404, out-of-scope write → nothing saved.
The cast is the one of tests/conftest.py: city_org, street_a, grid_a1 and street_b, the
outsider of every street-A story.
"""

from urllib.parse import quote

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.choices import JobStatus
from core.models import ImportJob
from core.spreadsheets import read_table
from orgs import tree
from orgs.choices import Role
from orgs.importers import AreaImporter
from orgs.models import Area, RoleAssignment

from ..conftest import make_user

CITY = "2201"
DISTRICT = "220104"
STREET_A = "220104001"
COMMUNITY_A1 = "220104001001"
GRID_A1 = "220104001001001"
GRID_A1_2 = "220104001001002"
BUILDING_A1 = "220104001001001001"
COMMUNITY_A2 = "220104001002"
STREET_B = "220104002"
COMMUNITY_B1 = "220104002001"

CSV_A3 = "区划代码,名称,层级,上级代码\n220104001003,A3社区,社区,220104001\n".encode()


@pytest.fixture
def import_job(street_a):
    """An import of street A, previewed and waiting for street_a's confirmation."""
    return ImportJob.objects.create(
        kind="areas",
        user=street_a,
        filename="a3.csv",
        content=CSV_A3,
        summary={"rows": 1, "new": 1, "changed": 0, "unchanged": 0, "skipped": 0, "rejected": []},
        progress_total=1,
    )


@pytest.fixture
def grid_a1_assignment(grid_a1):
    return RoleAssignment.objects.get(user=grid_a1)


def page_urls(job_pk, assignment_pk, user_pk=1):
    """Every page of orgs/urls.py, addressed at street A's records."""
    return {
        "area_list": reverse("orgs:area_list"),
        "area_search": reverse("orgs:area_search") + "?q=A1",
        "area_pick": reverse("orgs:area_pick") + "?name=residence&residence_q=A1&levels=community",
        "area_detail": reverse("orgs:area_detail", args=[STREET_A]),
        "area_children": reverse("orgs:area_children", args=[STREET_A]),
        "area_create": reverse("orgs:area_create", args=[STREET_A]),
        "area_edit": reverse("orgs:area_edit", args=[COMMUNITY_A1]),
        "area_move": reverse("orgs:area_move", args=[COMMUNITY_A1]),
        "area_delete": reverse("orgs:area_delete", args=[COMMUNITY_A2]),
        "area_export": reverse("orgs:area_export", args=[STREET_A]),
        "role_create": reverse("orgs:role_create"),
        "role_delete": reverse("orgs:role_delete", args=[assignment_pk]),
        "user_list": reverse("orgs:user_list"),
        "user_create": reverse("orgs:user_create"),
        "area_pick_to_grant": reverse("orgs:area_pick") + "?name=area_code&area_code_q=A1&action=orgs.manage_roles",
        "user_detail": reverse("orgs:user_detail", args=[user_pk]),
        "user_password": reverse("orgs:user_password", args=[user_pk]),
        "user_active": reverse("orgs:user_active", args=[user_pk]),
        "reveal_personal_data": reverse(
            "core:reveal_personal_data", args=["orgs.roleassignment", assignment_pk, "phone"]
        ),
        "import_list": reverse("core:import_list"),
        "import_new": reverse("core:import_new", args=["areas"]),
        "import_template": reverse("core:import_template", args=["areas"]),
        "import_detail": reverse("core:import_detail", args=[job_pk]),
        "import_progress": reverse("core:import_progress", args=[job_pk]),
        "import_confirm": reverse("core:import_confirm", args=[job_pk]),
        "import_cancel": reverse("core:import_cancel", args=[job_pk]),
        "import_rejected": reverse("core:import_rejected", args=[job_pk]),
    }


PAGES = list(page_urls(1, 1))


def test_the_matrix_names_every_page_of_the_orgs_urls():
    """The party pages (party/…, areas/<code>/party/…) have their own matrix: tests/party/; so do
    the departments' (departments/…): tests/orgs/test_department_matrix.py."""
    from orgs import urls

    names = {
        pattern.name
        for pattern in urls.urlpatterns
        if "party/" not in str(pattern.pattern) and not str(pattern.pattern).startswith("departments/")
    }
    assert names <= set(PAGES)


# --- anonymous → login ---------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_it_sends_an_anonymous_visitor_to_the_login_page(page, import_job, grid_a1_assignment):
    url = page_urls(import_job.pk, grid_a1_assignment.pk)[page]

    response = Client().get(url)

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=" + quote(url, safe="/")


@pytest.mark.parametrize("page", ["area_create", "area_edit", "area_move", "area_delete", "role_create"])
def test_it_saves_nothing_an_anonymous_visitor_posts(page, import_job, grid_a1_assignment, tree_snapshot):
    before = tree_snapshot()
    url = page_urls(import_job.pk, grid_a1_assignment.pk)[page]

    response = Client().post(url, {"code": "220104001009", "name": "匿名", "level": "community"})

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert tree_snapshot() == before


# --- in scope → 200 ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        "area_list",
        "area_pick",
        "area_detail",
        "area_children",
        "area_create",
        "area_edit",
        "area_move",
        "area_delete",
        "area_export",
        "import_list",
        "import_new",
        "import_template",
        "import_detail",
        "import_progress",
        "import_rejected",
    ],
)
def test_it_shows_street_a_its_own_pages(page, street_a, import_job, grid_a1_assignment, client_for):
    url = page_urls(import_job.pk, grid_a1_assignment.pk)[page]

    response = client_for(street_a).get(url)

    assert response.status_code == 200


def test_it_lets_the_city_org_department_open_the_role_form(city_org, client_for):
    response = client_for(city_org).get(reverse("orgs:role_create") + "?area=" + STREET_A)

    assert response.status_code == 200


def test_it_exports_the_subtree_as_a_spreadsheet(street_a, client_for):
    response = client_for(street_a).get(reverse("orgs:area_export", args=[STREET_A]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_it_lets_street_a_confirm_and_cancel_its_own_imports(street_a, import_job, client_for):
    client = client_for(street_a)
    other = ImportJob.objects.create(kind="areas", user=street_a, filename="b.csv", content=CSV_A3, summary={})

    confirmed = client.post(reverse("core:import_confirm", args=[import_job.pk]))
    cancelled = client.post(reverse("core:import_cancel", args=[other.pk]))

    assert confirmed.status_code == 302
    assert cancelled.status_code == 302
    import_job.refresh_from_db()
    other.refresh_from_db()
    assert import_job.status == JobStatus.DONE
    assert Area.objects.filter(code="220104001003", name="A3社区").exists()
    assert other.status == JobStatus.CANCELLED
    assert tree.check().ok


# --- out of scope → 404 --------------------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        "area_detail",
        "area_children",
        "area_create",
        "area_edit",
        "area_move",
        "area_delete",
        "area_export",
        "import_detail",
        "import_progress",
        "import_rejected",
    ],
)
def test_it_answers_404_to_street_b_for_the_pages_of_street_a(
    page, street_b, import_job, grid_a1_assignment, client_for
):
    url = page_urls(import_job.pk, grid_a1_assignment.pk)[page]

    response = client_for(street_b).get(url)

    assert response.status_code == 404


@pytest.mark.parametrize("code", [CITY, DISTRICT, STREET_A, COMMUNITY_A1, GRID_A1, BUILDING_A1])
def test_it_answers_404_for_an_area_outside_street_b(code, street_b, client_for):
    response = client_for(street_b).get(reverse("orgs:area_detail", args=[code]))

    assert response.status_code == 404


def test_it_answers_404_for_an_area_that_does_not_exist(street_a, client_for):
    response = client_for(street_a).get(reverse("orgs:area_detail", args=["220104001999"]))

    assert response.status_code == 404


@pytest.mark.parametrize("page", ["import_confirm", "import_cancel"])
def test_it_answers_404_to_street_b_confirming_or_cancelling_an_import_of_street_a(
    page, street_b, import_job, grid_a1_assignment, client_for, tree_snapshot
):
    before = tree_snapshot()
    url = page_urls(import_job.pk, grid_a1_assignment.pk)[page]

    response = client_for(street_b).post(url)

    assert response.status_code == 404
    import_job.refresh_from_db()
    assert import_job.status == JobStatus.PREVIEWED
    assert tree_snapshot() == before


@pytest.mark.parametrize("page", ["import_new", "import_template"])
def test_it_answers_404_to_a_grid_worker_for_the_area_import(page, grid_a1, client_for):
    response = client_for(grid_a1).get(reverse(f"core:{page}", args=["areas"]))

    assert response.status_code == 404


def test_it_answers_404_for_an_unknown_import_kind(street_a, client_for):
    response = client_for(street_a).get(reverse("core:import_new", args=["nonsense"]))

    assert response.status_code == 404


def test_it_lists_only_the_users_own_imports(street_a, street_b, import_job, client_for):
    theirs = client_for(street_b).get(reverse("core:import_list"))
    mine = client_for(street_a).get(reverse("core:import_list"))

    assert list(theirs.context["object_list"]) == []
    assert [job.pk for job in mine.context["object_list"]] == [import_job.pk]


# --- out-of-scope writes → nothing saved ----------------------------------------------------


def test_street_b_cannot_create_an_area_under_street_a(street_b, client_for, tree_snapshot):
    before = tree_snapshot()

    response = client_for(street_b).post(
        reverse("orgs:area_create", args=[STREET_A]), {"code": "220104001009", "name": "越权社区", "level": "community"}
    )

    assert response.status_code == 404
    assert tree_snapshot() == before


def test_street_b_cannot_edit_an_area_of_street_a(street_b, client_for, tree_snapshot):
    before = tree_snapshot()

    response = client_for(street_b).post(
        reverse("orgs:area_edit", args=[COMMUNITY_A1]), {"name": "越权改名", "level": "community"}
    )

    assert response.status_code == 404
    assert Area.objects.get(code=COMMUNITY_A1).name == "A1社区"
    assert tree_snapshot() == before


def test_street_b_cannot_move_an_area_of_street_a_into_its_street(street_b, client_for, tree_snapshot):
    before = tree_snapshot()

    response = client_for(street_b).post(
        reverse("orgs:area_move", args=[COMMUNITY_A1]), {"parent_code": STREET_B, "code": "220104002009"}
    )

    assert response.status_code == 404
    assert tree_snapshot() == before
    assert tree.check().ok


def test_street_b_cannot_delete_an_area_of_street_a(street_b, client_for, tree_snapshot):
    before = tree_snapshot()

    response = client_for(street_b).post(reverse("orgs:area_delete", args=[COMMUNITY_A2]))

    assert response.status_code == 404
    assert Area.objects.filter(code=COMMUNITY_A2).exists()
    assert tree_snapshot() == before


def test_street_a_cannot_create_a_child_under_street_b(street_a, client_for, tree_snapshot):
    before = tree_snapshot()

    response = client_for(street_a).post(
        reverse("orgs:area_create", args=[STREET_B]), {"code": "220104002009", "name": "越权社区", "level": "community"}
    )

    assert response.status_code == 404
    assert tree_snapshot() == before


def test_street_a_cannot_create_a_child_whose_code_lies_under_street_b(street_a, client_for, tree_snapshot):
    before = tree_snapshot()

    response = client_for(street_a).post(
        reverse("orgs:area_create", args=[STREET_A]), {"code": "220104002009", "name": "越权社区", "level": "community"}
    )

    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert tree_snapshot() == before


def test_street_a_cannot_move_an_area_of_its_street_under_street_b(street_a, client_for, tree_snapshot):
    before = tree_snapshot()

    response = client_for(street_a).post(
        reverse("orgs:area_move", args=[COMMUNITY_A2]), {"parent_code": STREET_B, "code": "220104002002"}
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors
    assert "parent_code" in form.errors
    assert tree_snapshot() == before
    assert tree.check().ok


def test_street_a_cannot_move_an_area_to_a_code_outside_its_street(street_a, client_for, tree_snapshot):
    before = tree_snapshot()

    response = client_for(street_a).post(
        reverse("orgs:area_move", args=[GRID_A1_2]), {"parent_code": DISTRICT, "code": "220104003"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert tree_snapshot() == before


@pytest.mark.parametrize("page", ["area_edit", "area_move", "area_delete"])
def test_street_a_cannot_change_its_street_itself(page, street_a, client_for, tree_snapshot):
    """A street cadre manages the tree below its street, not the street's own record."""
    before = tree_snapshot()
    client = client_for(street_a)
    url = reverse(f"orgs:{page}", args=[STREET_A])

    assert client.get(url).status_code == 404
    response = client.post(url, {"name": "改名街道", "level": "street", "parent_code": DISTRICT, "code": "220104009"})

    assert response.status_code == 404
    assert tree_snapshot() == before


@pytest.mark.parametrize("page", ["area_create", "area_edit", "area_move", "area_delete"])
def test_a_grid_worker_cannot_change_the_tree_of_its_grid(page, grid_a1, client_for, tree_snapshot):
    before = tree_snapshot()
    client = client_for(grid_a1)
    code = GRID_A1 if page == "area_create" else BUILDING_A1
    url = reverse(f"orgs:{page}", args=[code])

    assert client.get(url).status_code == 404
    response = client.post(url, {"code": BUILDING_A1 + "09", "name": "改名", "level": "unit"})

    assert response.status_code == 404
    assert Area.objects.get(code=BUILDING_A1).name == "1栋"
    assert tree_snapshot() == before


def test_street_b_cannot_grant_a_role_in_street_a(street_b, client_for, tree_snapshot):
    before = tree_snapshot()

    response = client_for(street_b).post(
        reverse("orgs:role_create"), {"user": street_b.pk, "area_code": STREET_A, "role": Role.STREET_CADRE}
    )

    assert response.status_code == 404
    assert tree_snapshot() == before


@pytest.mark.parametrize("cast", ["street_a", "grid_a1", "street_b"])
def test_it_answers_404_for_the_role_form_to_a_user_who_may_grant_no_role(cast, request, client_for):
    """Only an org department grants roles; nobody else sees the form and its list of users."""
    user = request.getfixturevalue(cast)

    response = client_for(user).get(reverse("orgs:role_create"))

    assert response.status_code == 404


def test_the_org_department_of_street_b_cannot_grant_a_role_in_street_a(areas, street_a, client_for, tree_snapshot):
    org_b = make_user("org_b", Role.ORG_DEPARTMENT, areas[STREET_B])
    before = tree_snapshot()

    response = client_for(org_b).post(
        reverse("orgs:role_create"), {"user": org_b.pk, "area_code": STREET_A, "role": Role.STREET_CADRE}
    )

    assert response.status_code == 200
    assert "area_code" in response.context["form"].errors
    assert tree_snapshot() == before


def test_the_org_department_of_street_b_cannot_revoke_a_role_in_street_a(
    areas, grid_a1_assignment, client_for, tree_snapshot
):
    org_b = make_user("org_b", Role.ORG_DEPARTMENT, areas[STREET_B])
    before = tree_snapshot()

    response = client_for(org_b).post(reverse("orgs:role_delete", args=[grid_a1_assignment.pk]))

    assert response.status_code == 404
    assert RoleAssignment.objects.filter(pk=grid_a1_assignment.pk).exists()
    assert tree_snapshot() == before


def test_a_street_cadre_cannot_revoke_a_role_even_in_its_own_street(street_a, grid_a1_assignment, client_for):
    response = client_for(street_a).post(reverse("orgs:role_delete", args=[grid_a1_assignment.pk]))

    assert response.status_code == 404
    assert RoleAssignment.objects.filter(pk=grid_a1_assignment.pk).exists()


def test_the_city_org_department_grants_and_revokes_a_role_in_street_a(city_org, street_b, client_for):
    client = client_for(city_org)

    granted = client.post(
        reverse("orgs:role_create"), {"user": street_b.pk, "area_code": COMMUNITY_A2, "role": Role.COMMUNITY_CADRE}
    )

    assert granted.status_code == 302
    assignment = RoleAssignment.objects.get(user=street_b, area__code=COMMUNITY_A2)
    revoked = client.post(reverse("orgs:role_delete", args=[assignment.pk]))
    assert revoked.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_a_get_to_revoke_a_role_asks_first_and_revokes_nothing(city_org, grid_a1_assignment, client_for):
    response = client_for(city_org).get(reverse("orgs:role_delete", args=[grid_a1_assignment.pk]))

    assert response.status_code == 200
    assert "确定撤销吗" in response.content.decode()
    assert RoleAssignment.objects.filter(pk=grid_a1_assignment.pk).exists()


def test_street_b_cannot_import_areas_into_street_a(street_b, client_for, tree_snapshot):
    before = tree_snapshot()
    client = client_for(street_b)

    uploaded = client.post(
        reverse("core:import_new", args=["areas"]), {"file": SimpleUploadedFile("a3.csv", CSV_A3, "text/csv")}
    )
    assert uploaded.status_code == 302
    job = ImportJob.objects.get(user=street_b)
    assert [r["row"] for r in job.summary["rejected"]] == [2]
    assert "不在您可管理的范围内" in job.summary["rejected"][0]["reason"]

    refused = client.post(reverse("core:import_confirm", args=[job.pk]))
    forced = client.post(reverse("core:import_confirm", args=[job.pk]), {"skip_invalid": "1"})

    assert refused.status_code == 302 and forced.status_code == 302
    assert not Area.objects.filter(code="220104001003").exists()
    assert tree_snapshot() == before


# --- in-scope writes --------------------------------------------------------------------------


def test_the_city_org_department_creates_a_district(city_org, client_for):
    response = client_for(city_org).post(
        reverse("orgs:area_create", args=[CITY]), {"code": "220105", "name": "二道区", "level": "district"}
    )

    assert response.status_code == 302
    district = Area.objects.get(code="220105")
    assert (district.name, district.level, district.parent.code) == ("二道区", "district", CITY)
    assert response["Location"] == district.get_absolute_url()
    assert tree.check().ok


def test_street_a_creates_a_community_in_its_street(street_a, client_for):
    response = client_for(street_a).post(
        reverse("orgs:area_create", args=[STREET_A]), {"code": "220104001003", "name": "A3社区", "level": "community"}
    )

    assert response.status_code == 302
    assert Area.objects.get(code="220104001003").parent.code == STREET_A
    assert tree.check().ok


def test_street_a_renames_a_community_of_its_street(street_a, client_for):
    response = client_for(street_a).post(
        reverse("orgs:area_edit", args=[COMMUNITY_A1]), {"name": "前进一社区", "level": "community"}
    )

    assert response.status_code == 302
    assert Area.objects.get(code=COMMUNITY_A1).name == "前进一社区"
    assert tree.check().ok


def test_street_a_moves_a_grid_to_another_community_of_its_street(street_a, client_for):
    response = client_for(street_a).post(
        reverse("orgs:area_move", args=[GRID_A1_2]), {"parent_code": COMMUNITY_A2, "code": "220104001002001"}
    )

    assert response.status_code == 302
    moved = Area.objects.get(code="220104001002001")
    assert moved.name == "第2网格"
    assert moved.parent.code == COMMUNITY_A2
    assert not Area.objects.filter(code=GRID_A1_2).exists()
    assert tree.check().ok


# --- list and search never show what lies out of scope ------------------------------------------


def test_the_list_shows_street_b_only_its_own_areas(street_b, client_for):
    response = client_for(street_b).get(reverse("orgs:area_list"), {"view": "list"})

    codes = [area.code for area in response.context["object_list"]]
    assert codes == ["220104002", "220104002001", "220104002001001"]
    assert "A1社区" not in response.content.decode()


def test_the_list_filtered_by_name_finds_nothing_of_street_a_for_street_b(street_b, client_for):
    response = client_for(street_b).get(reverse("orgs:area_list") + "?q=A1")

    assert list(response.context["object_list"]) == []


def test_the_list_filtered_by_code_finds_nothing_of_street_a_for_street_b(street_b, client_for):
    response = client_for(street_b).get(reverse("orgs:area_list") + "?q=" + STREET_A)

    assert list(response.context["object_list"]) == []


def test_the_list_export_holds_only_the_users_scope(street_b, client_for):
    response = client_for(street_b).get(reverse("orgs:area_list") + "?export=xlsx")

    assert response.status_code == 200
    table = read_table(response.content, AreaImporter.columns)
    assert [row["code"] for row in table.rows] == ["220104002", "220104002001", "220104002001001"]


def found_areas(response):
    """The codes of the areas the menu bar's search (core:search) found."""
    return [
        record.code
        for group in response.context["groups"]
        if group.model_label == "orgs.area"
        for record, _detail in group.results
    ]


def test_the_old_area_search_sends_a_bookmark_to_the_search_with_its_query(street_a, client_for):
    client = client_for(street_a)

    response = client.get(reverse("orgs:area_search") + "?q=第1网格")
    empty = client.get(reverse("orgs:area_search"))

    assert response.status_code == 302
    assert response["Location"] == reverse("core:search") + "?q=" + quote("第1网格")
    assert found_areas(client.get(response["Location"])) == [GRID_A1]
    assert empty["Location"] == reverse("core:search")


def test_street_b_searching_for_a1_finds_nothing(street_b, client_for):
    response = client_for(street_b).get(reverse("orgs:area_search") + "?q=A1", follow=True)

    assert response.status_code == 200
    assert found_areas(response) == []
    assert COMMUNITY_A1 not in response.content.decode()


def test_street_b_searching_for_a_code_of_street_a_finds_nothing(street_b, client_for):
    response = client_for(street_b).get(reverse("core:search") + "?q=" + COMMUNITY_A1)

    assert found_areas(response) == []


def test_street_a_searching_for_a1_finds_its_community(street_a, client_for):
    response = client_for(street_a).get(reverse("core:search") + "?q=A1")

    assert found_areas(response) == [COMMUNITY_A1]
    assert "A1社区" in response.content.decode()


def test_a_search_for_a_grid_name_stays_within_the_scope(street_a, street_b, client_for):
    """Both streets have a “第1网格”: each cadre finds only the own one."""
    mine = client_for(street_a).get(reverse("core:search") + "?q=第1网格")
    theirs = client_for(street_b).get(reverse("core:search") + "?q=第1网格")

    assert found_areas(mine) == [GRID_A1]
    assert found_areas(theirs) == ["220104002001001"]


# --- delete ------------------------------------------------------------------------------------


def test_it_refuses_to_delete_an_area_with_records_under_it(street_a, grid_a1_assignment, client_for, tree_snapshot):
    before = tree_snapshot()
    client = client_for(street_a)
    url = reverse("orgs:area_delete", args=[COMMUNITY_A1])

    page = client.get(url)
    response = client.post(url)

    assert "不能删除" in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:area_detail", args=[COMMUNITY_A1])
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("不能删除" in text and "角色授权" in text for text in texts), texts
    assert Area.objects.filter(code=COMMUNITY_A1).exists()
    assert tree_snapshot() == before


def test_it_deletes_a_leaf_and_keeps_the_tree_sound(street_a, client_for):
    count = Area.objects.count()

    response = client_for(street_a).post(reverse("orgs:area_delete", args=[COMMUNITY_A2]))

    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:area_detail", args=[STREET_A])
    assert not Area.objects.filter(code=COMMUNITY_A2).exists()
    assert Area.objects.count() == count - 1
    assert tree.check().ok


def test_it_deletes_an_area_with_its_empty_subtree(street_a, client_for):
    response = client_for(street_a).post(reverse("orgs:area_delete", args=[GRID_A1]))

    assert response.status_code == 302
    assert not Area.objects.filter(code__startswith=GRID_A1).exists()
    assert Area.objects.filter(code=GRID_A1_2).exists()
    assert tree.check().ok
