"""The area list's export is the area import's sheet (one table declaration drives both): its
columns in the import's order whatever order the page shows them in, and re-importing it
changes nothing."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from core.importing import preview
from orgs.importers import AreaImporter


def test_the_export_of_the_area_list_reimports_unchanged(areas, street_a, client_for):
    response = client_for(street_a).get(reverse("orgs:area_list"), {"export": "xlsx", "within": "220104001"})

    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == ["区划代码", "名称", "层级", "上级代码"]
    assert rows[1] == ("220104001", "前进街道", "街道", "220104")
    summary = preview(AreaImporter(street_a), response.content).summary()
    assert (summary["new"], summary["changed"], summary["rejected"]) == (0, 0, [])
    assert summary["unchanged"] == len(rows) - 1 == 7  # street A and the six areas below it


def test_the_page_shows_names_first_on_the_same_table(areas, street_a, client_for):
    html = client_for(street_a).get(reverse("orgs:area_list"), {"view": "list"}).content.decode()

    header = html[html.index("<thead") : html.index("</thead>")]
    assert header.index("名称") < header.index("区划代码")


def test_a_large_area_list_export_runs_as_a_job_with_the_same_rows(areas, street_a, client_for, settings):
    from core.models import ExportJob

    settings.EXPORT_JOB_ROWS = 3
    client = client_for(street_a)

    response = client.get(reverse("orgs:area_list"), {"export": "xlsx", "within": "220104001"})

    job = ExportJob.objects.get(user=street_a)
    assert response["Location"] == job.get_absolute_url() and job.status == "done", job.error
    download = client.get(reverse("core:export_download", args=[job.pk]))
    rows = list(load_workbook(io.BytesIO(download.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("区划代码", "名称", "层级", "上级代码") and len(rows) == 1 + 7
