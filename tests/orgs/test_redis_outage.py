"""The portal keeps working when Redis is down or hung (DESIGN §4).

Sessions and login throttling live in PostgreSQL; confirming an import while the broker is
away answers in about a second (the publish timeout) and leaves the job queued but not
dispatched, with a Chinese warning; once Redis is back, `redispatch_pending` delivers it.
"""

import time
from contextlib import contextmanager

import pytest
from django.test import Client

from core import jobs as job_runner
from core.choices import JobStatus
from core.models import ImportJob
from tests import helpers
from tests.conftest import PASSWORD

DOWN_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connections are refused
# The publish timeout is about a second; this bound is a property of it, not a benchmark.
PUBLISH_BOUND = 5.0
QUEUE_WARNING = "任务队列暂时不可用"

NEW_COMMUNITY_CSV = "区划代码,名称,层级,上级代码\n220104001003,A3社区,社区,220104001\n".encode()


@contextmanager
def broker(kind):
    if kind == "down":
        yield DOWN_BROKER
    else:
        with helpers.hung_tcp_server() as port:
            yield f"redis://127.0.0.1:{port}/0"


@pytest.mark.parametrize("kind", ["down", "hung"])
def test_the_portal_keeps_working_without_redis_and_the_job_is_sent_when_it_returns(kind, city_org, request):
    from django.core.files.uploadedfile import SimpleUploadedFile

    queue = helpers.unique_queue()
    with broker(kind) as url, helpers.celery_publishing_to(url, queue=queue):
        client = Client()
        started = time.monotonic()
        # Login throttling records the failure in PostgreSQL, and the session lives there too.
        failed = client.post("/login/", {"username": "city_org", "password": "wrong"})
        assert failed.status_code == 200 and "用户名或密码不正确" in failed.content.decode()
        helpers.log_in(client, "city_org", PASSWORD)
        home = client.get("/")
        assert home.status_code == 200 and "长春市" in home.content.decode()
        page = client.get("/areas/2201/")
        assert page.status_code == 200 and "朝阳区" in page.content.decode()
        assert time.monotonic() - started < PUBLISH_BOUND, "pages waited on the broker"

        upload = SimpleUploadedFile("新社区.csv", NEW_COMMUNITY_CSV, "text/csv")
        response = client.post("/imports/areas/new/", {"file": upload})
        assert response.status_code == 302
        job = ImportJob.objects.get(user=city_org)
        started = time.monotonic()
        response = client.post(f"/imports/{job.pk}/confirm/")
        confirm_seconds = time.monotonic() - started
        assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
        assert confirm_seconds < PUBLISH_BOUND, f"confirming took {confirm_seconds:.2f} s with the broker {kind}"
        job.refresh_from_db()
        assert job.status == JobStatus.QUEUED and not job.dispatched
        detail = client.get(response["Location"]).content.decode()
        assert QUEUE_WARNING in detail and "排队中" in detail
        print(f"confirm with the broker {kind}: {confirm_seconds:.2f} s")

    # Redis is back: the job queued while it was away is delivered.
    redis_url = request.getfixturevalue("redis_url")
    with helpers.forget_queue_afterwards(redis_url, queue), helpers.celery_publishing_to(redis_url, queue=queue):
        assert job_runner.redispatch_pending(older_than_seconds=0) == 1
        job.refresh_from_db()
        assert job.dispatched and job.status == JobStatus.QUEUED
        messages = helpers.queued_messages(redis_url, queue)
        assert [(m["headers"]["task"], m["headers"]["argsrepr"]) for m in messages] == [
            ("core.run_import", repr([job.pk]))
        ]
        assert job_runner.redispatch_pending(older_than_seconds=0) == 0  # sent once, not again


def test_a_redis_that_hangs_after_the_connection_was_made_does_not_hang_the_portal(city_org, redis_url):
    """The realistic hang: the portal's pooled connection worked, then Redis stops answering."""
    from urllib.parse import urlsplit

    from django.core.files.uploadedfile import SimpleUploadedFile

    target = urlsplit(redis_url)
    queue = helpers.unique_queue()
    client = Client()
    helpers.log_in(client, "city_org", PASSWORD)
    with (
        helpers.stalling_proxy(target.hostname, target.port or 6379) as (port, stall),
        helpers.forget_queue_afterwards(redis_url, queue),
        helpers.celery_publishing_to(f"redis://127.0.0.1:{port}{target.path or '/0'}", queue=queue),
    ):
        jobs = []
        for _ in range(2):
            upload = SimpleUploadedFile("新社区.csv", NEW_COMMUNITY_CSV, "text/csv")
            client.post("/imports/areas/new/", {"file": upload})
            jobs.append(ImportJob.objects.filter(user=city_org).latest("pk"))
        response = client.post(f"/imports/{jobs[0].pk}/confirm/")  # through the live connection
        jobs[0].refresh_from_db()
        assert response.status_code == 302 and jobs[0].dispatched

        stall.set()
        started = time.monotonic()
        response = client.post(f"/imports/{jobs[1].pk}/confirm/")
        confirm_seconds = time.monotonic() - started
        assert response.status_code == 302 and confirm_seconds < PUBLISH_BOUND, f"{confirm_seconds:.2f} s"
        jobs[1].refresh_from_db()
        assert jobs[1].status == JobStatus.QUEUED and not jobs[1].dispatched
        assert QUEUE_WARNING in client.get(response["Location"]).content.decode()
        print(f"confirm with Redis hung mid-connection: {confirm_seconds:.2f} s")

        stall.clear()  # Redis answers again, through the same proxy
        assert job_runner.redispatch_pending(older_than_seconds=0) == 1
        jobs[1].refresh_from_db()
        assert jobs[1].dispatched
        sent = [m["headers"]["argsrepr"] for m in helpers.queued_messages(redis_url, queue)]
        assert sent == [repr([jobs[1].pk]), repr([jobs[0].pk])]  # LPUSH: the newest first


def test_beat_resends_jobs_queued_while_redis_was_away_without_restarting_the_worker():
    """A running worker reconnects when Redis returns but does not fire `worker_ready` again:
    the beat schedule is what re-sends jobs queued in between."""
    from config.celery import app

    entries = [e for e in app.conf.beat_schedule.values() if e["task"] == "core.redispatch_pending_jobs"]
    assert entries and entries[0]["schedule"] <= 60
    app.loader.import_default_modules()
    assert "core.redispatch_pending_jobs" in app.tasks
