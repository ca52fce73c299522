"""An owners' committee (业委会) is flagged when its party members are not a majority (Jilin's rule,
seed 003) or its term has expired: on its page, in the list, and as a filter of the page and the API."""

import datetime

from django.urls import reverse

from property.models import CommitteeMember, OwnersCommittee


def test_a_committee_without_a_party_majority_is_flagged_and_filtered(estate, street_a, client_for):
    committee = estate["committee"]  # 1 party member of 1: a majority
    client = client_for(street_a)
    assert client.get("/api/owners-committees/", {"minority": "true"}).json()["results"] == []

    CommitteeMember.objects.create(committee=committee, name="钱委员")

    minority = client.get("/api/owners-committees/", {"minority": "true"}).json()["results"]
    page = client.get(committee.get_absolute_url()).content.decode()
    listed = client.get(reverse("property:ownerscommittee_list")).content.decode()
    assert [row["name"] for row in minority] == ["幸福家园业委会"]
    assert "党员未过半数。" in page and "党员 1/2" in page
    assert "党员未过半" in listed


def test_an_expired_term_is_flagged(estate, street_a, client_for):
    OwnersCommittee.objects.filter(pk=estate["committee"].pk).update(term_end=datetime.date(2025, 1, 1))

    page = client_for(street_a).get(estate["committee"].get_absolute_url()).content.decode()

    assert "任期已届满，请及时换届。" in page


def test_a_term_ending_before_it_starts_is_refused(estate, street_a, client_for):
    response = client_for(street_a).post(
        reverse("property:ownerscommittee_add"),
        {"compound": estate["compound"].pk, "name": "新业委会", "term_start": "2026-01-01", "term_end": "2025-01-01"},
    )

    assert "任期届满日期须晚于任期开始日期。" in response.content.decode()
    assert not OwnersCommittee.objects.filter(name="新业委会").exists()
