"""The operator's page: the readiness checks, the queues, the apps' running figures and the disk
of the uploaded files (core/operations.py). For superusers; anybody else gets the 404 of a page
that is not theirs."""

from asgiref.sync import async_to_sync
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from .. import health, operations


@login_required
def operations_page(request):
    if not request.user.is_superuser:
        raise Http404
    outcomes = async_to_sync(health.check_all)()
    return render(
        request,
        "core/operations.html",
        {
            "outcomes": outcomes,
            "failing": [outcome for outcome in outcomes if not outcome.ok],
            "job_queues": operations.job_queues(),
            "broker_queues": operations.broker_queues(),
            "app_figures": operations.app_figures(),
            "media": operations.media_usage(),
            "bounds": {
                "database_ms": settings.HEALTH_DB_TIMEOUT_MS,
                "worker_seconds": settings.HEALTH_WORKER_GRACE_SECONDS,
                "beat_seconds": settings.HEALTH_BEAT_GRACE_SECONDS,
                "queued_minutes": settings.HEALTH_QUEUED_JOB_MINUTES,
            },
        },
    )
