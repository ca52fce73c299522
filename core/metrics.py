"""Prometheus metrics (README "Health and monitoring"), off unless METRICS_ENABLED.

- Requests, responses and latency by view: django-prometheus' middlewares, which count only while
  the setting is on (`MetricsBeforeMiddleware`, `MetricsAfterMiddleware`).
- Database queries by view: counted by the portal's own execute wrapper (core/monitoring.py), on
  every connection, rather than by django-prometheus' database engine, which would replace the
  engine dj_database_url sets (and that pgtrigger, pghistory and the COPY of bulk loads run on).
- Celery tasks, counted and timed by task and outcome from Celery's signals wherever they run: in
  the portal's process when tasks are eager, in a worker's processes otherwise. A worker serves
  its own metrics on WORKER_METRICS_PORT (`serve_worker_metrics`).
- /metrics answers 404 while off; on, only a request bearing METRICS_TOKEN or coming from an
  address of METRICS_ALLOW (the client as core.client_ip sees it) reads it, others get 403.

Several gunicorn workers (or a worker's prefork children) are several processes: set
PROMETHEUS_MULTIPROC_DIR to an empty folder, the same for the processes of one service, and each
scrape adds them up (prometheus_client's multiprocess mode).
"""

import hmac
import ipaddress
import logging
import os
import time

from django.conf import settings
from django.http import Http404, HttpResponseForbidden
from django_prometheus.middleware import PrometheusAfterMiddleware, PrometheusBeforeMiddleware
from prometheus_client import Counter, Histogram

from .client_ip import client_ip

logger = logging.getLogger(__name__)

QUERIES = Histogram(
    "jiceng_http_request_queries",
    "Database queries of a request, by view.",
    ["view"],
    buckets=(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000),
)
QUERY_SECONDS = Counter(
    "jiceng_http_request_query_seconds",
    "Time spent in database queries, by view.",
    ["view"],
)
TASKS = Counter("jiceng_celery_tasks", "Celery tasks run, by task and outcome.", ["task", "state"])
TASK_SECONDS = Histogram(
    "jiceng_celery_task_duration_seconds",
    "Time a Celery task ran, by task.",
    ["task"],
    buckets=(0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600),
)


class MetricsBeforeMiddleware(PrometheusBeforeMiddleware):
    """django-prometheus' first middleware, counting only with METRICS_ENABLED."""

    def __call__(self, request):
        if not settings.METRICS_ENABLED:
            return self.get_response(request)
        return super().__call__(request)


class MetricsAfterMiddleware(PrometheusAfterMiddleware):
    """django-prometheus' last middleware (views, statuses, latency), counting only with METRICS_ENABLED."""

    def __call__(self, request):
        if not settings.METRICS_ENABLED:
            return self.get_response(request)
        return super().__call__(request)


def observe_queries(view, cost):
    QUERIES.labels(view).observe(cost.queries)
    QUERY_SECONDS.labels(view).inc(cost.query_seconds)


def may_read(request):
    """Whether `request` may read the metrics: the bearer token, or an allowed address."""
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:].strip(), token):
        return True
    allowed = settings.METRICS_ALLOW
    if allowed:
        try:
            address = ipaddress.ip_address(client_ip(request))
        except ValueError:
            return False
        return any(address in ipaddress.ip_network(network, strict=False) for network in allowed)
    return False


def metrics_view(request):
    """/metrics: Prometheus' text format, for the scraper alone."""
    from django_prometheus.exports import ExportToDjangoView

    if not settings.METRICS_ENABLED:
        raise Http404
    if not may_read(request):
        return HttpResponseForbidden("metrics: a bearer token or an allowed address is required\n")
    return ExportToDjangoView(request)


# --- Celery ------------------------------------------------------------------------------------

_started = {}  # task id → perf_counter at its start, in the process that runs it


def task_started(task_id=None, **kwargs):
    if settings.METRICS_ENABLED and task_id:
        _started[task_id] = time.perf_counter()


def task_ended(task_id=None, task=None, state=None, **kwargs):
    started = _started.pop(task_id, None)
    if not settings.METRICS_ENABLED or task is None:
        return
    name = getattr(task, "name", str(task))
    TASKS.labels(name, (state or "unknown").lower()).inc()
    if started is not None:
        TASK_SECONDS.labels(name).observe(time.perf_counter() - started)


def serve_worker_metrics(**kwargs):
    """Celery's `worker_init`, in a worker's main process: its metrics on WORKER_METRICS_PORT (on
    WORKER_METRICS_ADDR, 127.0.0.1 unless set), added up over its children's with
    PROMETHEUS_MULTIPROC_DIR. The port has no token: keep it on a private address."""
    port = settings.WORKER_METRICS_PORT
    if not (settings.METRICS_ENABLED and port):
        return
    from prometheus_client import CollectorRegistry, start_http_server

    registry = None
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    start_http_server(port, addr=settings.WORKER_METRICS_ADDR, **({"registry": registry} if registry else {}))
    logger.info("worker metrics served on %s:%s", settings.WORKER_METRICS_ADDR, port)


def connect_celery_signals():
    """Called by core's AppConfig.ready(): the signals fire in whichever process runs tasks."""
    from celery.signals import task_postrun, task_prerun, worker_init

    task_prerun.connect(task_started, weak=False, dispatch_uid="jiceng-metrics-prerun")
    task_postrun.connect(task_ended, weak=False, dispatch_uid="jiceng-metrics-postrun")
    worker_init.connect(serve_worker_metrics, weak=False, dispatch_uid="jiceng-metrics-worker")
