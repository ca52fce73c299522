"""End to end through a real Celery worker and Redis (DESIGN §4): a city organisation cadre
uploads an area file in the browser flow, confirms it, and a `celery -A config worker`
process, run with the production settings against the test database, imports it."""

import time

import pytest
from django.db import connection
from django.test import Client

from core.choices import JobStatus
from core.models import ImportJob
from orgs import tree
from orgs.models import Area
from tests import helpers
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

NEW_AREAS_CSV = (
    "区划代码,名称,层级,上级代码\n"
    "220104001003001,第1网格,网格,220104001003\n"  # a child before its parent
    "220104001003,A3社区,社区,220104001\n"
    "220104001003002,第2网格,网格,220104001003\n"
).encode()


def upload_and_confirm(client, data, filename="新社区.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/imports/areas/new/", {"file": SimpleUploadedFile(filename, data, "text/csv")})
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[-1]))
    assert job.status == JobStatus.PREVIEWED
    assert job.summary["new"] == 3 and not job.summary["rejected"]
    response = client.post(f"/imports/{job.pk}/confirm/")
    assert response.status_code == 302
    return job


def test_a_real_worker_runs_the_confirmed_import_through_redis(city_org, redis_url, tmp_path):
    queue = helpers.unique_queue()
    broker = helpers.redis_client(redis_url)
    broker.delete(queue)  # this test's queue only: other runs may share the Redis database
    log_path = tmp_path / "worker.log"
    started = time.monotonic()
    with helpers.forget_queue_afterwards(redis_url, queue), helpers.celery_publishing_to(redis_url, queue=queue):
        worker_database = helpers.database_url(connection.settings_dict)
        with helpers.celery_worker(redis_url, worker_database, queue, log_path) as worker:
            # Once ready, the worker has re-sent what was pending (worker_ready); wait for it, so
            # that it cannot race the confirmation below.
            ready = helpers.wait_for(lambda: worker.poll() is not None or " ready." in log_path.read_text(), 30)
            assert ready and worker.poll() is None, f"the worker did not start:\n{log_path.read_text()}"
            client = Client()
            helpers.log_in(client, "city_org", PASSWORD)
            job = upload_and_confirm(client, NEW_AREAS_CSV)
            job.refresh_from_db()
            assert job.dispatched, "the job was not published to Redis"
            assert job.status in (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.DONE)

            def finished():
                job.refresh_from_db()
                return job.is_finished or worker.poll() is not None

            helpers.wait_for(finished, timeout=60)
            log = log_path.read_text(errors="replace")
            assert worker.poll() is None, f"the worker died (exit {worker.returncode}):\n{log}"
            assert job.status == JobStatus.DONE, f"job {job.status}: {job.error}\n{log}"
            assert broker.llen(queue) == 0  # the worker took the message
    elapsed = time.monotonic() - started

    assert job.report["new"] == 3
    assert job.progress_done == job.progress_total == 3
    assert job.started_at and job.finished_at
    assert "core.run_import" in log and "succeeded" in log, log
    community = Area.objects.get(code="220104001003")
    assert community.name == "A3社区" and community.parent.code == "220104001"
    assert sorted(community.get_children().values_list("code", flat=True)) == ["220104001003001", "220104001003002"]
    report = tree.check()
    assert report.ok, report.problems
    print(f"worker round trip (start, upload, confirm, import, stop): {elapsed:.1f} s")

    response = client.get(job.get_absolute_url())
    assert "导入完成" in response.content.decode()
