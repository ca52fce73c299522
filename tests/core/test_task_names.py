"""A job queued under the import task's name from before the kit still runs after the upgrade."""

from config.celery import app
from core.choices import JobStatus
from core.models import ImportJob

CSV_A3 = "区划代码,名称,层级,上级代码\n220104001003,A3社区,社区,220104001\n".encode()


def test_a_message_under_the_old_task_name_runs_the_import(areas, street_a):
    job = ImportJob.objects.create(
        kind="areas", user=street_a, filename="a3.csv", content=CSV_A3, status=JobStatus.QUEUED, progress_total=1
    )

    app.tasks["orgs.run_import"].apply(args=[job.pk])

    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.report["new"] == 1
