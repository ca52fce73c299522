"""社区工作者's cast on the small tree (tests/conftest.py): community A1's cadre, workers of A1 (a
secretary, certified; a grid worker who was the roster's grid worker of grid A1, since made a 两委
member), one of B1, their changes, training, certificates and ratings. Imported by the workers' tests."""

import datetime
from decimal import Decimal

import pytest

from core.identity import with_check_character
from orgs.choices import Role
from tests.conftest import make_user
from workforce.models_workers import Certificate, TrainingRecord, Worker, WorkerChange, WorkerRating

A1, A2, B1, STREET_A, STREET_B = "220104001001", "220104001002", "220104002001", "220104001", "220104002"
GRID_A1 = "220104001001001"
SECRETARY_ID = with_check_character("22010419800101123")
ROSTER_ID = with_check_character("22010419920315234")
B1_ID = with_check_character("22010419850606345")
NEW_ID = with_check_character("22010419950505456")


def worker(area, name, id_number, post="other", category="member", grade=3, hired_on=None, **more):
    return Worker.objects.create(
        area=area,
        name=name,
        id_number=id_number,
        phone="13900001234",
        post=post,
        category=category,
        grade=grade,
        hired_on=hired_on or datetime.date(2015, 3, 1),
        **more,
    )


@pytest.fixture(name="community_a1")
def community_a1_fixture(areas):
    return make_user("community_a1", Role.COMMUNITY_CADRE, areas[A1])


@pytest.fixture(name="workers")
def workers_fixture(areas):
    secretary = worker(areas[A1], "王书记", SECRETARY_ID, "secretary", "principal", 12, datetime.date(2010, 5, 1))
    former = worker(areas[A1], "李网格", ROSTER_ID, "grid", "member", 3, datetime.date(2019, 3, 1))
    change = WorkerChange.objects.create(
        worker=former,
        changed_on=datetime.date(2022, 6, 1),
        kind="post",
        post="committee",
        category="deputy",
        grade=6,
        reason="换届当选社区两委成员",
    )
    b1 = worker(areas[B1], "赵社工", B1_ID, hired_on=datetime.date(2016, 1, 1))
    training = TrainingRecord.objects.create(
        worker=secretary, trained_on=datetime.date(2026, 3, 10), hours=Decimal("12.0"), subject="基层党建业务培训"
    )
    certificate = Certificate.objects.create(
        worker=secretary, level="social_worker", number="2018-0001", obtained_on=datetime.date(2018, 6, 1)
    )
    rating = WorkerRating.objects.create(worker=secretary, year=2025, rating="excellent")
    b1_training = TrainingRecord.objects.create(
        worker=b1, trained_on=datetime.date(2026, 3, 12), hours=Decimal("8.0"), subject="政策法规学习"
    )
    return {
        "secretary": secretary,
        "former": Worker.objects.get(pk=former.pk),
        "change": change,
        "b1": b1,
        "training": training,
        "certificate": certificate,
        "rating": rating,
        "b1_training": b1_training,
    }
