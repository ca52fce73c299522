"""/metrics (Prometheus): 404 while METRICS_ENABLED is off; on, 403 without the bearer token or an
allowed address, and the text of requests by view, queries by view and Celery tasks to the scraper;
the Celery counters move when a task runs."""

import pytest
from django.test import Client
from prometheus_client import REGISTRY

from core.tasks import forget_old_form_tokens

TOKEN = "s3cret-scrape-token"
pytestmark = pytest.mark.django_db


@pytest.fixture
def metrics_on(settings):
    settings.METRICS_ENABLED = True
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOW = []
    return settings


def test_it_is_not_there_while_disabled(settings):
    settings.METRICS_ENABLED = False
    settings.METRICS_TOKEN = TOKEN

    response = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    assert response.status_code == 404


def test_without_the_token_or_with_another_it_is_refused(metrics_on):
    assert Client().get("/metrics").status_code == 403
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403


def test_with_the_token_it_serves_requests_latency_and_queries_by_view(metrics_on):
    client = Client()
    client.get("/login/")
    client.get("/health/ready")

    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    assert response.status_code == 200
    text = response.content.decode()
    assert "django_http_requests_total" in text
    assert 'django_http_requests_latency_seconds_by_view_method_count{method="GET",view="login"}' in text
    assert 'jiceng_http_request_queries_count{view="health-ready"}' in text


def test_an_address_of_the_allow_list_reads_it_without_a_token(metrics_on):
    metrics_on.METRICS_TOKEN = ""
    metrics_on.METRICS_ALLOW = ["10.0.0.0/8"]

    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="192.0.2.7").get("/metrics").status_code == 403


def test_behind_a_trusted_proxy_the_client_it_reports_is_the_one_allowed(metrics_on):
    metrics_on.METRICS_TOKEN = ""
    metrics_on.METRICS_ALLOW = ["10.0.0.0/8"]
    metrics_on.TRUSTED_PROXIES = ["192.0.2.1/32"]

    proxied = Client(REMOTE_ADDR="192.0.2.1")

    assert proxied.get("/metrics", HTTP_X_FORWARDED_FOR="10.1.2.3").status_code == 200
    assert proxied.get("/metrics", HTTP_X_FORWARDED_FOR="198.51.100.4").status_code == 403


def test_the_celery_counters_move_when_a_task_runs(metrics_on):
    labels = {"task": "core.forget_old_form_tokens", "state": "success"}
    before = REGISTRY.get_sample_value("jiceng_celery_tasks_total", labels) or 0
    durations = REGISTRY.get_sample_value("jiceng_celery_task_duration_seconds_count", {"task": labels["task"]}) or 0

    forget_old_form_tokens.delay()  # eager in tests: runs here, its signals too

    assert REGISTRY.get_sample_value("jiceng_celery_tasks_total", labels) == before + 1
    assert REGISTRY.get_sample_value("jiceng_celery_task_duration_seconds_count", {"task": labels["task"]}) == (
        durations + 1
    )


def test_nothing_is_counted_while_disabled(settings):
    settings.METRICS_ENABLED = False
    labels = {"task": "core.forget_old_form_tokens", "state": "success"}
    before = REGISTRY.get_sample_value("jiceng_celery_tasks_total", labels)

    forget_old_form_tokens.delay()

    assert REGISTRY.get_sample_value("jiceng_celery_tasks_total", labels) == before


def test_the_deploy_check_warns_of_metrics_nobody_may_read(settings):
    from core.checks import check_metrics_are_readable

    settings.METRICS_ENABLED, settings.METRICS_TOKEN, settings.METRICS_ALLOW = True, "", []
    assert [message.id for message in check_metrics_are_readable(None)] == ["jiceng.W002"]

    settings.METRICS_TOKEN = TOKEN
    assert check_metrics_are_readable(None) == []
