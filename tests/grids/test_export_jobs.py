"""An export of more rows than a request should carry runs as a job (issue #8): the list's own
view, as the same user with the same filter, with a progress bar and a download link."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import ExportJob, PersonalDataAccess


@pytest.fixture
def big(settings):
    settings.EXPORT_JOB_ROWS = 3


def test_a_large_roster_export_runs_as_a_job_and_is_downloaded(cast_roster, street_a, client_for, big):
    client = client_for(street_a)

    response = client.get(reverse("grids:roster", args=["220104001"]), {"export": "xlsx", "state": "all"})

    job = ExportJob.objects.get(user=street_a)
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == "done" and job.progress_done == job.progress_total == 6  # eager here
    page = client.get(job.get_absolute_url()).content.decode()
    assert "文件已生成" in page and reverse("core:export_download", args=[job.pk]) in page
    download = client.get(reverse("core:export_download", args=[job.pk]))
    rows = list(load_workbook(io.BytesIO(download.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 6
    assert "139****5678" in [str(r[10]) for r in rows]  # masked, as on the page
    assert "人员名册_220104001" in job.filename


def test_a_large_export_of_a_user_who_sees_numbers_whole_is_logged_with_its_filter(
    cast_roster, street_a, client_for, grant_personal_data, big
):
    grant_personal_data(street_a)

    client_for(street_a).get(reverse("grids:roster", args=["220104001"]), {"export": "xlsx", "post": "grid_head"})

    access = PersonalDataAccess.objects.get(user=street_a)
    assert "post=grid_head" in access.query and access.row_count >= 1


def test_a_small_export_stays_in_the_request(cast_roster, street_a, client_for):
    response = client_for(street_a).get(reverse("grids:roster", args=["220104001"]), {"export": "xlsx"})

    assert response.status_code == 200 and not ExportJob.objects.exists()


def test_another_user_cannot_see_nor_download_the_export(cast_roster, street_a, street_b, client_for, big):
    client_for(street_a).get(reverse("grids:roster", args=["220104001"]), {"export": "csv"})
    job = ExportJob.objects.get(user=street_a)

    outsider = client_for(street_b)
    assert outsider.get(job.get_absolute_url()).status_code == 404
    assert outsider.get(reverse("core:export_download", args=[job.pk])).status_code == 404


def test_asking_again_for_an_export_on_its_way_leads_to_it_instead_of_a_second_job(
    cast_roster, street_a, street_b, client_for, big
):
    url = reverse("grids:roster", args=["220104001"])
    waiting = ExportJob.objects.create(user=street_a, path=url, query="export=xlsx", status="queued")
    client = client_for(street_a)

    again = client.get(url, {"export": "xlsx"})

    assert again.status_code == 302 and again["Location"] == waiting.get_absolute_url()
    assert ExportJob.objects.count() == 1
    assert "同样的导出正在进行" in client.get(again["Location"]).content.decode()
    # Another filter, or the same export once the first has finished, is a new job.
    client.get(url, {"export": "xlsx", "state": "all"})
    ExportJob.objects.filter(pk=waiting.pk).update(status="done")
    client.get(url, {"export": "xlsx"})
    assert ExportJob.objects.filter(user=street_a).count() == 3
