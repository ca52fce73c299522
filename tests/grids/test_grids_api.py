"""The roster API (/api/people/, /api/head-assignments/, /api/coverage/<code>/) is scoped like
the pages: anonymous → 401/403, lists hold only what lies in scope, out of scope → 404,
out-of-scope write → 404 and nothing saved. Every test runs with session and token auth.

The roster is `cast_roster` of tests/grids/conftest.py: 张伟 (grid head of A1), 陈静 (grid
worker of A1), 王芳 (building head), 李娜 (unit head), 刘洋 (relieved grid head of A2), 孙丽
(grid worker of A2 and ten-household head of B1), 赵磊 (grid head of B1).
"""

import datetime

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.models import PersonalDataAccess
from core.personal_data import mask
from grids import coverage
from grids.choices import Post
from grids.models import HeadAssignment, Person
from orgs.choices import Role
from orgs.models import Area
from tests.conftest import make_user

STREET_A, STREET_B = "220104001", "220104002"
GRID_A1, GRID_A2, GRID_B1 = "220104001001001", "220104001001002", "220104002001001"
BUILDING_A1, UNIT_A1 = "220104001001001001", "22010400100100100101"
WHOLE, MASKED = "13912345678", "139****5678"
STREET_A_PEOPLE = ["刘洋", "孙丽", "张伟", "李娜", "王芳", "陈静"]
STREET_B_PEOPLE = ["孙丽", "赵磊"]

PEOPLE = "/api/people/"
POSTS = "/api/head-assignments/"


def coverage_url(code):
    return f"/api/coverage/{code}/"


@pytest.fixture(params=["session", "token"])
def api_for(request):
    """An API client for a user, logged in by session or by token."""

    def make(user):
        client = APIClient()
        if request.param == "session":
            client.force_login(user)
        else:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def people(cast_roster):
    return cast_roster


@pytest.fixture
def department(areas):
    """A functional department over street A: reads, never writes."""
    return make_user("housing", Role.DEPARTMENT, areas[STREET_A])


def all_pages(client, url, params=None):
    results, page = [], client.get(url, params or {})
    while True:
        assert page.status_code == 200, page.content
        results += page.json()["results"]
        if not page.json()["next"]:
            return results
        page = client.get(page.json()["next"])


def post_of(name, post=None):
    posts = HeadAssignment.objects.filter(person__name=name)
    return posts.get(post=post) if post else posts.get()


def appointment(**data):
    return {"area": GRID_A1, "post": Post.GRID_HEAD, "name": "周杰", "phone_number": "13900000008", **data}


# --- anonymous → 401/403 ----------------------------------------------------------------------------


def test_an_anonymous_caller_is_refused_everything(people, roster_state):
    client = APIClient()
    zhang = people["张伟"]
    before = roster_state()

    for url in (PEOPLE, f"{PEOPLE}{zhang.pk}/", POSTS, f"{POSTS}{post_of('张伟').pk}/", coverage_url(STREET_A)):
        assert client.get(url).status_code in (401, 403), url
    assert client.post(POSTS, appointment(), format="json").status_code in (401, 403)
    assert client.delete(f"{POSTS}{post_of('王芳').pk}/").status_code in (401, 403)
    assert roster_state() == before


def test_a_wrong_token_is_refused(people):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)

    assert client.get(PEOPLE).status_code in (401, 403)
    assert client.get(coverage_url(STREET_A)).status_code in (401, 403)


# --- lists hold only what lies in scope ----------------------------------------------------------------


def names(rows):
    return sorted(row["name"] for row in rows)


def test_the_people_of_street_a(people, street_a, api_for):
    assert names(all_pages(api_for(street_a), PEOPLE)) == STREET_A_PEOPLE


def test_the_people_of_street_b(people, street_b, api_for):
    assert names(all_pages(api_for(street_b), PEOPLE)) == STREET_B_PEOPLE


def test_the_people_of_grid_a1(people, grid_a1, api_for):
    assert names(all_pages(api_for(grid_a1), PEOPLE)) == ["张伟", "李娜", "王芳", "陈静"]


def test_the_city_sees_everybody_once(people, city_org, api_for):
    rows = all_pages(api_for(city_org), PEOPLE)

    assert names(rows) == sorted(set(STREET_A_PEOPLE) | set(STREET_B_PEOPLE))


def test_the_people_filter_by_political_status(people, street_a, api_for):
    rows = all_pages(api_for(street_a), PEOPLE, {"political_status": "party_member"})

    assert names(rows) == ["刘洋", "张伟"]


def codes_and_posts(rows):
    return sorted((row["area"], row["post"], row["person"]["name"]) for row in rows)


def test_the_posts_of_street_a(people, street_a, api_for):
    rows = all_pages(api_for(street_a), POSTS)

    assert codes_and_posts(rows) == sorted(
        [
            (GRID_A1, Post.GRID_HEAD, "张伟"),
            (GRID_A1, Post.GRID_WORKER, "陈静"),
            (BUILDING_A1, Post.BUILDING_HEAD, "王芳"),
            (GRID_A2, Post.GRID_HEAD, "刘洋"),
            (GRID_A2, Post.GRID_WORKER, "孙丽"),
            (UNIT_A1, Post.UNIT_HEAD, "李娜"),
        ]
    )


def test_the_posts_of_street_b(people, street_b, api_for):
    rows = all_pages(api_for(street_b), POSTS)

    assert codes_and_posts(rows) == [
        (GRID_B1, Post.GRID_HEAD, "赵磊"),
        (GRID_B1, Post.TEN_HOUSEHOLD_HEAD, "孙丽"),
    ]


def test_the_posts_filter_by_post_current_and_within(people, street_a, api_for):
    client = api_for(street_a)

    assert names(r["person"] for r in all_pages(client, POSTS, {"post": Post.GRID_HEAD})) == ["刘洋", "张伟"]
    assert names(r["person"] for r in all_pages(client, POSTS, {"post": Post.GRID_HEAD, "state": "current"})) == [
        "张伟"
    ]
    assert names(r["person"] for r in all_pages(client, POSTS, {"within": GRID_A2})) == ["刘洋", "孙丽"]
    assert all_pages(client, POSTS, {"within": STREET_B}) == []


def test_an_ended_post_shows_its_end_date(people, street_a, api_for):
    [row] = all_pages(api_for(street_a), POSTS, {"within": GRID_A2, "post": Post.GRID_HEAD})

    assert (row["start_date"], row["end_date"]) == ("2024-01-01", "2024-06-30")


# --- retrieve: in scope → 200, out of scope → 404 ---------------------------------------------------------


@pytest.mark.parametrize("name", ["张伟", "陈静", "王芳", "李娜", "刘洋"])
def test_street_b_finds_no_person_of_street_a(name, people, street_b, api_for):
    client = api_for(street_b)

    assert client.get(f"{PEOPLE}{people[name].pk}/").status_code == 404
    for assignment in HeadAssignment.objects.filter(person__name=name):
        assert client.get(f"{POSTS}{assignment.pk}/").status_code == 404


def test_street_a_retrieves_its_people_and_posts(people, street_a, api_for):
    client = api_for(street_a)

    assert client.get(f"{PEOPLE}{people['张伟'].pk}/").json()["name"] == "张伟"
    assert client.get(f"{POSTS}{post_of('王芳').pk}/").json()["area"] == BUILDING_A1


def test_a_person_of_both_streets_is_found_by_both(people, street_a, street_b, api_for):
    sun = people["孙丽"]

    assert api_for(street_a).get(f"{PEOPLE}{sun.pk}/").status_code == 200
    assert api_for(street_b).get(f"{PEOPLE}{sun.pk}/").status_code == 200
    assert api_for(street_b).get(f"{POSTS}{post_of('孙丽', Post.GRID_WORKER).pk}/").status_code == 404


@pytest.mark.parametrize("code", ["2201", "220104", STREET_A, GRID_A1, BUILDING_A1, "220104009"])
def test_street_b_gets_no_coverage_outside_street_b(code, people, street_b, api_for):
    assert api_for(street_b).get(coverage_url(code)).status_code == 404


def test_the_grid_worker_gets_the_coverage_of_the_own_grid_only(people, grid_a1, api_for):
    client = api_for(grid_a1)

    assert client.get(coverage_url(GRID_A1)).status_code == 200
    assert client.get(coverage_url(UNIT_A1)).status_code == 200
    assert client.get(coverage_url(GRID_A2)).status_code == 404
    assert client.get(coverage_url(STREET_A)).status_code == 404


# --- writes --------------------------------------------------------------------------------------------------


def test_street_a_appoints_a_grid_head_who_replaces_the_current_one(people, street_a, api_for):
    old = post_of("张伟")

    response = api_for(street_a).post(POSTS, appointment(), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["area"], body["post"], body["end_date"]) == (GRID_A1, Post.GRID_HEAD, None)
    assert body["person"]["name"] == "周杰"
    assert body["person"]["phone"] == "139****0008"
    old.refresh_from_db()
    assert old.end_date == timezone.localdate()
    current = HeadAssignment.objects.current().get(area__code=GRID_A1, post=Post.GRID_HEAD)
    assert (current.pk, current.person.name, current.start_date) == (body["id"], "周杰", timezone.localdate())


def test_an_appointment_recognises_a_registered_person_by_id_number(people, id_number, street_a, api_for):
    response = api_for(street_a).post(
        POSTS,
        appointment(area=BUILDING_A1, post=Post.BUILDING_HEAD, name="张伟", phone_number="", id_card=id_number(1)),
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["person"]["id"] == people["张伟"].pk
    assert Person.objects.filter(name="张伟").count() == 1


def test_the_grid_worker_appoints_in_the_own_grid(people, grid_a1, api_for):
    response = api_for(grid_a1).post(
        POSTS, appointment(area=UNIT_A1, post=Post.UNIT_HEAD, start_date="2025-01-01"), format="json"
    )

    assert response.status_code == 201, response.content
    assert post_of("李娜").end_date == datetime.date(2025, 1, 1)


@pytest.mark.parametrize("code", [GRID_A1, GRID_A2])
def test_street_b_cannot_appoint_in_street_a(code, people, street_b, api_for, roster_state):
    before = roster_state()

    response = api_for(street_b).post(POSTS, appointment(area=code), format="json")

    assert response.status_code == 404
    assert roster_state() == before


def test_an_area_out_of_scope_answers_like_an_area_that_does_not_exist(people, street_b, api_for, roster_state):
    client = api_for(street_b)
    before = roster_state()

    hidden = client.post(POSTS, appointment(area=GRID_A1), format="json")
    missing = client.post(POSTS, appointment(area="220104009009009"), format="json")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert roster_state() == before


def test_an_invalid_appointment_out_of_scope_is_not_found_either(people, street_b, api_for, roster_state):
    before = roster_state()

    response = api_for(street_b).post(POSTS, appointment(phone_number="12345"), format="json")

    assert response.status_code == 404
    assert roster_state() == before


def test_the_grid_worker_cannot_appoint_in_the_neighbouring_grid(people, grid_a1, api_for, roster_state):
    before = roster_state()

    response = api_for(grid_a1).post(POSTS, appointment(area=GRID_A2), format="json")

    assert response.status_code == 404
    assert roster_state() == before


def test_a_functional_department_reads_no_roster_and_cannot_appoint_nor_relieve(
    people, department, api_for, roster_state
):
    """A functional department reads the tree and its own work (DESIGN §2), not the roster."""
    client = api_for(department)
    before = roster_state()

    assert client.get(PEOPLE).status_code == 404
    assert client.get(f"{PEOPLE}{people['张伟'].pk}/").status_code == 404
    assert client.post(POSTS, appointment(), format="json").status_code == 404
    assert client.delete(f"{POSTS}{post_of('王芳').pk}/").status_code == 404
    assert roster_state() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"phone_number": "12345"}, "应为11位手机号或带区号的固定电话"),
        ({"phone_number": "", "id_card": ""}, "请至少填写联系电话或身份证号"),
        ({"phone_number": "", "id_card": "220104198001010011"}, "校验位不正确"),
        ({"area": BUILDING_A1}, "网格长只能设在网格上"),
        ({"post": "mayor"}, "mayor"),
        ({"political_status": "bogus"}, "bogus"),
    ],
)
def test_an_invalid_appointment_is_refused_in_chinese_and_saves_nothing(
    data, message, people, street_a, api_for, roster_state
):
    before = roster_state()

    response = api_for(street_a).post(POSTS, appointment(**data), format="json")

    assert response.status_code == 400
    assert message in response.content.decode()
    assert roster_state() == before


def test_reappointing_the_current_holder_is_refused_and_changes_nobody(
    people, id_number, street_a, api_for, roster_state
):
    before = roster_state()

    response = api_for(street_a).post(
        POSTS, appointment(name="张伟", phone_number="13800002222", id_card=id_number(1)), format="json"
    )

    assert response.status_code == 400
    assert "已担任该职务" in response.content.decode()
    assert roster_state() == before


def test_an_appointment_dated_before_the_current_holder_is_refused_and_saves_nobody(
    people, street_a, api_for, roster_state
):
    before = roster_state()

    response = api_for(street_a).post(POSTS, appointment(start_date="2023-06-01"), format="json")

    assert response.status_code == 400
    assert "任职日期不能早于现任者的任职日期" in response.content.decode()
    assert roster_state() == before


def test_a_post_cannot_be_edited_in_place(people, street_a, api_for, roster_state):
    before = roster_state()

    response = api_for(street_a).patch(f"{POSTS}{post_of('王芳').pk}/", {"note": "改"}, format="json")

    assert response.status_code == 405
    assert roster_state() == before


def test_delete_relieves_the_holder_and_keeps_the_post(people, street_a, api_for):
    assignment = post_of("王芳")

    response = api_for(street_a).delete(f"{POSTS}{assignment.pk}/")

    assert response.status_code == 204
    assignment.refresh_from_db()
    assert assignment.end_date == timezone.localdate()
    assert HeadAssignment.objects.filter(person__name="王芳").count() == 1


def test_delete_of_an_ended_post_changes_nothing(people, street_a, api_for, roster_state):
    before = roster_state()

    response = api_for(street_a).delete(f"{POSTS}{post_of('刘洋').pk}/")

    assert response.status_code in (204, 404)
    assert roster_state() == before


def test_delete_of_a_post_that_starts_in_the_future_is_refused(people, holder, street_a, api_for, roster_state):
    future = holder(
        GRID_A2,
        Post.GRID_HEAD,
        "吴刚",
        phone="13900000012",
        start_date=timezone.localdate() + datetime.timedelta(days=7),
    )
    before = roster_state()

    response = api_for(street_a).delete(f"{POSTS}{future.pk}/")

    assert response.status_code == 400
    assert "离任日期不能早于任职日期" in response.content.decode()
    assert roster_state() == before


@pytest.mark.parametrize("name", ["张伟", "陈静", "王芳", "李娜"])
def test_street_b_cannot_relieve_anybody_in_street_a(name, people, street_b, api_for, roster_state):
    before = roster_state()

    response = api_for(street_b).delete(f"{POSTS}{post_of(name).pk}/")

    assert response.status_code == 404
    assert roster_state() == before


# --- personal data --------------------------------------------------------------------------------------------


def test_phone_and_id_number_come_masked_without_the_permission(people, id_number, street_a, api_for):
    client = api_for(street_a)

    person = client.get(f"{PEOPLE}{people['张伟'].pk}/").json()
    post = client.get(f"{POSTS}{post_of('张伟').pk}/").json()

    assert (person["phone"], person["id_number"]) == (MASKED, mask(id_number(1)))
    assert (post["person"]["phone"], post["person"]["id_number"]) == (MASKED, mask(id_number(1)))
    everything = client.get(PEOPLE).content.decode() + client.get(POSTS).content.decode()
    assert WHOLE not in everything
    assert id_number(1) not in everything
    assert PersonalDataAccess.objects.count() == 0


def test_phone_and_id_number_come_whole_with_the_permission_and_are_logged(
    people, id_number, street_a, api_for, grant_personal_data
):
    grant_personal_data(street_a)
    client = api_for(street_a)

    person = client.get(f"{PEOPLE}{people['张伟'].pk}/").json()

    assert (person["phone"], person["id_number"]) == (WHOLE, id_number(1))
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.model) == (street_a, "grids.Person")


def test_the_people_list_with_the_permission_is_logged(people, street_a, api_for, grant_personal_data):
    grant_personal_data(street_a)

    rows = all_pages(api_for(street_a), PEOPLE)

    assert WHOLE in [row["phone"] for row in rows]
    assert PersonalDataAccess.objects.filter(user=street_a).count() == 1


def test_the_posts_with_whole_numbers_are_logged_too(people, street_a, api_for, grant_personal_data):
    grant_personal_data(street_a)
    client = api_for(street_a)

    listed = all_pages(client, POSTS)
    retrieved = client.get(f"{POSTS}{post_of('张伟').pk}/").json()

    assert WHOLE in [row["person"]["phone"] for row in listed]
    assert retrieved["person"]["phone"] == WHOLE
    assert PersonalDataAccess.objects.filter(user=street_a).count() == 2


# --- coverage -------------------------------------------------------------------------------------------------


def as_figures(c):
    return {
        "code": c.area.code,
        "name": c.area.name,
        "levels": {
            level: {"total": c.level(level).total, "covered": c.level(level).covered, "rate": c.level(level).rate}
            for level in ("grid", "building", "unit")
        },
        "heads": c.heads,
        "party_heads": c.party_heads,
        "party_rate": c.party_rate,
    }


@pytest.mark.parametrize("code", ["2201", "220104", STREET_A, "220104001001", GRID_A1, BUILDING_A1])
def test_the_coverage_figures_are_those_of_grids_coverage(code, people, city_org, api_for):
    body = api_for(city_org).get(coverage_url(code)).json()

    figures, children = coverage.drill_down(Area.objects.get(code=code))
    assert body["area"] == code
    assert {k: v for k, v in body.items() if k not in ("area", "children")} == as_figures(figures)
    assert body["children"] == [as_figures(child) for child in children]


def test_the_coverage_of_street_a_by_hand(people, street_a, api_for):
    body = api_for(street_a).get(coverage_url(STREET_A)).json()

    assert body["levels"]["grid"] == {"total": 2, "covered": 1, "rate": 0.5}
    assert body["levels"]["building"] == {"total": 1, "covered": 1, "rate": 1.0}
    assert body["levels"]["unit"] == {"total": 1, "covered": 1, "rate": 1.0}
    assert (body["heads"], body["party_heads"]) == (3, 2)  # 张伟 (党员), 王芳 (群众), 李娜 (预备党员)
    assert [child["code"] for child in body["children"]] == ["220104001001", "220104001002"]
    assert body["children"][1]["levels"]["grid"] == {"total": 0, "covered": 0, "rate": None}


def test_the_coverage_follows_an_appointment(people, street_a, api_for):
    client = api_for(street_a)
    client.post(POSTS, appointment(area=GRID_A2), format="json")

    body = client.get(coverage_url(STREET_A)).json()

    assert body["levels"]["grid"] == {"total": 2, "covered": 2, "rate": 1.0}
    assert body["heads"] == 4


def test_the_coverage_takes_a_bounded_number_of_queries(people, street_a, api_for, django_assert_max_num_queries):
    client = api_for(street_a)
    client.get(coverage_url(STREET_A))

    with django_assert_max_num_queries(8):
        assert client.get(coverage_url(STREET_A)).status_code == 200
