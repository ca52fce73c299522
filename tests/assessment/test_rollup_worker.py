"""Issue #10, acceptance 2: a real Celery worker over Redis runs the rollup, and two runs give
identical rows."""

import datetime
import time

import pytest
from django.db import connection

from assessment.choices import PeriodKind
from assessment.models import AreaFigure, Period, RollupJob, Score, Value
from assessment.tasks import start_rollup
from tests import helpers
from tests.grids.conftest import holder, id_number  # noqa: F401  (fixtures)
from tests.grids.test_coverage import hand_roster  # noqa: F401  (fixture)

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def rows(period):
    return (
        sorted(
            Value.objects.filter(period=period).values_list(
                "indicator_id", "area_id", "numerator", "denominator", "points"
            )
        ),
        sorted(Score.objects.filter(period=period).values_list("area_id", "points", "rank", "siblings", "last_place")),
        sorted(AreaFigure.objects.filter(period=period).values_list("area_id", "key", "numerator", "denominator")),
    )


def test_a_real_worker_runs_the_rollup_twice_with_identical_rows(
    hand_roster,  # noqa: F811
    street_a,
    redis_url,
    tmp_path,
    default_set,
):
    today = datetime.date.today()
    period = Period.objects.create(
        kind=PeriodKind.QUARTER,
        start=today.replace(day=1),
        end=today,
        indicator_set=default_set,
    )
    queue = helpers.unique_queue()
    log_path = tmp_path / "worker.log"
    results = []
    with helpers.forget_queue_afterwards(redis_url, queue), helpers.celery_publishing_to(redis_url, queue=queue):
        database = helpers.database_url(connection.settings_dict)
        with helpers.celery_worker(redis_url, database, queue, log_path) as worker:
            ready = helpers.wait_for(lambda: worker.poll() is not None or " ready." in log_path.read_text(), 30)
            assert ready and worker.poll() is None, log_path.read_text()
            for _run in range(2):
                job = start_rollup(period, street_a)
                assert job.dispatched, "the job was not published to Redis"

                def finished(job=job):
                    job.refresh_from_db()
                    return job.is_finished or worker.poll() is not None

                helpers.wait_for(finished, timeout=60)
                assert job.status == "done", f"{job.status}: {job.error}\n{log_path.read_text(errors='replace')}"
                results.append(rows(period))
                time.sleep(0.1)

    assert results[0] == results[1] and results[0][1]
    assert RollupJob.objects.filter(period=period, status="done").count() == 2
    assert "assessment.run_rollup" in log_path.read_text()
