"""The lists' query counts are flat: ten more workers (each with a change, a training record, a
certificate and a rating) cost the workers', changes', trainings', certificates' and ratings' lists,
the staffing page and the area card not one query more."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.identity import with_check_character
from workforce.models_workers import Certificate, TrainingRecord, WorkerChange, WorkerRating

from .workers_cast import A1, STREET_A, worker, workers_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
LISTS = (
    "workforce:worker_list",
    "workforce:workerchange_list",
    "workforce:trainingrecord_list",
    "workforce:certificate_list",
    "workforce:workerrating_list",
    "workforce:staffing",
)


def counts(client):
    found = {}
    urls = [reverse(name) for name in LISTS] + [reverse("workforce:workers_area_panel", args=[STREET_A])]
    for url in urls:
        client.get(url)  # warm the user's scopes and caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        found[url] = len(queries)
    return found


def test_ten_more_workers_cost_no_query_more(workers, areas, street_a, client_for):
    client = client_for(street_a)
    before = counts(client)
    for n in range(10):
        more = worker(
            areas[A1], f"社工{n}", with_check_character(f"22010419900101{n:03d}"), hired_on=datetime.date(2018, 1, 1)
        )
        WorkerChange.objects.create(
            worker=more,
            changed_on=datetime.date(2021, 1, 1),
            kind="promotion",
            post="other",
            category="member",
            grade=4,
            reason="晋级",
        )
        TrainingRecord.objects.create(
            worker=more, trained_on=datetime.date(2026, 2, 1), hours=Decimal("8"), subject="培训"
        )
        Certificate.objects.create(
            worker=more, level="assistant", number=f"N{n}", obtained_on=datetime.date(2020, 1, 1)
        )
        WorkerRating.objects.create(worker=more, year=2025, rating="competent")

    assert counts(client) == before
