"""The rollup as a Celery task on the kit's job model (core.jobs): the row holds status and
progress; a failure ends the job in a state the page can show."""

import logging

from celery import shared_task
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


@shared_task(name="assessment.run_rollup")
def run_rollup(job_id):
    from core import jobs
    from core.choices import JobStatus

    from .models import RollupJob
    from .rollup import rollup

    job = RollupJob.objects.select_related("period__indicator_set").get(pk=job_id)
    if not jobs.start(job):
        return
    reporter = jobs.ProgressReporter(job)
    try:
        written = rollup(job.period, progress=lambda done, total: reporter(done))
    except Exception as exc:  # the job must end in a state the user can see
        logger.exception("rollup job %s failed", job.pk)
        jobs.finish(job, JobStatus.FAILED, error=_("汇总计算失败：{error}").format(error=exc))
    else:
        job.values_written, job.scores_written = written
        jobs.finish(job, JobStatus.DONE, fields=["values_written", "scores_written"])
    finally:
        reporter.close()


def start_rollup(period, user):
    """A rollup job for `period`, queued (or run in-process without a broker); returns the job."""
    from .models import RollupJob

    job = RollupJob.objects.create(
        user=user, period=period, progress_total=period.indicator_set.indicators.exclude(source="").count()
    )
    job.dispatch()
    return job
