"""A worker's career is one history: their changes move their post and grade (the latest by date
wins, its before kept), and the worker's page shows — matched by the ID number — the roster's grid
worker post and the party register's joining beside their offices and promotions (seed 004)."""

import datetime

import pytest
from django.urls import reverse

from grids.models import HeadAssignment, Person
from party.models import PartyMember, PartyOrganisation
from workforce.models_workers import WorkerChange
from workforce.timeline_workers import career

from .workers_cast import GRID_A1, ROSTER_ID, community_a1_fixture, workers_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(areas, workers):
    person = Person.objects.create(name="李网格", id_number=ROSTER_ID, phone="13900001234")
    HeadAssignment.objects.create(
        person=person,
        area=areas[GRID_A1],
        post="grid_worker",
        start_date=datetime.date(2019, 3, 1),
        end_date=datetime.date(2022, 5, 31),
    )
    organisation = PartyOrganisation.objects.create(
        name="A1社区党委", kind="community_committee", area=areas["220104001001"]
    )
    PartyMember.objects.create(
        name="李网格", id_number=ROSTER_ID, organisation=organisation, joined_on=datetime.date(2020, 7, 1)
    )
    return person


def test_a_roster_grid_worker_who_became_a_committee_member_shows_one_history(roster, workers, street_a, client_for):
    steps = career(workers["former"])

    assert [(s.on, s.title, s.source) for s in steps] == [
        (datetime.date(2019, 3, 1), "网格员", "网格名册"),
        (datetime.date(2019, 3, 1), "入职：专职网格员", "社区工作者"),
        (datetime.date(2020, 7, 1), "入党", "党员名册"),
        (datetime.date(2022, 6, 1), "岗位变动：两委成员副职岗6级", "社区工作者"),
    ]
    page = client_for(street_a).get(reverse("workforce:worker_detail", args=[workers["former"].pk])).content.decode()
    assert (
        "网格名册" in page and "党员名册" in page and "两委成员副职岗6级" in page and "2019-03-01 – 2022-05-31" in page
    )


def test_the_latest_change_sets_the_post_and_keeps_what_was_before(workers):
    former = workers["former"]
    WorkerChange.objects.create(
        worker=former,
        changed_on=datetime.date(2025, 6, 1),
        kind="promotion",
        post="committee",
        category="deputy",
        grade=8,
        reason="年度考核优秀晋级",
    )
    earlier = WorkerChange.objects.create(
        worker=former,
        changed_on=datetime.date(2023, 6, 1),
        kind="promotion",
        post="committee",
        category="deputy",
        grade=7,
        reason="补录",
    )

    former.refresh_from_db()
    assert (former.post, former.grade) == ("committee", 8)  # a back-dated change does not win
    assert (earlier.grade_before, earlier.post_before) == (8, "committee")


def test_a_change_recorded_on_the_page_promotes_the_worker(workers, community_a1, client_for):
    former = workers["former"]
    client = client_for(community_a1)
    page = client.get(reverse("workforce:worker_detail", args=[former.pk])).content.decode()
    add = reverse("workforce:workerchange_add") + f"?worker={former.pk}"
    assert add in page

    response = client.post(
        reverse("workforce:workerchange_add"),
        {
            "worker": former.pk,
            "changed_on": "2025-03-01",
            "kind": "promotion",
            "post": "committee",
            "category": "deputy",
            "grade": "9",
            "reason": "年度考核优秀",
        },
    )

    assert response.status_code == 302
    former.refresh_from_db()
    assert former.grade == 9
    assert WorkerChange.objects.get(worker=former, grade=9).grade_before == 6


def test_a_grade_changed_through_the_api_is_a_step_of_the_history(workers, street_a, client_for):
    secretary = workers["secretary"]

    response = client_for(street_a).patch(
        f"/api/workers/{secretary.pk}/", {"grade": 14}, content_type="application/json"
    )

    assert response.status_code == 200, response.content
    step = secretary.changes.get()
    assert (step.kind, step.post_before, step.grade_before, step.grade) == ("promotion", "secretary", 12, 14)
    assert "登记信息更新" in step.reason
