"""/health/ready with Redis (tasks sent to workers): Redis stopped → 503 naming redis; Redis up and
no worker → naming the worker; no recent heartbeat of beat → naming beat; a real `celery worker`
against Redis and beat's heartbeat sent → 200, and the worker's last answer still counts for the
grace after it stops."""

import time

import pytest
from django.test import Client

from core import health
from core.tasks import beat_heartbeat
from tests import helpers

pytestmark = [pytest.mark.worker, pytest.mark.django_db]


def ready():
    response = Client().get("/health/ready")
    body = response.json()
    return response.status_code, body["failing"], {check["name"]: check for check in body["checks"]}


@pytest.fixture
def broker(redis_url):
    """The portal publishing to the test's Redis on a queue of its own; no timestamps left from before."""
    queue = helpers.unique_queue()
    helpers.redis_client(redis_url).delete(health.WORKER_PONG_KEY, health.BEAT_KEY)
    with helpers.forget_queue_afterwards(redis_url, queue), helpers.celery_publishing_to(redis_url, queue=queue):
        yield redis_url, queue
    helpers.redis_client(redis_url).delete(health.WORKER_PONG_KEY, health.BEAT_KEY)


def test_redis_stopped_is_named():
    with helpers.celery_publishing_to("redis://127.0.0.1:1/0"):
        status, failing, checks = ready()

    assert status == 503
    assert {"redis", "worker", "beat"} <= set(failing)
    assert checks["redis"]["state"] == "fail"
    assert "database" not in failing


def test_redis_up_and_no_worker_names_the_worker(broker):
    beat_heartbeat.apply_async()  # as beat sends it: its sending is recorded

    status, failing, checks = ready()

    assert status == 503
    assert failing == ["worker"]
    assert checks["redis"]["state"] == checks["beat"]["state"] == "ok"
    assert "没有后台任务进程应答" in checks["worker"]["message"]


def test_beat_never_seen_or_silent_past_its_grace_is_named(broker, settings):
    redis_url, _queue = broker
    assert "beat" in ready()[1]

    settings.HEALTH_BEAT_GRACE_SECONDS = 180
    helpers.redis_client(redis_url).set(health.BEAT_KEY, time.time() - 200)
    _status, failing, checks = ready()

    assert "beat" in failing and "秒未运行" in checks["beat"]["message"]


def test_a_real_worker_and_beat_make_it_ready_and_the_worker_counts_for_its_grace(broker, settings, tmp_path):
    from django.db import connection

    redis_url, queue = broker
    log_path = tmp_path / "worker.log"
    with helpers.celery_worker(redis_url, helpers.database_url(connection.settings_dict), queue, log_path) as worker:
        started = helpers.wait_for(lambda: worker.poll() is not None or " ready." in log_path.read_text(), 60)
        assert started and worker.poll() is None, log_path.read_text()
        beat_heartbeat.apply_async()

        status, failing, checks = ready()

        assert (status, failing) == (200, []), (checks, log_path.read_text())
        assert {name: check["state"] for name, check in checks.items()} == dict.fromkeys(checks, "ok")

    settings.HEALTH_WORKER_GRACE_SECONDS = 180
    assert ready()[1] == []  # stopped a moment ago: it answered within the grace

    settings.HEALTH_WORKER_GRACE_SECONDS = 0
    assert ready()[1] == ["worker"]


def test_a_hung_redis_is_named_without_hanging_the_probe():
    with helpers.hung_tcp_server() as port, helpers.celery_publishing_to(f"redis://127.0.0.1:{port}/0"):
        started = time.monotonic()
        status, failing, _checks = ready()
        elapsed = time.monotonic() - started

    assert status == 503 and "redis" in failing
    assert elapsed < 5.0, elapsed  # each check gives up within its own second or two
