"""Running jobs (core.models.Job): dispatch that survives a broker outage, the re-sending of
jobs queued while it was away, progress written while the job's transaction is open, and the one
runner (`JobRunner`, as NetBox's) that holds every job's lifecycle, so that a job writes only its
work."""

import logging
import time
from datetime import timedelta

from django.apps import apps
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import JobStatus
from .models import Job

logger = logging.getLogger(__name__)


def dispatch(job):
    """Queue `job`'s task. When the broker is unreachable the job stays queued and undispatched
    and `redispatch_pending` sends it once the broker is back; the request never hangs (the
    broker settings give up within about a second)."""
    from celery import current_app as app

    task = app.tasks[job.task_name]  # registered by the app's tasks module (imported in its ready())
    type(job).objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    job.status = JobStatus.QUEUED
    try:
        task.apply_async(args=[job.pk], retry=False)  # runs in-process when tasks are eager
    except Exception:  # kombu raises a zoo of connection errors; any of them means "not sent"
        return False
    type(job).objects.filter(pk=job.pk).update(dispatched=True)
    job.dispatched = True
    return True


def job_models():
    """Every concrete Job model of the project."""
    return [model for model in apps.get_models() if issubclass(model, Job)]


def redispatch_pending(older_than_seconds=5):
    """Send the jobs of every kind queued while the broker was away. Returns how many were sent."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    sent = 0
    for model in job_models():
        for job in model.objects.filter(status=JobStatus.QUEUED, dispatched=False, created_at__lt=cutoff):
            if dispatch(job):
                sent += 1
    return sent


def start(job):
    """Take a queued job for running: True for exactly one worker, False if it was taken already
    or cancelled. Refreshes `job`."""
    taken = (
        type(job)
        .objects.filter(pk=job.pk, status=JobStatus.QUEUED)
        .update(status=JobStatus.RUNNING, started_at=timezone.now())
    )
    if taken:
        job.refresh_from_db()
    return bool(taken)


def finish(job, status, *, error="", fields=()):
    """Record how the job ended; `fields` are other columns the caller has set on `job`."""
    job.status, job.error, job.finished_at = status, error, timezone.now()
    if status == JobStatus.DONE:
        job.progress_done = job.progress_total
    job.save(update_fields=["status", "error", "finished_at", "progress_done", *fields])


class ProgressReporter:
    """Writes a job's progress on its own autocommit connection, so that the progress bar moves
    while the job's transaction is still open; at most twice a second. Call it with the count
    done; close() at the end."""

    def __init__(self, job):
        self.job_id = job.pk
        self.table = job._meta.db_table
        self.total = job.progress_total
        self.last = 0.0
        self.conn = None

    def __call__(self, done):
        now = time.monotonic()
        if now - self.last < 0.5 and done < self.total:
            return
        self.last = now
        if self.conn is None:
            import psycopg

            self.conn = psycopg.connect(**connection.get_connection_params(), autocommit=True)
        self.conn.execute(f"UPDATE {self.table} SET progress_done = %s WHERE id = %s", [done, self.job_id])

    def close(self):
        if self.conn is not None:
            self.conn.close()


class JobFailed(Exception):
    """A failure the job foresaw (a file refused, rows rejected): its message, in Chinese, is what
    the page shows; `fields` are other columns the job set before failing (a report)."""

    def __init__(self, message, fields=()):
        super().__init__(message)
        self.fields = tuple(fields)


class JobRunner:
    """One job's lifecycle, written once (as NetBox's JobRunner): fetch the row by id (a row
    deleted meanwhile: return quietly), take it (a row another worker took, or cancelled: leave
    it), run the work with a progress reporter, end the row done or failed with a Chinese message
    the page can show, close the reporter. A job declares only its work:

        class RollupRunner(JobRunner):
            model = "assessment.RollupJob"
            failure = _("汇总计算失败：{error}")

            def run(self):
                self.job.values_written = ...
                return ["values_written"]      # the columns it set

    and its Celery task is one line: `RollupRunner.handle(job_id)`.
    """

    model = None  # the concrete Job model, or its label ("assessment.RollupJob")
    related = ()  # select_related when the row is fetched
    failure = _("后台任务发生内部错误：{error}")  # an unforeseen error, as the page shows it

    def __init__(self, job):
        self.job = job
        self.progress = ProgressReporter(job)  # call with the count done

    def run(self):
        """The work: set the job's result columns and return their names; raise JobFailed for a
        failure foreseen, with its message."""
        raise NotImplementedError

    @classmethod
    def job_model(cls):
        return apps.get_model(cls.model) if isinstance(cls.model, str) else cls.model

    @classmethod
    def handle(cls, job_id):
        """What the job's Celery task does: the job run to its end, or None when its row is gone."""
        job = cls.job_model().objects.select_related(*cls.related).filter(pk=job_id).first()
        if job is None:
            return None
        return cls.execute(job)

    @classmethod
    def execute(cls, job):
        """Run `job` (a row at hand) to its end, unless another worker took it; returns it."""
        if not start(job):
            return job
        runner = cls(job)
        try:
            fields = runner.run() or ()
        except JobFailed as failed:
            finish(job, JobStatus.FAILED, error=str(failed), fields=failed.fields)
        except Exception as exc:  # the job must end in a state the user can see
            logger.exception("%s %s failed", job._meta.label, job.pk)
            finish(job, JobStatus.FAILED, error=str(cls.failure).format(error=exc))
        else:
            finish(job, JobStatus.DONE, fields=fields)
        finally:
            runner.progress.close()
        return job
