"""Reads from a PostgreSQL streaming replica (README, "Scaling past one machine").

With `DATABASE_REPLICA_URL` set, the portal has a second database alias, `replica`, and sends
the ORM reads of the pages that only read — the kit's lists, the dashboards — to it; every
other read and every write go to the primary (`default`). A page says it may be read from the
replica by a class attribute `reads_from_replica = True` (the kit's `ObjectListView` has it) or
the `replica_safe` decorator on a view function (the assessment's dashboards).

Within such a page the primary still answers:

- every write, and every read after the request's first write (it reads what it wrote);
- reads inside a transaction (`atomic` on the primary: what it reads it may lock or write);
- the sessions, logins, lock-outs, permissions and users (`PRIMARY_ONLY`): who is logged in and
  what they may do never lags;
- raw SQL through `django.db.connection` (the tallies, whose reads recount and write).

Replication lags: a browser that has just written (any POST, PUT, PATCH or DELETE) reads from
the primary for `DATABASE_REPLICA_PIN_SECONDS` afterwards (a cookie), so that a user sees the
record they saved on the list they return to. Other users may see it a moment later.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
PIN_COOKIE = "jiceng_primary"  # "this browser has just written": its reads stay on the primary
SAFE_METHODS = ("GET", "HEAD")
# Who is logged in, what they may do, their lock-outs and API tokens: always read from the primary.
PRIMARY_ONLY_APPS = {"sessions", "auth", "axes", "authtoken", "contenttypes", "admin"}


class RequestReads:
    """One request's choice: `replica` while it may read from the replica."""

    __slots__ = ("replica",)

    def __init__(self):
        self.replica = False


_reads = ContextVar("jiceng_replica_reads", default=None)


def replica_safe(view):
    """Mark a view function whose GET only reads: its ORM reads may come from the replica."""
    view.reads_from_replica = True
    return view


def is_replica_safe(view_func):
    if getattr(view_func, "reads_from_replica", False):
        return True
    view_class = getattr(view_func, "view_class", None)  # a class-based view's as_view()
    return bool(getattr(view_class, "reads_from_replica", False))


def reading_from_replica():
    """True while the current request's ORM reads go to the replica (for tests and logs)."""
    state = _reads.get()
    return state is not None and state.replica


@contextmanager
def replica_reads():
    """The block's ORM reads from the replica, under the same rules as a replica-safe page's (a
    bench, a report run by hand); outside a request."""
    state = RequestReads()
    state.replica = True
    token = _reads.set(state)
    try:
        yield
    finally:
        _reads.reset(token)


class ReplicaReadsMiddleware:
    """Marks a GET of a replica-safe view, not pinned to the primary, as reading from the
    replica (until the response is made); after a write, pins the browser to the primary for a
    few seconds. Does nothing unless `DATABASE_REPLICA_READS` (DATABASE_REPLICA_URL is set)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.DATABASE_REPLICA_READS:
            return self.get_response(request)
        token = _reads.set(RequestReads())
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        state = _reads.get()
        if (
            state is not None
            and request.method in SAFE_METHODS
            and PIN_COOKIE not in request.COOKIES
            and is_replica_safe(view_func)
        ):
            state.replica = True


def in_a_transaction(alias=DEFAULT_DB_ALIAS):
    """Inside an atomic block on the primary that the code opened: not a test case's wrapping block,
    which Django's durable blocks do not count either (so that a test sees what production does)."""
    return any(not block._from_testcase for block in connections[alias].atomic_blocks)


class ReplicaRouter:
    """Reads of a replica-safe request to `replica` (see the module), everything else to `default`."""

    def db_for_read(self, model, **hints):
        state = _reads.get()
        if state is None or not state.replica:
            return None
        meta = model._meta
        if meta.app_label in PRIMARY_ONLY_APPS or meta.label == settings.AUTH_USER_MODEL:
            return DEFAULT_DB_ALIAS
        if in_a_transaction():
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        state = _reads.get()
        if state is not None:
            state.replica = False  # the rest of the request reads what it wrote
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: a record read from one may point at one from the other.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA, None}:
            return True
        return None
