"""Background tasks of the kit: each hands the job's id to its runner (core.jobs.JobRunner), which
re-fetches the row, returns quietly when it is gone, and holds the lifecycle."""

import datetime

from celery import shared_task
from celery.signals import after_task_publish, worker_ready
from django.utils import timezone

from . import importing, jobs


@shared_task(name="core.run_import")
def run_import(job_id):
    importing.ImportRunner.handle(job_id)


@shared_task(name="core.run_export")
def run_export(job_id):
    from . import exporting

    exporting.ExportRunner.handle(job_id)


# An add form's one-time token guards against the same page posted twice, seconds or minutes apart:
# kept a week, then forgotten, so that the table holds days of posts, not years.
FORM_TOKENS_KEPT = datetime.timedelta(days=7)


@shared_task(name="core.forget_old_form_tokens")
def forget_old_form_tokens():
    from .models import FormSubmission

    forgotten, _by_model = FormSubmission.objects.filter(created_at__lt=timezone.now() - FORM_TOKENS_KEPT).delete()
    return forgotten


@shared_task(name="core.send_due_notices")
def send_due_notices():
    """The day's notices of what is due, and the digests of what is overdue (core/notices.py)."""
    from . import notices

    told = notices.send_due_notices()
    return {"new": told.new, "digests": told.digests, "items": told.items}


@shared_task(name="core.redispatch_pending_jobs")
def redispatch_pending_jobs():
    return jobs.redispatch_pending()


@worker_ready.connect
def _send_jobs_queued_while_the_broker_was_away(**kwargs):
    jobs.redispatch_pending(older_than_seconds=0)


@shared_task(name="core.beat_heartbeat", ignore_result=True)
def beat_heartbeat():
    """Sent by beat every 30 s (core/apps.py). Beat itself records the time it sent it
    (`_beat_sent_its_heartbeat`), so that /health/ready tells a stopped beat apart from stopped
    workers; the worker that runs it has nothing to do."""


@after_task_publish.connect(sender="core.beat_heartbeat", weak=False)
def _beat_sent_its_heartbeat(**kwargs):
    from . import health

    health.record_time(health.BEAT_KEY)


@shared_task(name="orgs.run_import")
def run_import_queued_before_the_kit(job_id):
    """The task's name before it moved to core: a message queued under it during an upgrade runs."""
    run_import(job_id)
