"""A probation (预备期) lasts one year (issue #15, finding 11): a probationary member joined within
the last year, or is refused — by the form, the API and the member import alike, in Chinese."""

import datetime

from django.urls import reverse
from django.utils import timezone

from party.choices import MemberStatus
from party.models import PartyMember

from .test_member_import import member_row, sheet, upload

LONG_AGO = "2001-07-01"


def recent(days=100):
    return (timezone.localdate() - datetime.timedelta(days=days)).isoformat()


def form_data(party, joined_on, **extra):
    return {
        "name": "钱预备",
        "organisation": party["grid_a1"].pk,
        "status": MemberStatus.PROBATIONARY,
        "joined_on": joined_on,
        "households_linked": 0,
        "ethnicity": "汉族",
        **extra,
    }


def test_the_form_refuses_a_probationary_member_who_joined_in_2001(party, community_a1, client_for):
    response = client_for(community_a1).post(reverse("party:partymember_add"), form_data(party, LONG_AGO))

    html = response.content.decode()
    assert response.status_code == 200
    assert "预备期为一年" in html and "2001-07-01" in html
    assert not PartyMember.objects.filter(name="钱预备").exists()


def test_the_form_accepts_a_probationary_member_who_joined_this_year(party, community_a1, client_for):
    response = client_for(community_a1).post(reverse("party:partymember_add"), form_data(party, recent()))

    assert response.status_code == 302
    assert PartyMember.objects.get(name="钱预备").status == MemberStatus.PROBATIONARY


def test_the_form_refuses_a_probationary_member_without_a_joining_date(party, community_a1, client_for):
    response = client_for(community_a1).post(reverse("party:partymember_add"), form_data(party, ""))

    assert "预备党员请填写入党日期" in response.content.decode()
    assert not PartyMember.objects.filter(name="钱预备").exists()


def test_editing_a_member_into_probation_since_2001_is_refused(party, community_a1, client_for):
    zhang = party["zhang"]
    data = form_data(party, LONG_AGO, name=zhang.name, id_number=zhang.id_number, phone=zhang.phone)

    response = client_for(community_a1).post(reverse("party:partymember_edit", args=[zhang.pk]), data)

    assert "预备期为一年" in response.content.decode()
    assert PartyMember.objects.get(pk=zhang.pk).status == MemberStatus.FULL


def test_the_api_refuses_a_probationary_member_who_joined_in_2001(party, community_a1, client_for):
    client = client_for(community_a1)
    body = {"name": "钱预备", "organisation": party["grid_a1"].name, "status": "probationary", "joined_on": LONG_AGO}

    refused = client.post("/api/party-members/", body, content_type="application/json")
    accepted = client.post("/api/party-members/", {**body, "joined_on": recent()}, content_type="application/json")

    assert refused.status_code == 400 and "预备期为一年" in refused.json()["joined_on"][0]
    assert accepted.status_code == 201, accepted.content
    assert PartyMember.objects.filter(name="钱预备").count() == 1


def test_the_api_refuses_turning_a_member_probationary_since_2001(party, community_a1, client_for):
    response = client_for(community_a1).patch(
        f"/api/party-members/{party['zhang'].pk}/",
        {"status": "probationary", "full_member_on": None},
        content_type="application/json",
    )

    assert response.status_code == 400 and "预备期为一年" in response.json()["joined_on"][0]


def test_the_import_refuses_a_probationary_member_who_joined_in_2001(party, street_a, client_for):
    rows = [
        member_row("钱预备", "A1社区第1网格党支部", "", 党员类别="预备党员", 入党日期=LONG_AGO),
        member_row("孙预备", "A1社区第1网格党支部", "", 党员类别="预备党员", 入党日期=recent()),
    ]

    job = upload(client_for(street_a), sheet(rows))

    [rejected] = job.summary["rejected"]
    assert (rejected["row"], rejected["column"]) == (2, "入党日期")
    assert "预备期为一年" in rejected["reason"]
    assert job.summary["new"] == 1
