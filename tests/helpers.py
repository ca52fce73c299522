"""Helpers for the tests that need the outside world: Redis, a real Celery worker, Chromium.

Without Redis or Chromium those tests are skipped, unless CI asks for them with
REQUIRE_REDIS=1 or REQUIRE_BROWSER=1: then a missing service fails the test instead.
"""

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium"
# Flags for Debian's chromium in a container, with nothing phoning home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def required(name):
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def per_xdist_worker(url):
    """`url` (redis://host:port/N) moved to database N - i for pytest-xdist's worker gw<i>."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return url
    base, _, number = url.rpartition("/")
    if not number.isdigit():
        base, number = url.rstrip("/"), "15"
    return f"{base}/{(int(number) - int(worker[2:])) % 16}"


def unavailable(what, variable):
    """Skip, or fail when CI requires the service (REQUIRE_REDIS=1, REQUIRE_BROWSER=1)."""
    if required(variable):
        pytest.fail(f"{what} ({variable}=1 requires it)")
    pytest.skip(what)


def redis_url():
    """REDIS_URL, or Redis database 15 on localhost; skips the test when Redis does not answer.
    Under pytest-xdist each worker takes its own database below it (gw0: 15, gw1: 14, …), as
    each takes its own PostgreSQL test database, so that their Celery workers never meet."""
    url = per_xdist_worker(os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL)
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as error:
        unavailable(f"Redis at {url} is unreachable: {error}", "REQUIRE_REDIS")
    return url


def chromium_path():
    """CHROMIUM_PATH, or Debian's /usr/bin/chromium; skips the test without it or without Playwright."""
    path = os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM_PATH
    resolved = shutil.which(path)
    if resolved is None:
        unavailable(f"no Chromium at {path}", "REQUIRE_BROWSER")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        unavailable(f"Playwright is not installed: {error}", "REQUIRE_BROWSER")
    return resolved


def log_in(client, username, password):
    """Logs in through the real login page (django-axes needs the request; Client.login has none)."""
    response = client.post("/login/", {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def redis_client(url):
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)


def unique_queue():
    """A queue name of this test alone, so that parallel runs sharing a Redis never steal its messages."""
    return f"jiceng-test-{uuid.uuid4().hex[:12]}"


@contextmanager
def forget_queue_afterwards(url, queue):
    """Deletes a test queue and its kombu binding from Redis when the block ends."""
    try:
        yield
    finally:
        redis_client(url).delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


def queued_messages(url, queue):
    """The Celery messages waiting in a Redis queue (kombu keeps each queue as a list)."""
    import json

    return [json.loads(raw) for raw in redis_client(url).lrange(queue, 0, -1)]


@contextmanager
def celery_publishing_to(broker_url, queue=None):
    """Points the portal's Celery app at a broker, not eager, and restores it afterwards.

    The app reads Django settings under the CELERY_ namespace, where prefixed keys win over
    plain ones, so the overrides use the prefixed names. The producer pools remember the old
    broker, so they are reset on the way in and on the way out.
    """
    from kombu import pools

    from config.celery import app

    overrides = {"CELERY_BROKER_URL": broker_url, "CELERY_TASK_ALWAYS_EAGER": False}
    if queue:
        overrides["CELERY_TASK_DEFAULT_QUEUE"] = queue
    missing = object()
    saved = {key: app.conf.changes.get(key, missing) for key in overrides}

    def reset_pools():
        pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.update(overrides)
    reset_pools()
    try:
        yield app
    finally:
        reset_pools()
        for key, value in saved.items():
            if value is missing:
                app.conf.changes.pop(key, None)
            else:
                app.conf.changes[key] = value


def database_url(settings_dict):
    """A DATABASE_URL for another process to reach the database of `settings_dict` (the
    test database inside a test). A unix-socket host (the embedded server) goes in the query."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(str(settings_dict.get("PASSWORD") or ""), safe="")
    options = {k: v for k, v in (settings_dict.get("OPTIONS") or {}).items() if isinstance(v, str | int)}
    host = settings_dict.get("HOST") or options.pop("host", "")
    port = settings_dict.get("PORT") or options.pop("port", "")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    if str(host).startswith("/"):
        options = {"host": host, **({"port": port} if port else {}), **options}
        netloc = credentials
    else:
        netloc = credentials + str(host) + (f":{port}" if port else "")
    query = f"?{urlencode(options)}" if options else ""
    return f"postgresql://{netloc}/{quote(settings_dict['NAME'], safe='')}{query}"


@contextmanager
def celery_worker(broker_url, database, queue, log_path):
    """A real `celery -A config worker` on `queue`, with the production settings; always stopped."""
    env = dict(os.environ)
    env.pop("CELERY_BROKER_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database,
        REDIS_URL=broker_url,
        CELERY_TASK_ALWAYS_EAGER="0",
        PYTHONUNBUFFERED="1",
    )
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "-l",
        "info",
        "-Q",
        queue,
        "-n",
        f"{queue}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    with open(log_path, "wb") as log:
        worker = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield worker
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(timeout=5)


@contextmanager
def hung_tcp_server():
    """A TCP server on 127.0.0.1 that accepts connections and never answers: a hung Redis."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    server.settimeout(0.2)
    held = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            held.append(connection)  # read nothing, answer nothing

    thread = threading.Thread(target=serve, name="hung-redis", daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=2)
        server.close()
        for connection in held:
            connection.close()


@contextmanager
def stalling_proxy(target_host, target_port):
    """A TCP proxy to a real Redis that can be told to go silent (`stall.set()`): a Redis that
    hangs after the portal's pooled connection was made. Yields (port, stall)."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    server.settimeout(0.2)
    stall, stop = threading.Event(), threading.Event()
    sockets = []

    def pump(source, sink):
        try:
            while data := source.recv(65536):
                if not stall.is_set():  # while stalled, what is sent is swallowed
                    sink.sendall(data)
        except OSError:
            pass

    def serve():
        while not stop.is_set():
            try:
                client, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            upstream = socket.create_connection((target_host, target_port), timeout=5)
            upstream.settimeout(None)
            sockets.extend([client, upstream])
            threading.Thread(target=pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=pump, args=(upstream, client), daemon=True).start()

    thread = threading.Thread(target=serve, name="stalling-redis-proxy", daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], stall
    finally:
        stop.set()
        thread.join(timeout=2)
        server.close()
        for sock in sockets:
            sock.close()


def wait_for(predicate, timeout, interval=0.2):
    """Polls until `predicate()` is truthy; returns its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


def with_lazy_parts(client, url):
    """The page at `url` as a browser shows it once loaded: its HTML followed by the HTML of each
    part it loads after itself (htmx `hx-get` … `hx-trigger="load"`: lazy home widgets, area panels)."""
    import html as html_module
    import re

    page = client.get(url).content.decode()
    parts = [page]
    for match in re.finditer(r'<[^>]*hx-get="([^"]+)"[^>]*hx-trigger="load"[^>]*>', page):
        response = client.get(html_module.unescape(match.group(1)))
        if response.status_code == 200:
            parts.append(response.content.decode())
    return "\n".join(parts)
