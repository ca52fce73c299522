"""The roster pages (coverage, roster, its export, a person's page, appoint, relieve, my grids)
pass the matrix of STYLE rule 8: anonymous → login, in scope → 200, out of scope → 404,
out-of-scope write → nothing saved; list pages keep a bounded number of queries.

The roster of every story here (`people`):

    grid A1   220104001001001   网格长 张伟 (中共党员, 13912345678), 网格员 陈静 (专职, 共青团员)
      1栋     220104001001001001  楼栋长 王芳 (群众)
        1单元 22010400100100100101  单元长 李娜 (中共预备党员)
    grid A2   220104001001002   网格长 刘洋, relieved; 网格员 孙丽 (群众)
    grid B1   220104002001001   网格长 赵磊 (street B only); 十联户长 孙丽 (she works in both streets)
"""

import datetime
import io

import pytest
from django.db import transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.models import PersonalDataAccess
from core.personal_data import mask
from grids import coverage
from grids.choices import PoliticalStatus, Post
from grids.demo import HEADERS
from grids.models import HeadAssignment, Person
from orgs import tree
from orgs.choices import Role
from orgs.models import Area
from tests.conftest import make_user
from tests.grids.conftest import valid_id_number

STREET_A, STREET_B = "220104001", "220104002"
GRID_A1, GRID_A2, GRID_B1 = "220104001001001", "220104001001002", "220104002001001"
BUILDING_A1, UNIT_A1 = "220104001001001001", "22010400100100100101"
STREET_A_CODES = [STREET_A, "220104001001", GRID_A1, BUILDING_A1, UNIT_A1, GRID_A2, "220104001002"]
WHOLE, MASKED = "13912345678", "139****5678"
START = datetime.date(2024, 1, 1)
GOOD_ID = valid_id_number("22010419800101004")
BAD_CHECK_DIGIT = GOOD_ID[:-1] + ("1" if GOOD_ID[-1] != "1" else "2")


@pytest.fixture
def people(cast_roster):
    """The roster of the module docstring (tests/grids/conftest.py): {name: Person}."""
    return cast_roster


@pytest.fixture
def department(areas):
    """A functional department (职能部门) over street A: may read, never write."""
    return make_user("housing", Role.DEPARTMENT, areas[STREET_A])


def post_of(name, post=None):
    posts = HeadAssignment.objects.filter(person__name=name)
    return posts.get(post=post) if post else posts.get()


def appoint_data(**data):
    return {"post": Post.GRID_HEAD, "name": "周杰", "phone": "13900000008", **data}


def page_urls(code):
    return [
        reverse("grids:coverage", args=[code]),
        reverse("grids:roster", args=[code]),
        reverse("grids:roster", args=[code]) + "?export=xlsx",
        reverse("grids:appoint", args=[code]),
    ]


def person_url(person):
    return reverse("grids:person_detail", args=[person.pk])


def relieve_url(assignment):
    return reverse("grids:relieve", args=[assignment.pk])


def names(response):
    return sorted(post.person.name for post in response.context["object_list"])


# --- anonymous → login ---------------------------------------------------------------------------


def assert_sent_to_login(response):
    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("url", [*page_urls(GRID_A1), reverse("grids:my_grids")])
def test_an_anonymous_visitor_is_sent_to_the_login_page(url, people):
    assert_sent_to_login(Client().get(url))


def test_an_anonymous_visitor_is_sent_to_the_login_page_from_a_person(people):
    assert_sent_to_login(Client().get(person_url(people["张伟"])))


def test_an_anonymous_appointment_is_sent_to_the_login_page_and_saves_nothing(people, roster_state):
    before = roster_state()

    assert_sent_to_login(Client().post(reverse("grids:appoint", args=[GRID_A1]), appoint_data()))

    assert roster_state() == before


def test_an_anonymous_relief_is_sent_to_the_login_page_and_saves_nothing(people, roster_state):
    before = roster_state()

    assert_sent_to_login(Client().post(relieve_url(post_of("王芳"))))

    assert roster_state() == before


# --- in scope → 200 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("code", STREET_A_CODES)
def test_street_a_sees_the_coverage_and_roster_of_every_area_of_street_a(code, people, street_a, client_for):
    client = client_for(street_a)

    assert client.get(reverse("grids:coverage", args=[code])).status_code == 200
    assert client.get(reverse("grids:roster", args=[code])).status_code == 200
    assert client.get(reverse("grids:roster", args=[code]) + "?export=xlsx").status_code == 200


@pytest.mark.parametrize("code", [GRID_A1, BUILDING_A1, UNIT_A1, GRID_A2])
def test_street_a_opens_the_appointment_form_of_its_grids_buildings_and_units(code, people, street_a, client_for):
    assert client_for(street_a).get(reverse("grids:appoint", args=[code])).status_code == 200


@pytest.mark.parametrize("code", [STREET_A, "220104001001"])
def test_there_is_no_appointment_form_above_the_grids(code, people, street_a, client_for):
    assert client_for(street_a).get(reverse("grids:appoint", args=[code])).status_code == 404


@pytest.mark.parametrize("name", ["张伟", "陈静", "王芳", "李娜", "刘洋", "孙丽"])
def test_street_a_opens_the_page_of_each_person_holding_a_post_in_street_a(name, people, street_a, client_for):
    assert client_for(street_a).get(person_url(people[name])).status_code == 200


def test_the_city_organisation_department_sees_both_streets(people, city_org, client_for):
    client = client_for(city_org)

    for code in ("2201", STREET_A, STREET_B, GRID_B1):
        assert client.get(reverse("grids:coverage", args=[code])).status_code == 200
        assert client.get(reverse("grids:roster", args=[code])).status_code == 200
    assert client.get(person_url(people["赵磊"])).status_code == 200
    assert client.get(person_url(people["张伟"])).status_code == 200


def test_the_grid_worker_sees_the_own_grid_and_nothing_beside_it(people, grid_a1, client_for):
    client = client_for(grid_a1)

    assert client.get(reverse("grids:roster", args=[GRID_A1])).status_code == 200
    assert client.get(reverse("grids:coverage", args=[BUILDING_A1])).status_code == 200
    assert client.get(person_url(people["王芳"])).status_code == 200
    assert client.get(reverse("grids:roster", args=[STREET_A])).status_code == 404
    assert client.get(reverse("grids:roster", args=[GRID_A2])).status_code == 404
    assert client.get(person_url(people["刘洋"])).status_code == 404


def test_the_roster_of_street_a_holds_street_a_and_nothing_else(people, street_a, client_for):
    response = client_for(street_a).get(reverse("grids:roster", args=[STREET_A]), {"state": "all"})

    assert names(response) == sorted(["张伟", "陈静", "王芳", "李娜", "刘洋", "孙丽"])
    assert "赵磊" not in response.content.decode()


def test_the_coverage_page_shows_the_figures_and_the_gaps(people, street_a, city_org, client_for):
    response = client_for(street_a).get(reverse("grids:coverage", args=[STREET_A]))

    figures = response.context["figures"]
    assert (figures.level("grid").covered, figures.level("grid").total) == (1, 2)
    assert [c.area.code for c in response.context["children"]] == ["220104001001", "220104001002"]
    assert [gap.code for gap in response.context["page_obj"]] == [GRID_A2]
    html = response.content.decode()
    assert "50.0%" in html
    assert reverse("grids:appoint", args=[GRID_A2]) in html
    # The district's 组织部 reads the same page, without the links to appoint.
    html = client_for(city_org).get(reverse("grids:coverage", args=[STREET_A])).content.decode()
    assert "50.0%" in html
    assert reverse("grids:appoint", args=[GRID_A2]) not in html


# --- out of scope → 404 ----------------------------------------------------------------------------


@pytest.mark.parametrize("code", STREET_A_CODES)
def test_street_b_finds_none_of_the_pages_of_street_a(code, people, street_b, client_for):
    client = client_for(street_b)

    for url in page_urls(code):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("code", ["2201", "220104", "220104009"])
def test_street_b_finds_no_page_above_its_street_nor_of_a_missing_area(code, people, street_b, client_for):
    for url in page_urls(code):
        assert client_for(street_b).get(url).status_code == 404, url


@pytest.mark.parametrize("name", ["张伟", "陈静", "王芳", "李娜", "刘洋"])
def test_street_b_finds_no_person_whose_posts_are_all_in_street_a(name, people, street_b, client_for):
    assert client_for(street_b).get(person_url(people[name])).status_code == 404


def test_a_person_of_both_streets_shows_street_b_only_the_posts_of_street_b(people, street_b, client_for):
    response = client_for(street_b).get(person_url(people["孙丽"]))

    assert response.status_code == 200
    assert [(p.area.code, p.post) for p in response.context["posts"]] == [(GRID_B1, Post.TEN_HOUSEHOLD_HEAD)]
    assert GRID_A2 not in response.content.decode()


def test_a_missing_person_is_not_found(people, street_a, client_for):
    assert client_for(street_a).get(reverse("grids:person_detail", args=[999999])).status_code == 404


# --- out-of-scope writes → 404 and nothing saved --------------------------------------------------


@pytest.mark.parametrize("code", [GRID_A1, GRID_A2, BUILDING_A1, UNIT_A1])
def test_street_b_cannot_appoint_in_street_a(code, people, street_b, client_for, roster_state):
    post = {GRID_A1: Post.GRID_HEAD, GRID_A2: Post.GRID_HEAD, BUILDING_A1: Post.BUILDING_HEAD}.get(code, Post.UNIT_HEAD)
    before = roster_state()

    response = client_for(street_b).post(reverse("grids:appoint", args=[code]), appoint_data(post=post))

    assert response.status_code == 404
    assert roster_state() == before


@pytest.mark.parametrize("name", ["张伟", "陈静", "王芳", "李娜", "孙丽"])
def test_street_b_cannot_relieve_anybody_of_a_post_in_street_a(name, people, street_b, client_for, roster_state):
    assignment = HeadAssignment.objects.get(person__name=name, area__code__startswith=STREET_A)
    before = roster_state()

    response = client_for(street_b).post(relieve_url(assignment))

    assert response.status_code == 404
    assert roster_state() == before


def test_a_functional_department_reads_no_roster_and_cannot_appoint_nor_relieve(
    people, department, client_for, roster_state
):
    """A functional department reads the tree and its own work (DESIGN §2), not the roster."""
    client = client_for(department)
    before = roster_state()

    assert client.get(reverse("grids:roster", args=[STREET_A])).status_code == 404
    assert client.get(reverse("grids:coverage", args=[STREET_A])).status_code == 404
    assert client.get(person_url(people["张伟"])).status_code == 404
    assert client.get(reverse("grids:appoint", args=[GRID_A1])).status_code == 404
    assert client.post(reverse("grids:appoint", args=[GRID_A1]), appoint_data()).status_code == 404
    assert client.post(relieve_url(post_of("王芳"))).status_code == 404
    assert roster_state() == before


def test_the_city_organisation_department_reads_but_does_not_keep_rosters(people, city_org, client_for, roster_state):
    before = roster_state()

    assert client_for(city_org).post(reverse("grids:appoint", args=[GRID_A1]), appoint_data()).status_code == 404
    assert client_for(city_org).post(relieve_url(post_of("王芳"))).status_code == 404
    assert roster_state() == before


def test_the_grid_worker_appoints_a_building_head_in_the_own_grid(people, grid_a1, client_for):
    response = client_for(grid_a1).post(
        reverse("grids:appoint", args=[BUILDING_A1]),
        appoint_data(post=Post.BUILDING_HEAD, name="黄敏", phone="13900000010"),
    )

    assert response.status_code == 302
    assert HeadAssignment.objects.current().get(area__code=BUILDING_A1, post=Post.BUILDING_HEAD).person.name == "黄敏"


def test_the_grid_worker_cannot_appoint_in_the_neighbouring_grid(people, grid_a1, client_for, roster_state):
    with transaction.atomic():
        tree.bulk_load([tree.AreaRow("220104001001002001", "1栋", "building", GRID_A2)])
    client = client_for(grid_a1)
    before = roster_state()

    assert client.get(reverse("grids:appoint", args=[GRID_A2])).status_code == 404
    assert client.post(reverse("grids:appoint", args=[GRID_A2]), appoint_data()).status_code == 404
    assert (
        client.post(
            reverse("grids:appoint", args=["220104001001002001"]), appoint_data(post=Post.BUILDING_HEAD)
        ).status_code
        == 404
    )
    assert client.post(relieve_url(post_of("孙丽", Post.GRID_WORKER))).status_code == 404
    assert roster_state() == before


# --- query counts ------------------------------------------------------------------------------------


def add_posts(count, first=2):
    """`count` more buildings in grid A1 (numbered from `first`), each with a building head."""
    codes = [f"220104001001001{n:03d}" for n in range(first, first + count)]
    with transaction.atomic():
        tree.bulk_load([tree.AreaRow(code, f"{code[-3:]}栋", "building", GRID_A1) for code in codes])
    buildings = Area.objects.filter(code__in=codes).order_by("code")
    persons = Person.objects.bulk_create(
        Person(name=f"楼长{n}", phone=f"137{n:08d}", political_status=PoliticalStatus.PARTY_MEMBER)
        for n in range(first, first + count)
    )
    HeadAssignment.objects.bulk_create(
        HeadAssignment(person=p, area=b, post=Post.BUILDING_HEAD, start_date=START)
        for p, b in zip(persons, buildings, strict=True)
    )


def count_queries(client, url):
    from django.db import connection

    client.get(url)  # warm up: content types, sessions
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("street_a", reverse("grids:roster", args=[STREET_A])),
        ("street_a", reverse("grids:roster", args=[STREET_A]) + "?state=all&post=building_head"),
        ("street_a", reverse("grids:roster", args=[GRID_A1]) + "?party=yes"),
        ("city_org", reverse("grids:roster", args=["2201"]) + "?q=楼长"),
        ("street_a", reverse("grids:coverage", args=[STREET_A])),
        ("city_org", reverse("grids:coverage", args=["2201"])),
        ("street_a", reverse("grids:coverage", args=[GRID_A1]) + "?level=building"),
        ("grid_a1", reverse("grids:my_grids")),
    ],
)
def test_a_list_page_takes_a_bounded_number_of_queries_whatever_the_number_of_posts(
    who, url, people, request, client_for, django_assert_max_num_queries
):
    client = client_for(request.getfixturevalue(who))
    add_posts(3)
    small = count_queries(client, url)
    assert small <= 20

    add_posts(100, first=5)
    coverage.refresh_tallies()  # as the first reader after the writes would (a fixed number of queries)

    # A list that fits its first page is counted by its rows (core.paging); a longer one adds its
    # COUNT, one query whatever its length.
    with django_assert_max_num_queries(small + 1):
        response = client.get(url)
    assert response.status_code == 200


def test_the_second_page_of_the_roster_takes_no_more_queries_than_the_first(
    people, street_a, client_for, django_assert_max_num_queries
):
    add_posts(100)
    client = client_for(street_a)
    first = count_queries(client, reverse("grids:roster", args=[STREET_A]))

    with django_assert_max_num_queries(first):
        response = client.get(reverse("grids:roster", args=[STREET_A]), {"page": 2})
    assert len(response.context["object_list"]) == 50


def test_the_person_page_takes_a_bounded_number_of_queries(
    people, holder, street_a, client_for, django_assert_max_num_queries
):
    client = client_for(street_a)
    small = count_queries(client, person_url(people["张伟"]))
    for n in range(2, 12):
        tree.bulk_load([tree.AreaRow(f"220104001001001{n:03d}", f"{n}栋", "building", GRID_A1)])
        holder(f"220104001001001{n:03d}", Post.BUILDING_HEAD, "张伟", phone=WHOLE, start_date=START)

    with django_assert_max_num_queries(small):
        response = client.get(person_url(people["张伟"]))
    assert len(response.context["posts"]) == 11


# --- filters --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["孙丽", "张伟", "李娜", "王芳", "陈静"]),
        ({"post": Post.GRID_HEAD}, ["张伟"]),
        ({"post": Post.GRID_WORKER}, ["孙丽", "陈静"]),
        ({"post": Post.GRID_HEAD, "state": "all"}, ["刘洋", "张伟"]),
        ({"party": "yes"}, ["张伟", "李娜"]),
        ({"party": "no"}, ["孙丽", "王芳", "陈静"]),
        ({"state": "current"}, ["孙丽", "张伟", "李娜", "王芳", "陈静"]),
        ({"state": "ended"}, ["刘洋"]),
        ({"state": "all"}, ["刘洋", "孙丽", "张伟", "李娜", "王芳", "陈静"]),
        ({"q": "王芳"}, ["王芳"]),
        ({"q": " 张伟 "}, ["张伟"]),
        ({"q": "第2网格"}, ["孙丽"]),
        ({"q": "第2网格", "state": "all"}, ["刘洋", "孙丽"]),
        ({"q": "1单元"}, ["李娜"]),
        ({"party": "yes", "post": Post.UNIT_HEAD}, ["李娜"]),
        ({"q": "赵磊", "state": "all"}, []),
    ],
)
def test_the_roster_filters(query, expected, people, street_a, client_for):
    response = client_for(street_a).get(reverse("grids:roster", args=[STREET_A]), query)

    assert response.status_code == 200
    assert names(response) == sorted(expected)


def test_the_roster_pages_by_fifty(people, street_a, client_for):
    add_posts(60)
    client = client_for(street_a)

    first = client.get(reverse("grids:roster", args=[STREET_A]))
    second = client.get(reverse("grids:roster", args=[STREET_A]), {"page": 2})

    assert len(first.context["object_list"]) == 50
    assert len(second.context["object_list"]) == 65 - 50


# --- personal data -------------------------------------------------------------------------------------


def test_the_roster_shows_phones_masked_without_the_permission(people, street_a, client_for):
    html = client_for(street_a).get(reverse("grids:roster", args=[GRID_A1])).content.decode()

    assert MASKED in html
    assert WHOLE not in html
    assert "13900000002" not in html and "139****0002" in html
    assert "/personal-data/" not in html


def test_the_person_page_shows_phone_and_id_masked_without_the_permission(people, id_number, street_a, client_for):
    html = client_for(street_a).get(person_url(people["张伟"])).content.decode()

    assert MASKED in html
    assert WHOLE not in html
    assert mask(id_number(1)) in html
    assert id_number(1) not in html


def test_the_person_page_keeps_numbers_masked_in_the_change_history(people, id_number, street_a, client_for):
    # 张伟 is recognised by his ID number and comes back with a new phone: the history shows
    # the change, but neither the old nor the new number whole.
    response = client_for(street_a).post(
        reverse("grids:appoint", args=[BUILDING_A1]),
        appoint_data(post=Post.BUILDING_HEAD, name="张伟", phone="13800001111", id_number=id_number(1)),
    )
    assert response.status_code == 302
    assert Person.objects.get(pk=people["张伟"].pk).phone == "13800001111"

    html = client_for(street_a).get(person_url(people["张伟"])).content.decode()

    assert WHOLE not in html
    assert "13800001111" not in html
    assert "138****1111" in html


def test_the_pages_offer_a_reveal_button_to_a_user_with_the_permission(
    people, street_a, client_for, grant_personal_data
):
    grant_personal_data(street_a)
    # The roster reveals the holder of a post, the person's page the person as shown to the user.
    post = HeadAssignment.objects.get(person=people["张伟"], post=Post.GRID_HEAD)
    post_url = reverse("core:reveal_personal_data", args=["grids.headassignment", post.pk, "phone"])
    url = reverse("core:reveal_personal_data", args=["grids.person", people["张伟"].pk, "phone"])

    roster = client_for(street_a).get(reverse("grids:roster", args=[GRID_A1])).content.decode()
    person = client_for(street_a).get(person_url(people["张伟"])).content.decode()

    assert post_url in roster and url in person
    assert WHOLE not in roster and WHOLE not in person
    assert PersonalDataAccess.objects.count() == 0


@pytest.mark.parametrize("field", ["phone", "id_number"])
def test_the_reveal_endpoint_shows_the_whole_number_and_logs_it(
    field, people, id_number, street_a, client_for, grant_personal_data
):
    grant_personal_data(street_a)
    person = people["张伟"]

    response = client_for(street_a).post(f"/personal-data/grids.person/{person.pk}/{field}/")

    assert response.status_code == 200
    assert {"phone": WHOLE, "id_number": id_number(1)}[field] in response.content.decode()
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.model, access.object_id, access.field) == (
        street_a,
        "grids.Person",
        str(person.pk),
        field,
    )


def test_the_reveal_endpoint_finds_no_person_out_of_scope(people, street_b, client_for, grant_personal_data):
    grant_personal_data(street_b)

    response = client_for(street_b).post(f"/personal-data/grids.person/{people['张伟'].pk}/phone/")

    assert response.status_code == 404
    assert WHOLE not in response.content.decode()
    assert PersonalDataAccess.objects.count() == 0


def test_the_reveal_endpoint_refuses_a_user_without_the_permission(people, street_a, client_for):
    response = client_for(street_a).post(f"/personal-data/grids.person/{people['张伟'].pk}/phone/")

    assert response.status_code == 404
    assert PersonalDataAccess.objects.count() == 0


def test_the_reveal_endpoint_refuses_an_anonymous_visitor(people):
    response = Client().post(f"/personal-data/grids.person/{people['张伟'].pk}/phone/")

    assert_sent_to_login(response)
    assert PersonalDataAccess.objects.count() == 0


def export_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    header, *rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert header == list(HEADERS)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_the_export_without_the_permission_holds_masked_numbers(people, id_number, street_a, client_for):
    rows = export_rows(client_for(street_a).get(reverse("grids:roster", args=[STREET_A]), {"export": "xlsx"}))

    zhang = next(row for row in rows if row["姓名"] == "张伟")
    assert (zhang["联系电话"], zhang["身份证号"]) == (MASKED, mask(id_number(1)))
    assert (zhang["网格编码"], zhang["职务"], zhang["政治面貌"]) == (GRID_A1, "网格长", "中共党员")
    assert sorted(row["姓名"] for row in rows) == sorted(["张伟", "陈静", "王芳", "李娜", "孙丽"])
    assert PersonalDataAccess.objects.count() == 0


def test_the_export_with_the_permission_holds_whole_numbers_and_is_logged(
    people, id_number, street_a, client_for, grant_personal_data
):
    grant_personal_data(street_a)

    rows = export_rows(client_for(street_a).get(reverse("grids:roster", args=[STREET_A]), {"export": "xlsx"}))

    zhang = next(row for row in rows if row["姓名"] == "张伟")
    assert (zhang["联系电话"], zhang["身份证号"]) == (WHOLE, id_number(1))
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.model, access.object_id) == (street_a, "grids.HeadAssignment", f"export:{STREET_A}")


def test_the_export_follows_the_filters(people, street_a, client_for):
    rows = export_rows(
        client_for(street_a).get(reverse("grids:roster", args=[STREET_A]), {"export": "xlsx", "state": "ended"})
    )

    assert [row["姓名"] for row in rows] == ["刘洋"]


# --- the appointment form ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"id_number": BAD_CHECK_DIGIT}, "校验位不正确"),
        ({"phone": "12345"}, "应为11位手机号或带区号的固定电话"),
        ({"phone": "", "id_number": ""}, "请至少填写联系电话或身份证号"),
        ({"phone": "", "id_number": "2201041980"}, "应为18位"),
        ({"name": ""}, "该字段是必填项"),
    ],
)
def test_the_appointment_form_explains_its_errors_in_chinese(data, error, people, street_a, client_for, roster_state):
    before = roster_state()

    response = client_for(street_a).post(reverse("grids:appoint", args=[GRID_A1]), appoint_data(**data))

    assert response.status_code == 200
    assert error in response.content.decode()
    assert roster_state() == before


def test_the_appointment_form_refuses_a_gender_that_contradicts_the_id_number(
    people, id_number, street_a, client_for, roster_state
):
    before = roster_state()

    response = client_for(street_a).post(
        reverse("grids:appoint", args=[GRID_A1]), appoint_data(id_number=id_number(3), gender="female")
    )

    assert "性别与身份证号不符" in response.content.decode()
    assert roster_state() == before


def test_the_appointment_form_offers_only_the_posts_of_the_level(people, street_a, client_for):
    client = client_for(street_a)

    grid = client.get(reverse("grids:appoint", args=[GRID_A1])).context["form"]
    building = client.get(reverse("grids:appoint", args=[BUILDING_A1])).context["form"]

    assert [v for v, _ in grid.fields["post"].choices] == [Post.GRID_HEAD, Post.GRID_WORKER, Post.TEN_HOUSEHOLD_HEAD]
    assert [v for v, _ in building.fields["post"].choices] == [Post.BUILDING_HEAD]


def test_a_post_of_another_level_is_refused(people, street_a, client_for, roster_state):
    before = roster_state()

    response = client_for(street_a).post(
        reverse("grids:appoint", args=[BUILDING_A1]), appoint_data(post=Post.GRID_HEAD)
    )

    assert response.status_code == 200
    assert roster_state() == before


def test_appointing_a_new_grid_head_replaces_the_current_one(people, street_a, client_for):
    old = post_of("张伟")

    response = client_for(street_a).post(reverse("grids:appoint", args=[GRID_A1]), appoint_data())

    assert response.status_code == 302
    assert response.url == reverse("grids:roster", args=[GRID_A1])
    old.refresh_from_db()
    assert old.end_date == timezone.localdate()
    new = HeadAssignment.objects.current().get(area__code=GRID_A1, post=Post.GRID_HEAD)
    assert (new.person.name, new.start_date, new.end_date) == ("周杰", timezone.localdate(), None)
    assert HeadAssignment.objects.filter(area__code=GRID_A1, post=Post.GRID_HEAD).count() == 2


def test_the_person_page_shows_the_history_of_the_posts(people, street_a, client_for):
    client = client_for(street_a)
    client.post(reverse("grids:appoint", args=[GRID_A1]), appoint_data())
    client.post(
        reverse("grids:appoint", args=[BUILDING_A1]),
        appoint_data(post=Post.BUILDING_HEAD, name="张伟", phone=WHOLE),
    )

    response = client.get(person_url(people["张伟"]))

    today = timezone.localdate()
    assert [(p.area.code, p.post, p.start_date, p.end_date) for p in response.context["posts"]] == [
        (BUILDING_A1, Post.BUILDING_HEAD, today, None),
        (GRID_A1, Post.GRID_HEAD, START, today),
    ]
    html = response.content.decode()
    assert "网格长" in html and "楼栋长" in html
    assert today.isoformat() in html and START.isoformat() in html
    assert response.context["history"]


def test_appointing_a_worker_keeps_the_other_workers(people, street_a, client_for):
    response = client_for(street_a).post(
        reverse("grids:appoint", args=[GRID_A1]), appoint_data(post=Post.GRID_WORKER, employment="part_time")
    )

    assert response.status_code == 302
    assert sorted(
        HeadAssignment.objects.current()
        .filter(area__code=GRID_A1, post=Post.GRID_WORKER)
        .values_list("person__name", flat=True)
    ) == ["周杰", "陈静"]


def test_reappointing_the_current_holder_is_refused_and_changes_nobody(
    people, id_number, street_a, client_for, roster_state
):
    before = roster_state()

    response = client_for(street_a).post(
        reverse("grids:appoint", args=[GRID_A1]),
        appoint_data(name="张伟", phone="13800002222", id_number=id_number(1)),
    )

    assert response.status_code == 200
    assert "已担任该职务" in response.content.decode()
    assert roster_state() == before


def test_an_appointment_dated_before_the_current_holder_is_refused_and_saves_nobody(
    people, street_a, client_for, roster_state
):
    before = roster_state()

    response = client_for(street_a).post(
        reverse("grids:appoint", args=[GRID_A1]), appoint_data(start_date="2023-06-01")
    )

    assert response.status_code == 200
    assert "任职日期不能早于现任者的任职日期" in response.content.decode()
    assert roster_state() == before


def test_the_appointment_goes_back_to_a_local_next_page_only(people, street_a, client_for):
    client = client_for(street_a)
    back = reverse("grids:coverage", args=[STREET_A])

    local = client.post(reverse("grids:appoint", args=[GRID_A1]), {**appoint_data(), "next": back})
    evil = client.post(
        reverse("grids:appoint", args=[BUILDING_A1]),
        {**appoint_data(post=Post.BUILDING_HEAD), "next": "https://evil.example/"},
    )

    assert local.url == back
    assert evil.url == reverse("grids:roster", args=[BUILDING_A1])


# --- relieving ------------------------------------------------------------------------------------------------


def test_relieving_sets_the_end_date_and_keeps_the_post(people, street_a, client_for):
    assignment = post_of("王芳")

    response = client_for(street_a).post(relieve_url(assignment))

    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.end_date == timezone.localdate()
    assert Area.objects.get(code=BUILDING_A1).head_assignments.current().count() == 0


def test_relieving_asks_first_and_a_get_relieves_nobody(people, street_a, client_for):
    response = client_for(street_a).get(relieve_url(post_of("王芳")))

    assert response.status_code == 200
    assert "王芳将于今天离任" in response.content.decode()
    assert post_of("王芳").end_date is None


def test_an_ended_post_cannot_be_relieved_again(people, street_a, client_for):
    assignment = post_of("刘洋")

    assert client_for(street_a).post(relieve_url(assignment)).status_code == 404
    assignment.refresh_from_db()
    assert assignment.end_date == datetime.date(2024, 6, 30)


def test_relieving_a_post_that_starts_in_the_future_is_refused_with_a_message(
    people, holder, street_a, client_for, roster_state
):
    future = holder(
        GRID_A2,
        Post.GRID_HEAD,
        "吴刚",
        phone="13900000012",
        start_date=timezone.localdate() + datetime.timedelta(days=7),
    )
    before = roster_state()

    response = client_for(street_a).post(relieve_url(future), follow=True)

    assert response.status_code == 200
    assert "离任日期不能早于任职日期" in response.content.decode()
    assert roster_state() == before


# --- my grids -----------------------------------------------------------------------------------------------


def test_my_grids_lists_the_workers_grid_with_its_buildings_and_heads(people, grid_a1, client_for):
    response = client_for(grid_a1).get(reverse("grids:my_grids"))

    assert response.status_code == 200
    [block] = response.context["blocks"]
    assert block["grid"].code == GRID_A1
    assert [a.code for a in block["areas"]] == [GRID_A1, BUILDING_A1, UNIT_A1]
    html = response.content.decode()
    for name in ("张伟", "陈静", "王芳", "李娜"):
        assert name in html
    assert MASKED in html and WHOLE not in html
    assert "空缺" not in html
    assert reverse("grids:appoint", args=[BUILDING_A1]) in html


def test_my_grids_highlights_the_buildings_and_units_with_nobody(people, grid_a1, client_for):
    with transaction.atomic():
        tree.bulk_load(
            [
                tree.AreaRow("220104001001001002", "2栋", "building", GRID_A1),
                tree.AreaRow("22010400100100100201", "1单元", "unit", "220104001001001002"),
            ]
        )
    post_of("李娜").delete()  # the unit of building 1 has nobody either

    html = client_for(grid_a1).get(reverse("grids:my_grids")).content.decode()

    assert html.count("空缺") == 3


def test_my_grids_highlights_a_grid_without_a_grid_head(people, grid_a1, client_for):
    post_of("张伟").delete()  # grid A1 keeps its grid worker 陈静, but has no grid head

    html = client_for(grid_a1).get(reverse("grids:my_grids")).content.decode()

    assert html.count("空缺") == 1


def test_my_grids_is_empty_for_a_user_without_a_grid(people, street_a, street_b, client_for):
    for user in (street_a, street_b):
        response = client_for(user).get(reverse("grids:my_grids"))
        assert response.status_code == 200
        assert response.context["blocks"] == []
        assert "您没有负责的网格" in response.content.decode()
        assert "张伟" not in response.content.decode()
