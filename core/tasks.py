"""Background tasks of the kit: each hands the job's id to its runner (core.jobs.JobRunner), which
re-fetches the row, returns quietly when it is gone, and holds the lifecycle."""

from celery import shared_task
from celery.signals import worker_ready

from . import importing, jobs


@shared_task(name="core.run_import")
def run_import(job_id):
    importing.ImportRunner.handle(job_id)


@shared_task(name="core.run_export")
def run_export(job_id):
    from . import exporting

    exporting.ExportRunner.handle(job_id)


@shared_task(name="core.redispatch_pending_jobs")
def redispatch_pending_jobs():
    return jobs.redispatch_pending()


@worker_ready.connect
def _send_jobs_queued_while_the_broker_was_away(**kwargs):
    jobs.redispatch_pending(older_than_seconds=0)


@shared_task(name="orgs.run_import")
def run_import_queued_before_the_kit(job_id):
    """The task's name before it moved to core: a message queued under it during an upgrade runs."""
    run_import(job_id)
