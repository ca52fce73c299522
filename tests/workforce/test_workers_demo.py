"""The demo's workers on the small tree: each community with grids gets 8–15 workers, one secretary,
a 40–60 % certified share give or take, a training record every quarter passed, last year's ratings;
the secretary is the community's party member and a 两委 member the roster's grid worker, by ID
number, so that their page shows one career."""

import datetime

import pytest
from django.utils import timezone

from core.registry import registry
from grids.models import HeadAssignment, Person
from party.models import PartyMember, PartyOrganisation
from workforce.demo_workers import fill_demo_workers
from workforce.models_workers import Certificate, TrainingRecord, Worker, WorkerRating
from workforce.timeline_workers import career

from .workers_cast import A1, B1, GRID_A1, ROSTER_ID, SECRETARY_ID

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(areas):
    person = Person.objects.create(name="李网格", id_number=ROSTER_ID)
    HeadAssignment.objects.create(
        person=person, area=areas[GRID_A1], post="grid_worker", start_date=datetime.date(2018, 3, 1)
    )
    organisation = PartyOrganisation.objects.create(name="A1社区党委", kind="community_committee", area=areas[A1])
    PartyMember.objects.create(
        name="王书记", id_number=SECRETARY_ID, organisation=organisation, joined_on=datetime.date(2005, 7, 1)
    )


def test_the_demo_staffs_each_community_at_the_seeds_proportions(people):
    assert fill_demo_workers in registry.demo_fillers

    said = fill_demo_workers("small")

    assert "社区工作者" in said
    for code in (A1, B1):
        workers = Worker.objects.filter(area__code=code)
        assert 8 <= workers.count() <= 15
        assert workers.filter(post="secretary").count() == 1
    assert not Worker.objects.filter(area__code="220104001002").exists()  # A2 has no grids
    every = Worker.objects.count()
    share = Certificate.objects.values("worker").distinct().count() / every
    assert 0.2 <= share <= 0.8
    today = timezone.localdate()
    assert TrainingRecord.objects.filter(trained_on__year=today.year).values("worker").distinct().count() == every
    assert WorkerRating.objects.filter(year=today.year - 1).exists()
    assert fill_demo_workers("small").startswith("社区工作者已存在")  # run twice: nothing doubled


def test_the_demo_secretary_and_a_committee_member_carry_their_history(people):
    fill_demo_workers("small")

    secretary = Worker.objects.get(area__code=A1, post="secretary")
    former = Worker.objects.get(id_number=ROSTER_ID)
    assert secretary.id_number == SECRETARY_ID and secretary.changes.count() == 2
    assert former.post == "committee"
    sources = {step.source for step in career(former)}
    assert sources == {"社区工作者", "网格名册"}
    assert "入党" in [step.title for step in career(secretary)]
