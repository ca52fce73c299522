"""What Schemathesis found (issue 16, §6), each answered once in the kit (core/api.py) for every
viewset, shown here on the party side's API: a protected delete is a 400 with the delete page's
reason; NUL and other control characters in any text, list item, key or query parameter are a
400 naming the field; the answer to a write is the record as a read shows it."""

from django.urls import reverse

from party.models import Meeting, PartyOrganisation

from .conftest import COMMUNITY_A1, STREET_A

CONTROL = "请删除后重新提交"


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


# --- a protected delete ---------------------------------------------------------------------------


def test_deleting_an_organisation_that_still_has_members_is_refused_with_the_pages_reason(party, street_a, client_for):
    branch = party["grid_a1"]

    response = client_for(street_a).delete(f"/api/party-organisations/{branch.pk}/")

    assert response.status_code == 400
    reason = response.json()[0]
    assert reason.startswith(f"“{branch}”仍被以下记录引用，不能删除：")
    assert "张党员" in reason
    assert PartyOrganisation.objects.filter(pk=branch.pk).exists()


def test_deleting_an_organisation_with_children_gives_the_same_reason_as_its_delete_page(party, street_a, client_for):
    client = client_for(street_a)
    committee = party["community_a1"]

    api = client.delete(f"/api/party-organisations/{committee.pk}/")
    page = client.post(reverse("party:partyorganisation_delete", args=[committee.pk]), follow=True)

    assert api.status_code == 400
    assert api.json()[0] in [str(m) for m in page.context["messages"]]


# --- NUL and control characters -------------------------------------------------------------------


def test_a_nul_byte_in_a_related_fields_name_is_a_400_on_that_field(party, street_a, client_for):
    response = post(client_for(street_a), "/api/party-members/", {"name": "新党员", "organisation": "A1社区\x00大党委"})

    assert response.status_code == 400
    assert CONTROL in response.json()["organisation"][0]


def test_a_nul_byte_in_a_list_item_is_a_400_on_that_field(party, street_a, client_for):
    organisation = party["street_a"]

    response = client_for(street_a).patch(
        f"/api/party-organisations/{organisation.pk}/",
        {"covered_areas": [COMMUNITY_A1, "2201\x00"]},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert CONTROL in response.json()["covered_areas"][0]
    assert not organisation.covered_areas.exists()


def test_a_control_character_in_free_text_or_in_a_key_is_a_400(party, street_a, client_for):
    client = client_for(street_a)
    meeting = {"organisation": party["grid_a1"].name, "kind": "party_day", "held_on": "2026-01-05"}

    in_text = post(client, "/api/meetings/", {**meeting, "topic": "清理\x07楼道"})
    in_key = post(client, "/api/meetings/", {**meeting, "topic": "清理楼道", "no\x1bte": "x"})

    assert in_text.status_code == 400
    assert CONTROL in in_text.json()["topic"][0]
    assert in_key.status_code == 400
    assert CONTROL in in_key.json()["non_field_errors"][0]
    assert not Meeting.objects.filter(topic__startswith="清理").exists()


def test_a_control_character_in_a_query_parameter_is_a_400(party, street_a, client_for):
    response = client_for(street_a).get("/api/party-members/", {"q": "张\x01"})

    assert response.status_code == 400
    assert CONTROL in response.json()["q"][0]


def test_tabs_and_line_breaks_in_minutes_are_kept(party, street_a, client_for):
    response = post(
        client_for(street_a),
        "/api/meetings/",
        {
            "organisation": party["grid_a1"].name,
            "kind": "party_day",
            "held_on": "2026-01-05",
            "topic": "清理楼道",
            "minutes": "一、学习\r\n二、清理\t楼道",
        },
    )

    assert response.status_code == 201
    assert Meeting.objects.get(pk=response.json()["id"]).minutes == "一、学习\r\n二、清理\t楼道"


# --- the answer to a write is the record as a read shows it -------------------------------------


def test_a_new_organisation_is_answered_with_its_member_count(party, street_a, client_for):
    client = client_for(street_a)

    created = post(
        client,
        "/api/party-organisations/",
        {"name": "前进街道新支部", "kind": "branch", "area": STREET_A, "parent": party["street_a"].name},
    )

    assert created.status_code == 201, created.json()
    assert created.json()["member_count"] == 0
    assert created.json() == client.get(f"/api/party-organisations/{created.json()['id']}/").json()


def test_an_edited_organisation_is_answered_with_its_member_count(party, street_a, client_for):
    branch = party["grid_a1"]

    edited = client_for(street_a).patch(
        f"/api/party-organisations/{branch.pk}/", {"note": "换届在即"}, content_type="application/json"
    )

    assert edited.status_code == 200
    assert edited.json()["member_count"] == 2
