"""A Celery worker started with METRICS_ENABLED and WORKER_METRICS_PORT serves its own task metrics
on that port: a task it ran is counted there, by name and outcome, with its duration."""

import socket
import urllib.request

import pytest
from django.db import connection

from core.tasks import forget_old_form_tokens
from tests import helpers

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def scrape(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as response:
            return response.read().decode()
    except OSError:
        return ""


def test_a_worker_serves_the_count_and_duration_of_the_tasks_it_ran(redis_url, monkeypatch, tmp_path):
    port = free_port()
    monkeypatch.setenv("METRICS_ENABLED", "1")
    monkeypatch.setenv("WORKER_METRICS_PORT", str(port))
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    queue = helpers.unique_queue()
    log_path = tmp_path / "worker.log"
    database = helpers.database_url(connection.settings_dict)
    with (
        helpers.forget_queue_afterwards(redis_url, queue),
        helpers.celery_publishing_to(redis_url, queue=queue),
        helpers.celery_worker(redis_url, database, queue, log_path) as worker,
    ):
        started = helpers.wait_for(lambda: worker.poll() is not None or " ready." in log_path.read_text(), 60)
        assert started and worker.poll() is None, log_path.read_text()
        counted = 'jiceng_celery_tasks_total{state="success",task="core.forget_old_form_tokens"} 1.0'
        before = scrape(port)
        assert "# TYPE jiceng_celery_tasks_total counter" in before and counted not in before

        forget_old_form_tokens.delay()

        def counted_page():
            page = scrape(port)
            return page if counted in page else ""

        text = helpers.wait_for(counted_page, 30)

    assert counted in text, log_path.read_text()
    assert 'jiceng_celery_task_duration_seconds_count{task="core.forget_old_form_tokens"} 1.0' in text
