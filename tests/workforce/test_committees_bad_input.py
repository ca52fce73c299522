"""The two committees' rules refused alike in the form, the API and the model (the import's rows:
test_committees_import.py), each with a Chinese reason: a term overlapping another term of the same
committee of the community, one person on the same post twice at once, a second 书记 (or 主任) in a
term, a post the committee has not, a member's dates outside the term; a term's end defaults to the
day before the fifth anniversary of its election."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from workforce.models_committees import CommitteeMember, CommitteeTerm

from .committees_cast import A1, PEOPLE, committees_fixture, community_a1_fixture  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def test_a_terms_end_is_five_years_on_by_default(committees):
    assert committees["party"].ends_on == datetime.date(2026, 5, 31)
    assert committees["party_2016"].ends_on == datetime.date(2021, 5, 31)  # the day before the next election


def test_an_overlapping_term_is_refused_in_the_form(committees, street_a, client_for, areas):
    before = CommitteeTerm.objects.count()
    response = client_for(street_a).post(
        reverse("workforce:committeeterm_add"),
        {"area": areas[A1].pk, "committee": "party", "number": 11, "elected_on": "2024-03-01"},
    )
    assert response.status_code == 200
    assert "任期与" in response.content.decode() and "重叠" in response.content.decode()
    assert CommitteeTerm.objects.count() == before


def test_the_database_refuses_an_overlapping_term_that_skips_the_checks(committees, areas):
    party = committees["party"]  # 2021-06-01 to 2026-05-31
    overlapping = CommitteeTerm(area=areas[A1], committee="party", number=11, elected_on=datetime.date(2026, 5, 31))
    overlapping.ends_on = datetime.date(2031, 5, 30)
    with pytest.raises(IntegrityError, match="workforce_term_no_overlap"), transaction.atomic():
        CommitteeTerm.objects.bulk_create([overlapping])  # no clean(): a bulk load, a raw writer

    following = CommitteeTerm(
        area=areas[A1], committee="party", number=11, elected_on=party.ends_on + datetime.timedelta(days=1)
    )
    following.ends_on = datetime.date(2031, 5, 31)
    CommitteeTerm.objects.bulk_create([following])  # the next day: no overlap
    assert CommitteeTerm.objects.filter(area=areas[A1], committee="party", number=11).exists()


def test_an_overlapping_term_is_refused_by_the_api(committees, street_a, client_for):
    response = client_for(street_a).post(
        "/api/community-committee-terms/",
        {"area": A1, "committee": "residents", "number": 11, "elected_on": "2025-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "重叠" in response.content.decode()
    # the other committee's terms do not overlap it: a new residents' term after the current one's end
    response = client_for(street_a).post(
        "/api/community-committee-terms/",
        {"area": A1, "committee": "residents", "number": 11, "elected_on": "2026-06-01"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content.decode()
    assert response.json()["ends_on"] == "2031-05-31"


def member_form(term, who, post, **more):
    return {"term": term.pk, "name": who, "id_number": PEOPLE[who][0], "post": post, **more}


def test_the_same_post_twice_at_once_is_refused_in_the_form(committees, community_a1, client_for):
    before = CommitteeMember.objects.count()
    response = client_for(community_a1).post(
        reverse("workforce:committeemember_add"), member_form(committees["party"], "丙", "member")
    )
    assert response.status_code == 200
    assert "同一人不能同时两次担任同一职务" in response.content.decode()
    assert CommitteeMember.objects.count() == before


def test_the_same_post_twice_at_once_is_refused_by_the_api(committees, community_a1, client_for):
    response = client_for(community_a1).post(
        "/api/community-committee-members/",
        member_form(committees["residents"], "戊", "member"),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "同一人不能同时两次担任同一职务" in response.content.decode()


def test_a_second_secretary_is_refused_in_the_form_and_the_api(committees, community_a1, client_for):
    client = client_for(community_a1)
    response = client.post(
        reverse("workforce:committeemember_add"), member_form(committees["party"], "戊", "secretary")
    )
    assert "一届同一时间只能有一名书记" in response.content.decode()
    response = client.post(
        "/api/community-committee-members/",
        member_form(committees["residents"], "丙", "director"),
        content_type="application/json",
    )
    assert response.status_code == 400 and "只能有一名主任" in response.content.decode()
    assert not CommitteeMember.objects.filter(name__in=("戊", "丙"), post__in=("secretary", "director")).exists()


def test_a_successor_after_the_secretary_left_is_accepted(committees):
    secretary = committees["secretary"]
    secretary.ended_on = datetime.date(2023, 12, 31)
    secretary.full_clean()
    secretary.save()
    successor = CommitteeMember(
        term=committees["party"],
        name="戊",
        id_number=PEOPLE["戊"][0],
        post="secretary",
        started_on=datetime.date(2024, 1, 1),
    )
    successor.full_clean()  # no error: 甲 left before 戊 came
    successor.save()
    assert successor.area_id == committees["party"].area_id and successor.gender == "female"
    assert successor.birth_date == datetime.date(1992, 2, 2)  # from the ID number


def test_a_post_the_committee_has_not_and_dates_outside_the_term_are_refused(committees):
    member = CommitteeMember(term=committees["party"], name="戊", id_number=PEOPLE["戊"][0], post="director")
    with pytest.raises(ValidationError) as refused:
        member.full_clean()
    assert "社区党组织委员会没有“主任”职务" in str(refused.value)
    member = CommitteeMember(
        term=committees["party"],
        name="戊",
        id_number=PEOPLE["戊"][0],
        post="member",
        started_on=datetime.date(2020, 1, 1),
    )
    with pytest.raises(ValidationError) as refused:
        member.full_clean()
    assert "任职日期须在本届任期内" in str(refused.value)


def test_a_bad_id_number_is_refused_in_chinese(committees, community_a1, client_for):
    response = client_for(community_a1).post(
        "/api/community-committee-members/",
        {"term": committees["party"].pk, "name": "错", "id_number": "220104199001010011", "post": "member"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "校验位不正确" in response.content.decode()


def test_a_foreign_term_is_not_found(committees, street_b, client_for):
    response = client_for(street_b).post(
        "/api/community-committee-members/",
        member_form(committees["party"], "戊", "member"),
        content_type="application/json",
    )
    assert response.status_code == 400 and "不存在或不在您的管辖范围内" in response.content.decode()


def test_the_api_tells_a_members_derived_flags(committees, community_a1, client_for):
    client = client_for(community_a1)
    response = client.get(f"/api/community-committee-members/{committees['secretary'].pk}/")
    assert response.json()["crossing"] is True and response.json()["one_shoulder"] is True
    response = client.get("/api/community-committee-members/?one_shoulder=false&committee=party&current=true")
    assert {row["name"] for row in response.json()["results"]} == {"乙", "丙", "丁"}


def test_a_terms_committee_cannot_change_under_its_members_posts(committees):
    term = committees["b1"]  # its 书记 辛
    term.committee = "residents"
    with pytest.raises(ValidationError) as refused:
        term.full_clean()
    assert "居民委员会没有这一职务" in str(refused.value)
