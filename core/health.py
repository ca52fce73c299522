"""Whether the portal can serve (README "Health and monitoring"), on django-health-check's checks.

`/health/live` says the process answers (no database). `/health/ready` runs `READY_CHECKS` at
once and answers 503 naming the failing ones:

- database: PostgreSQL answers `SELECT 1` within HEALTH_DB_TIMEOUT_MS (connect and query), on a
  connection of its own: never a hang when the server is down, unreachable or stuck;
- migrations: every migration on disk is applied (same bound);
- redis: the broker answers a PING within a second — "in-process" when tasks run in-process;
- worker: a Celery worker answered a ping now or within HEALTH_WORKER_GRACE_SECONDS (a worker busy
  with a long job may not answer at once);
- beat: beat sent its heartbeat (a task every 30 s, recorded as it is sent) within
  HEALTH_BEAT_GRACE_SECONDS;
- media: a file can be written, read and deleted in MEDIA_ROOT;
- queued_jobs: no job has waited in the queue longer than HEALTH_QUEUED_JOB_MINUTES (an import
  counts from its upload: the job has no time of its own for its confirmation).

The answer reveals no data: no counts of records, no host names, no versions. The operator's
page (core/views/operations.py) shows the same checks with more.
"""

import asyncio
import dataclasses
import datetime
import functools
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from typing import ClassVar

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from health_check.base import HealthCheck
from health_check.checks import Database, Storage
from health_check.contrib.celery import Ping
from health_check.contrib.redis import Redis
from health_check.exceptions import ServiceUnavailable

logger = logging.getLogger(__name__)

OK, IN_PROCESS, FAIL = "ok", "in-process", "fail"
WORKER_PONG_KEY = "jiceng:health:worker-pong"  # when a worker last answered a ping (Unix time)
BEAT_KEY = "jiceng:health:beat"  # when beat last sent its heartbeat (Unix time)
BEAT_HEARTBEAT_SECONDS = 30.0
REDIS_TIMEOUT = 1.0  # seconds to connect to Redis and for each of its answers
KEPT = 24 * 3600  # the timestamps expire after a day


# --- where the checks look -------------------------------------------------------------------


def celery_app():
    from celery import current_app

    return current_app


def in_process():
    """Tasks run in the portal's own process (no REDIS_URL): no broker, worker nor beat to check."""
    return bool(celery_app().conf.task_always_eager)


def redis_client():
    """A client of the broker's Redis that gives up within REDIS_TIMEOUT."""
    import redis

    return redis.Redis.from_url(
        celery_app().conf.broker_url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT
    )


def record_time(key):
    """Write now under `key` in the broker's Redis; a failure is logged, never raised."""
    try:
        redis_client().set(key, time.time(), ex=KEPT)
    except Exception as error:  # redis raises a zoo of errors; none may stop the caller
        logger.warning("could not record %s: %s", key, type(error).__name__)


def recorded_time(client, key):
    value = client.get(key)
    return float(value) if value is not None else None


def database_bound():
    return settings.HEALTH_DB_TIMEOUT_MS / 1000


def connection_params():
    """The portal's database connection, with a statement timeout of the bound (unless a pooler
    takes no startup options: DB_JIT=server)."""
    from django.db import connections

    params = connections["default"].get_connection_params()
    for key in ("cursor_factory", "context"):
        params.pop(key, None)
    if getattr(settings, "DB_JIT", "off") != "server":
        timeout = f"-c statement_timeout={settings.HEALTH_DB_TIMEOUT_MS}"
        params["options"] = f"{params.get('options', '')} {timeout}".strip()
    return params


async def query(sql, args=None):
    """The rows of `sql` on a connection of its own, within the bound; ServiceUnavailable else. The
    bound is kept by asyncio rather than libpq, whose connect_timeout is two seconds at least."""
    import psycopg

    async def run():
        connection = await psycopg.AsyncConnection.connect(autocommit=True, **connection_params())
        try:
            cursor = await connection.execute(sql, args)
            return await cursor.fetchall()
        finally:
            await connection.close()

    try:
        return await asyncio.wait_for(run(), database_bound())
    except TimeoutError:
        raise ServiceUnavailable(_("数据库未在 {ms} 毫秒内应答").format(ms=settings.HEALTH_DB_TIMEOUT_MS)) from None
    except psycopg.Error as error:
        raise ServiceUnavailable(_("数据库无法连接或查询失败（{kind}）").format(kind=type(error).__name__)) from None


@functools.cache
def migrations_on_disk():
    """{(app, name): the migrations it replaces} of every migration the code holds."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {key: tuple(migration.replaces or ()) for key, migration in loader.graph.nodes.items()}


def unapplied(on_disk, applied):
    """The migrations of `on_disk` not applied: a squashed one counts as applied when all it
    replaces are."""
    return sorted(
        key
        for key, replaces in on_disk.items()
        if key not in applied and not (replaces and all(each in applied for each in replaces))
    )


# --- the checks --------------------------------------------------------------------------------


class Named:
    """A check's name in the JSON and its label on the operator's page; `state` is "ok" unless the
    check found tasks running in-process."""

    name: ClassVar[str] = ""
    title: ClassVar = ""
    state = OK


@dataclasses.dataclass
class DatabaseCheck(Named, Database):
    name = "database"
    title = _("数据库")
    timeout = datetime.timedelta(seconds=1)

    async def run(self):
        if await query("SELECT 1") != [(1,)]:
            raise ServiceUnavailable(_("数据库应答有误"))


@dataclasses.dataclass
class MigrationsCheck(Named, HealthCheck):
    name = "migrations"
    title = _("数据库迁移")
    timeout = datetime.timedelta(seconds=1)

    async def run(self):
        on_disk = await asyncio.to_thread(migrations_on_disk)
        applied = {(app, name) for app, name in await query("SELECT app, name FROM django_migrations")}
        missing = unapplied(on_disk, applied)
        if missing:
            raise ServiceUnavailable(_("有 {n} 个数据库迁移尚未执行（manage.py migrate）").format(n=len(missing)))


@dataclasses.dataclass
class QueuedJobsCheck(Named, HealthCheck):
    name = "queued_jobs"
    title = _("排队任务")
    timeout = datetime.timedelta(seconds=1)

    async def run(self):
        from .choices import JobStatus
        from .jobs import job_models

        tables = [model._meta.db_table for model in job_models()]
        if not tables:
            return
        waited = " + ".join(
            f"(SELECT count(*) FROM {table} WHERE status = %(queued)s AND created_at < now() - %(bound)s)"
            for table in tables
        )
        bound = datetime.timedelta(minutes=settings.HEALTH_QUEUED_JOB_MINUTES)
        [(late,)] = await query(f"SELECT {waited}", {"queued": str(JobStatus.QUEUED), "bound": bound})
        if late:
            raise ServiceUnavailable(
                _("有任务排队超过 {minutes} 分钟").format(minutes=settings.HEALTH_QUEUED_JOB_MINUTES)
            )


@dataclasses.dataclass
class RedisCheck(Named, Redis):
    name = "redis"
    title = _("Redis（任务队列）")

    def __post_init__(self):
        if in_process():
            return
        if self.client_factory is None:
            from redis.asyncio import Redis as AsyncRedis

            url = celery_app().conf.broker_url
            self.client_factory = lambda: AsyncRedis.from_url(
                url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT
            )
        super().__post_init__()

    async def run(self):
        if in_process():
            self.state = IN_PROCESS
            return
        await super().run()


@dataclasses.dataclass
class WorkerCheck(Named, Ping):
    name = "worker"
    title = _("后台任务进程（worker）")
    limit: int | None = dataclasses.field(default=1, repr=False)

    def run(self):
        if in_process():
            self.state = IN_PROCESS
            return
        try:
            super().run()
        except ServiceUnavailable as error:  # no answer, or none from a worker of the portal's queue
            reason = str(error.message)
        except Exception as error:  # the broker unreachable: kombu's and redis' zoo of errors
            reason = type(error).__name__
        else:
            record_time(WORKER_PONG_KEY)
            return
        last = self._last_answer()
        if last is not None and time.time() - last <= settings.HEALTH_WORKER_GRACE_SECONDS:
            return  # busy, or a moment away: it answered within the grace
        raise ServiceUnavailable(
            _("没有后台任务进程应答，{seconds} 秒内也未应答过（{reason}）").format(
                seconds=settings.HEALTH_WORKER_GRACE_SECONDS, reason=reason
            )
        )

    def _last_answer(self):
        try:
            return recorded_time(redis_client(), WORKER_PONG_KEY)
        except Exception:
            return None


@dataclasses.dataclass
class BeatCheck(Named, HealthCheck):
    name = "beat"
    title = _("定时任务（beat）")

    def run(self):
        if in_process():
            self.state = IN_PROCESS
            return
        try:
            last = recorded_time(redis_client(), BEAT_KEY)
        except Exception:
            raise ServiceUnavailable(_("无法从 Redis 读取定时任务的运行记录")) from None
        if last is None:
            raise ServiceUnavailable(_("未见定时任务（beat）的运行记录"))
        if time.time() - last > settings.HEALTH_BEAT_GRACE_SECONDS:
            raise ServiceUnavailable(_("定时任务（beat）已 {seconds} 秒未运行").format(seconds=int(time.time() - last)))


@dataclasses.dataclass
class MediaCheck(Named, Storage):
    name = "media"
    title = _("媒体文件目录")

    def run(self):
        try:
            super().run()
        except OSError:
            raise ServiceUnavailable(_("媒体文件目录不可写")) from None


READY_CHECKS = (DatabaseCheck, MigrationsCheck, RedisCheck, WorkerCheck, BeatCheck, MediaCheck, QueuedJobsCheck)


@dataclasses.dataclass(frozen=True)
class Outcome:
    name: str
    title: str
    state: str  # ok, in-process or fail
    milliseconds: float
    message: str = ""

    @property
    def ok(self):
        return self.state != FAIL


async def check_all(checks=READY_CHECKS):
    """Every check at once, each bounded; their outcomes in order."""
    executor = ThreadPoolExecutor(max_workers=len(checks), thread_name_prefix="health")
    try:
        results = await asyncio.gather(*(check().get_result(executor) for check in checks))
    finally:
        executor.shutdown(wait=False)  # a check past its bound is not waited for
    return [
        Outcome(
            name=result.check.name,
            title=str(result.check.title),
            state=FAIL if result.error else result.check.state,
            milliseconds=round(result.time_taken * 1000, 1),
            message=str(result.error.message) if result.error else "",
        )
        for result in results
    ]


def readiness(outcomes):
    """The JSON of /health/ready, and its status code."""
    failing = [outcome.name for outcome in outcomes if not outcome.ok]
    body = {
        "status": FAIL if failing else OK,
        "failing": failing,
        "checks": [
            {
                "name": outcome.name,
                "state": outcome.state,
                "ms": outcome.milliseconds,
                **({"message": outcome.message} if outcome.message else {}),
            }
            for outcome in outcomes
        ],
    }
    return body, 503 if failing else 200
