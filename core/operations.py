"""The figures of the operator's page (core/views/operations.py, superusers only) besides the
readiness checks: the queues (Celery's in Redis, the jobs' in PostgreSQL), what the apps register
(registry.operator_figures: the last rollup, the oldest stale coverage), and the disk the
uploaded files take."""

import os
import shutil
import time
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Min, Q

from .choices import JobStatus
from .jobs import job_models
from .registry import registry

MEDIA_WALK_SECONDS = 2.0  # the size of MEDIA_ROOT is summed for at most this long


@dataclass(frozen=True)
class JobQueue:
    label: str
    queued: int
    running: int
    oldest_queued: object  # the creation time of the oldest queued job, or None


def job_queues():
    """Each kind of job: how many are queued and running, and since when the oldest has waited."""
    queues = []
    for model in job_models():
        figures = model.objects.aggregate(
            queued=Count("pk", filter=Q(status=JobStatus.QUEUED)),
            running=Count("pk", filter=Q(status=JobStatus.RUNNING)),
            oldest=Min("created_at", filter=Q(status=JobStatus.QUEUED)),
        )
        queues.append(
            JobQueue(str(model._meta.verbose_name_plural), figures["queued"], figures["running"], figures["oldest"])
        )
    return queues


def broker_queues():
    """[(queue name, messages waiting)] in the broker's Redis; None when tasks run in-process; an
    error's name in place of the length when Redis does not answer."""
    from . import health

    if health.in_process():
        return None
    app = health.celery_app()
    names = [queue.name for queue in app.conf.task_queues or ()] or [app.conf.task_default_queue]
    try:
        client = health.redis_client()
        return [(name, client.llen(name)) for name in names]
    except Exception as error:  # Redis down: said on the page, not raised
        return [(name, type(error).__name__) for name in names]


@dataclass(frozen=True)
class MediaUsage:
    used: int  # bytes of the files under MEDIA_ROOT (counted so far when not complete)
    files: int
    complete: bool  # False: the walk stopped at MEDIA_WALK_SECONDS
    free: int | None  # bytes free on its file system, None when it cannot be read
    total: int | None


def media_usage(root=None):
    root = str(root or settings.MEDIA_ROOT)
    used = files = 0
    complete = True
    deadline = time.monotonic() + MEDIA_WALK_SECONDS
    folders = [root]
    while folders:
        if time.monotonic() > deadline:
            complete = False
            break
        try:
            entries = list(os.scandir(folders.pop()))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    used += entry.stat(follow_symlinks=False).st_size
                    files += 1
            except OSError:
                continue
    try:
        disk = shutil.disk_usage(root)
        free, total = disk.free, disk.total
    except OSError:
        free = total = None
    return MediaUsage(used, files, complete, free, total)


def stale_tallies():
    """The kit's tallies (core/tallies.py) waiting to be recounted by their next reader, by key."""
    from django.utils.translation import gettext as _

    from .models import StaleTally

    waiting = StaleTally.objects.values_list("key").annotate(codes=Count("code")).order_by("key")
    if not waiting:
        return _("无待重算")
    return "；".join(_("{key} {n} 个待重算").format(key=key, n=codes) for key, codes in waiting)


def app_figures():
    """[(label, text)] of what the apps register, leaving out those with nothing to say."""
    shown = []
    for figure in registry.operator_figures:
        text = figure.compute()
        if text:
            shown.append((figure.label, text))
    return shown
