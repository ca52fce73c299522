"""One person across scopes (issue #6, findings 2 and 3).

A person is recognised by the ID number wherever they serve, so that an appointment in
community A1 links the person community B1 registered. That link must disclose nothing of B1's
record to A1 — not in the API's answer, the person's page, the roster, a search, a reveal or an
import preview — and must not let A1 rewrite B1's record. The story:

- community B1 (street B) registered 王五 (ID number X, 13911110000, 中共党员) as grid head of
  its grid, and community A1 then appoints X as "李四" with 13722220000 on its own grid.
"""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import PersonalDataAccess
from core.personal_data import mask
from grids import roster
from grids.choices import PoliticalStatus, Post
from grids.models import HeadAssignment, Person
from orgs.choices import Role
from orgs.models import Area
from tests.conftest import make_user
from tests.grids.sheets import GRID_A1, GRID_B1, line, make_id, preview_sheet, xlsx_bytes

X = make_id(7)
B_NAME, B_PHONE = "王五", "13911110000"
A_NAME, A_PHONE = "李四", "13722220000"
SECRETS = (B_NAME, B_PHONE, mask(B_PHONE), "中共党员")


@pytest.fixture
def community_b1(areas):
    return make_user("community_b1", Role.COMMUNITY_CADRE, areas["220104002001"])


@pytest.fixture
def registered_by_b1(areas, community_b1):
    """王五, registered by community B1 as the head of its grid."""
    person = roster.find_or_create_person(
        name=B_NAME, phone=B_PHONE, id_number=X, political_status=PoliticalStatus.PARTY_MEMBER, user=community_b1
    )
    roster.appoint(Area.objects.get(code=GRID_B1), Post.GRID_HEAD, person)
    return person


def record_of(person):
    return Person.objects.values_list("name", "phone", "political_status").get(pk=person.pk)


def b1_record():
    return (B_NAME, B_PHONE, PoliticalStatus.PARTY_MEMBER)


def appoint_by_api(client, *, name=A_NAME, phone=A_PHONE):
    return client.post(
        "/api/head-assignments/",
        {"area": GRID_A1, "post": Post.GRID_WORKER, "name": name, "phone_number": phone, "id_card": X},
        content_type="application/json",
    )


def assert_discloses_nothing_of_b1(html):
    for secret in SECRETS:
        assert secret not in html, secret


# --- finding 2: nothing of B1's record reaches A1 ------------------------------------------------


def test_the_api_answers_an_appointment_with_what_was_typed_not_the_record(registered_by_b1, community_a1, client_for):
    response = appoint_by_api(client_for(community_a1))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["person"]["id"] == registered_by_b1.pk  # the identity rule stands: one person
    assert body["person"]["name"] == A_NAME
    assert body["person"]["phone"] == mask(A_PHONE)
    assert body["person"]["political_status"] == ""
    assert "登记信息由对方维护" in body["notice"]
    assert_discloses_nothing_of_b1(response.content.decode())


def test_the_persons_page_shows_a1_only_what_a1_typed(registered_by_b1, community_a1, client_for):
    client = client_for(community_a1)
    appoint_by_api(client)

    html = client.get(reverse("grids:person_detail", args=[registered_by_b1.pk])).content.decode()

    assert A_NAME in html and mask(A_PHONE) in html
    assert_discloses_nothing_of_b1(html)
    assert "变更记录" not in html  # the record's history belongs to its keepers


def test_after_the_post_is_relieved_the_page_shows_the_post_but_no_details(registered_by_b1, community_a1, client_for):
    client = client_for(community_a1)
    appoint_by_api(client)
    post = HeadAssignment.objects.get(person=registered_by_b1, area__code=GRID_A1)
    roster.relieve(post)

    response = client.get(reverse("grids:person_detail", args=[registered_by_b1.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "此人目前不在您的辖区任职" in html
    assert mask(A_PHONE) not in html
    assert_discloses_nothing_of_b1(html)


def test_the_roster_the_people_api_and_search_show_a1_what_a1_typed(registered_by_b1, community_a1, client_for):
    client = client_for(community_a1)
    appoint_by_api(client)

    roster_html = client.get(reverse("grids:roster", args=[GRID_A1])).content.decode()
    people = client.get("/api/people/").json()["results"]
    found_by_b1_name = client.get(reverse("grids:roster", args=[GRID_A1]), {"q": B_NAME}).content.decode()
    party_members = client.get("/api/people/", {"political_status": PoliticalStatus.PARTY_MEMBER}).json()

    assert A_NAME in roster_html
    assert_discloses_nothing_of_b1(roster_html)
    assert [p["name"] for p in people if p["id"] == registered_by_b1.pk] == [A_NAME]
    assert "没有符合条件的人员" in found_by_b1_name
    assert party_members["count"] == 0


def test_the_roster_export_gives_a1_what_a1_typed(registered_by_b1, community_a1, client_for):
    client = client_for(community_a1)
    appoint_by_api(client)

    response = client.get(reverse("grids:roster", args=[GRID_A1]), {"export": "xlsx"})

    rows = list(load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(values_only=True))
    header, (row,) = rows[0], rows[1:]
    cells = dict(zip(header, row, strict=True))
    shown = (cells["网格编码"], cells["职务"], cells["姓名"], cells["联系电话"])
    assert shown == (GRID_A1, "网格员", A_NAME, mask(A_PHONE))
    assert cells["政治面貌"] is None
    assert_discloses_nothing_of_b1(" ".join(str(v) for v in row if v is not None))


def test_a_reveal_gives_the_number_a1_typed(registered_by_b1, community_a1, client_for, grant_personal_data):
    grant_personal_data(community_a1)
    client = client_for(community_a1)
    appoint_by_api(client)

    response = client.post(reverse("core:reveal_personal_data", args=["grids.person", registered_by_b1.pk, "phone"]))

    assert response.status_code == 200
    assert A_PHONE in response.content.decode()
    assert B_PHONE not in response.content.decode()
    assert PersonalDataAccess.objects.filter(user=community_a1).count() == 1


def test_the_appoint_page_says_the_record_is_kept_elsewhere_and_shows_only_what_was_typed(
    registered_by_b1, community_a1, client_for
):
    response = client_for(community_a1).post(
        reverse("grids:appoint", args=[GRID_A1]),
        {"post": Post.GRID_WORKER, "name": A_NAME, "phone": A_PHONE, "id_number": X},
        follow=True,
    )

    html = response.content.decode()
    assert "登记信息由对方维护" in html
    assert A_NAME in html
    assert_discloses_nothing_of_b1(html)


def test_the_import_preview_warns_and_shows_nothing_of_the_record(registered_by_b1, community_a1):
    sheet = xlsx_bytes([line(GRID_A1, "网格员", A_NAME, phone=A_PHONE, id_number=X)])

    summary = preview_sheet(community_a1, sheet).summary()

    assert summary["new"] == 1 and summary["rejected"] == []
    [warning] = summary["warnings"]
    assert warning["row"] == 2 and "登记信息由对方维护" in warning["reason"]
    assert_discloses_nothing_of_b1(str(summary))


def test_the_street_and_city_who_keep_both_posts_see_the_record(registered_by_b1, community_a1, city_org, client_for):
    appoint_by_api(client_for(community_a1))

    html = client_for(city_org).get(reverse("grids:person_detail", args=[registered_by_b1.pk])).content.decode()

    assert B_NAME in html and mask(B_PHONE) in html and "变更记录" in html


# --- finding 3: A1 cannot rewrite B1's record -----------------------------------------------------


def test_an_appointment_from_outside_leaves_the_record_as_b1_keeps_it(registered_by_b1, community_a1, client_for):
    b1_post = HeadAssignment.objects.get(person=registered_by_b1)
    roster.relieve(b1_post)  # B1's post has ended: the record still belongs to it

    appoint_by_api(client_for(community_a1))
    client_for(community_a1).post(
        reverse("grids:appoint", args=["220104001001002"]),
        {"post": Post.GRID_WORKER, "name": "李四四", "phone": "13733330000", "id_number": X},
    )

    assert record_of(registered_by_b1) == b1_record()


def test_an_import_from_outside_leaves_the_record_and_keeps_the_typed_details_on_the_post(
    registered_by_b1, community_a1
):
    from tests.grids.sheets import import_sheet

    roster.relieve(HeadAssignment.objects.get(person=registered_by_b1))
    sheet = xlsx_bytes([line(GRID_A1, "网格员", A_NAME, phone=A_PHONE, id_number=X, status="群众")])

    import_sheet(community_a1, sheet)
    again = preview_sheet(community_a1, sheet).summary()

    assert record_of(registered_by_b1) == b1_record()
    post = HeadAssignment.objects.get(person=registered_by_b1, area__code=GRID_A1)
    assert (post.holder.name, post.holder.phone, post.holder.political_status) == (
        A_NAME,
        A_PHONE,
        PoliticalStatus.MASSES,
    )
    assert (again["new"], again["changed"], again["unchanged"]) == (0, 0, 1)  # re-importing changes nothing


def test_a_user_who_keeps_every_post_still_updates_the_record(registered_by_b1, community_b1, client_for):
    client_for(community_b1).post(
        reverse("grids:appoint", args=[GRID_B1]),
        {"post": Post.GRID_WORKER, "name": B_NAME, "phone": "13900009999", "id_number": X},
    )

    assert record_of(registered_by_b1) == (B_NAME, "13900009999", PoliticalStatus.PARTY_MEMBER)
