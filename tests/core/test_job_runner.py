"""One runner holds a job's lifecycle (core.jobs.JobRunner, as NetBox's): it takes the queued row,
runs the job's work, and ends the row done, or failed with a Chinese message the page can show; a
row deleted meanwhile, or taken by another worker, is left alone. A job writes only its work."""

import datetime

import pytest

from assessment.models import Period, RollupJob
from assessment.tasks import run_rollup
from core import jobs
from core.choices import JobStatus
from core.models import ImportJob

CSV = "区划代码,名称,层级,上级代码\n220104001003,A3社区,社区,220104001\n".encode()


class Recorder(jobs.JobRunner):
    """A job whose work is to note what it saw and set the job's report."""

    model = ImportJob
    failure = "记录时出错：{error}"
    seen = []

    def run(self):
        self.seen.append((self.job.pk, self.job.status, self.job.started_at is not None))
        self.progress(1)
        self.job.report = {"new": 1}
        return ["report"]


class Broken(Recorder):
    def run(self):
        raise ZeroDivisionError("division by zero")


class Refused(Recorder):
    def run(self):
        self.job.report = {"rejected": 2}
        raise jobs.JobFailed("有 2 行有误，未写入任何数据。", fields=["report"])


@pytest.fixture
def queued(city_org):
    Recorder.seen = []
    return ImportJob.objects.create(
        kind="areas", user=city_org, filename="a3.csv", content=CSV, status=JobStatus.QUEUED, progress_total=1
    )


def test_a_job_is_running_while_it_works_and_done_with_the_columns_it_set_afterwards(queued):
    Recorder.handle(queued.pk)

    queued.refresh_from_db()
    assert Recorder.seen == [(queued.pk, JobStatus.RUNNING, True)]
    assert queued.status == JobStatus.DONE and queued.error == ""
    assert queued.report == {"new": 1}
    assert queued.progress_done == queued.progress_total == 1
    assert queued.finished_at is not None


def test_an_unforeseen_error_ends_the_job_failed_with_the_jobs_chinese_message(queued):
    Broken.handle(queued.pk)

    queued.refresh_from_db()
    assert queued.status == JobStatus.FAILED
    assert queued.error == "记录时出错：division by zero"
    assert queued.finished_at is not None


def test_a_foreseen_failure_keeps_its_message_and_the_columns_the_job_set(queued):
    Refused.handle(queued.pk)

    queued.refresh_from_db()
    assert (queued.status, queued.error, queued.report) == (
        JobStatus.FAILED,
        "有 2 行有误，未写入任何数据。",
        {"rejected": 2},
    )


def test_a_job_taken_by_another_worker_or_cancelled_is_not_run_again(queued):
    ImportJob.objects.filter(pk=queued.pk).update(status=JobStatus.RUNNING)

    Recorder.handle(queued.pk)

    queued.refresh_from_db()
    assert Recorder.seen == [] and queued.status == JobStatus.RUNNING


def test_a_job_whose_row_is_gone_returns_quietly(queued):
    gone = queued.pk
    queued.delete()

    assert Recorder.handle(gone) is None
    assert Recorder.seen == []


def test_the_rollup_task_returns_quietly_when_its_row_is_gone(areas, default_set):  # noqa: F811
    today = datetime.date.today()
    period = Period.objects.create(kind="quarter", start=today.replace(day=1), end=today, indicator_set=default_set)
    job = RollupJob.objects.create(period=period, status=JobStatus.QUEUED, progress_total=1)
    gone = job.pk
    job.delete()

    assert run_rollup(gone) is None
    assert not RollupJob.objects.exists()


def test_the_rollup_task_runs_on_the_runner_and_fails_in_chinese(areas, default_set, monkeypatch):  # noqa: F811
    from assessment import rollup

    def broken(period, progress=None):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(rollup, "rollup", broken)
    today = datetime.date.today()
    period = Period.objects.create(kind="quarter", start=today.replace(day=1), end=today, indicator_set=default_set)
    job = RollupJob.objects.create(period=period, status=JobStatus.QUEUED, progress_total=1)

    run_rollup(job.pk)

    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.FAILED, "汇总计算失败：磁盘已满")
