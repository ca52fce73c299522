"""The rollup as a Celery task on the kit's job runner (core.jobs.JobRunner): the row holds status
and progress; the runner ends it done, or failed in words the page can show."""

import logging

from celery import shared_task
from django.utils.translation import gettext_lazy as _

from core import jobs

logger = logging.getLogger(__name__)


class RollupRunner(jobs.JobRunner):
    """A rollup job's work: the period rolled up, the rows written counted."""

    model = "assessment.RollupJob"
    related = ("period__indicator_set",)
    failure = _("汇总计算失败：{error}")

    def run(self):
        from . import rollup

        written = rollup.rollup(self.job.period, progress=lambda done, total: self.progress(done))
        self.job.values_written, self.job.scores_written = written
        return ["values_written", "scores_written"]


@shared_task(name="assessment.run_rollup")
def run_rollup(job_id):
    RollupRunner.handle(job_id)


def start_rollup(period, user=None):
    """A rollup job for `period`, queued (or run in-process without a broker); returns the job.
    `user` None: started by the schedule."""
    from .models import RollupJob
    from .rollup import steps

    job = RollupJob.objects.create(user=user, period=period, progress_total=steps(period))
    job.dispatch()
    return job


@shared_task(name="assessment.nightly_rollups")
def nightly_rollups():
    """Beat, every night: every open period is rolled up again, so that the morning's dashboards
    show yesterday's records."""
    from .choices import PeriodStatus
    from .models import Period

    started = [start_rollup(period).pk for period in Period.objects.filter(status=PeriodStatus.OPEN)]
    logger.info("nightly rollups queued: %s", started)
    return started


@shared_task(name="assessment.quarter_end_rollup")
def quarter_end_rollup(today=None):
    """Beat, on the first day of a quarter: the quarter just ended is rolled up as it stood on its
    last day (季度调度), if it is still open."""
    import datetime

    from django.utils import timezone

    from .choices import PeriodKind, PeriodStatus
    from .models import Period

    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    ended = day - datetime.timedelta(days=1)
    periods = Period.objects.filter(kind=PeriodKind.QUARTER, end=ended, status=PeriodStatus.OPEN)
    return [start_rollup(period).pk for period in periods]
