"""What each request costs, measured once for the logs and the metrics (README "Health and
monitoring"): its wall time and its database queries, counted and timed by an execute wrapper on
every database connection, which also keeps the SQL of the slowest few (a reference each, no
formatting unless the request turns out slow).

- A request slower than SLOW_REQUEST_MS is logged at WARNING (logger `jiceng.slow_requests`) with
  its query count and time and its slowest queries, their parameters filled in, truncated and
  masked of ID and phone numbers — whether the logs are JSON or not.
- With LOG_JSON, django-structlog's one line per request (`request_finished`) gets the view, the
  status, the duration and the queries (`add_request_fields`).
- With METRICS_ENABLED, the queries per request are observed by view (core/metrics.py).
"""

import heapq
import logging
import time
from contextlib import ExitStack

from django.conf import settings
from django.db import connections

from .logs import redact

slow_logger = logging.getLogger("jiceng.slow_requests")

SQL_SHOWN = 1000  # characters of each slow query's SQL in the log line


class RequestCost:
    """An execute wrapper (connection.execute_wrapper) that counts and times the queries, and keeps
    the slowest `keep` of them as (seconds, order, alias, sql, params, many)."""

    def __init__(self, keep):
        self.started = time.perf_counter()
        self.ended = None
        self.queries = 0
        self.query_seconds = 0.0
        self.keep = keep
        self.slowest = []  # a min-heap of the slowest queries

    def wrapper(self, alias):
        def execute(run, sql, params, many, context):
            start = time.perf_counter()
            try:
                return run(sql, params, many, context)
            finally:
                took = time.perf_counter() - start
                self.queries += 1
                self.query_seconds += took
                if self.keep:
                    entry = (took, self.queries, alias, sql, params, many)
                    if len(self.slowest) < self.keep:
                        heapq.heappush(self.slowest, entry)
                    elif took > self.slowest[0][0]:
                        heapq.heapreplace(self.slowest, entry)

        return execute

    def finish(self):
        self.ended = time.perf_counter()

    @property
    def milliseconds(self):
        return ((self.ended or time.perf_counter()) - self.started) * 1000

    @property
    def query_milliseconds(self):
        return self.query_seconds * 1000

    def slowest_queries(self):
        """The slowest queries, slowest first: {ms, sql} with the parameters filled in, truncated to
        SQL_SHOWN characters and masked."""
        shown = []
        for took, _order, alias, sql, params, many in sorted(self.slowest, reverse=True):
            text = _with_parameters(alias, sql, params, many)
            if len(text) > SQL_SHOWN:
                text = text[:SQL_SHOWN] + "…"
            shown.append({"ms": round(took * 1000, 1), "sql": redact(text)})
        return shown


def _with_parameters(alias, sql, params, many):
    if many or not params:
        return sql if not many else f"{sql} -- executemany"
    try:
        return connections[alias].ops.compose_sql(sql, params)
    except Exception:  # a closed connection, an odd parameter: the SQL and the values apart
        return f"{sql} -- {params!r}"


def view_name(request):
    match = getattr(request, "resolver_match", None)
    return (match.view_name if match is not None else "") or "<unresolved>"


class RequestMonitorMiddleware:
    """Measures each request (RequestCost, kept as `request.jiceng_cost`), logs it when slow and
    observes its queries in the metrics."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cost = RequestCost(max(0, settings.SLOW_REQUEST_QUERIES))
        request.jiceng_cost = cost
        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(cost.wrapper(alias)))
            response = self.get_response(request)
        cost.finish()
        view = view_name(request)
        if settings.METRICS_ENABLED:
            from . import metrics

            metrics.observe_queries(view, cost)
        if cost.milliseconds >= settings.SLOW_REQUEST_MS:
            log_slow_request(request, response, view, cost)
        return response


def log_slow_request(request, response, view, cost):
    slowest = cost.slowest_queries()
    lines = "".join(f"\n  [{query['ms']} ms] {query['sql']}" for query in slowest)
    fields = {
        **getattr(request, "jiceng_log_context", {}),
        "view": view,
        "status": response.status_code,
        "duration_ms": round(cost.milliseconds, 1),
        "queries": cost.queries,
        "query_ms": round(cost.query_milliseconds, 1),
        "slowest_queries": slowest,
    }
    slow_logger.warning(
        "slow request %s %s (%s): %d ms, %d queries in %d ms; slowest:%s",
        request.method,
        request.get_full_path(),
        view,
        cost.milliseconds,
        cost.queries,
        cost.query_milliseconds,
        lines,
        extra=fields,
    )


def add_request_fields(sender, request, logger, response, log_kwargs, **kwargs):
    """django-structlog's `bind_extra_request_finished_metadata`: the request line says the view,
    the status, the time taken so far and the queries, and the request's id and user are kept
    for a slow request's line, written after django-structlog has unbound them."""
    import structlog

    log_kwargs.pop("code", None)
    log_kwargs["status"] = response.status_code
    log_kwargs["view"] = view_name(request)
    cost = getattr(request, "jiceng_cost", None)
    if cost is not None:
        log_kwargs["duration_ms"] = round(cost.milliseconds, 1)
        log_kwargs["queries"] = cost.queries
        log_kwargs["query_ms"] = round(cost.query_milliseconds, 1)
    request.jiceng_log_context = dict(structlog.contextvars.get_contextvars())


def bind_client_ip(sender, request, logger, log_kwargs, **kwargs):
    """django-structlog's `bind_extra_request_metadata`: the client's address as the portal reads
    it behind its trusted proxies (core.client_ip), not as the headers claim."""
    import structlog

    from .client_ip import client_ip

    structlog.contextvars.bind_contextvars(ip=client_ip(request))


def connect_request_log():
    """Hooks the request line of django-structlog (core's AppConfig.ready())."""
    from django_structlog import signals

    signals.bind_extra_request_finished_metadata.connect(add_request_fields, dispatch_uid="jiceng-request-fields")
    signals.bind_extra_request_metadata.connect(bind_client_ip, dispatch_uid="jiceng-client-ip")
