"""Issue 15, item 8, for every importer on the kit's flow: the preview lists each changed row with
the fields that change from → to (personal numbers masked) and each new row, not only counts — the
areas, the party members, and a small django-import-export list."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from core.models import ImportJob
from tests.grids.sheets import csv_bytes
from tests.kitapp.declarations import ServicePointPages
from tests.kitapp.models import ServicePoint

COMMUNITY_A1 = "220104001001"


def xlsx(headers, rows):
    workbook = Workbook()
    workbook.active.append(headers)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def preview(client, kind, data, name="表.xlsx"):
    response = client.post(reverse("core:import_new", args=[kind]), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.latest("pk")
    return job.summary["details"], client.get(job.get_absolute_url()).content.decode()


def test_an_area_import_shows_the_renamed_area_from_its_old_name_and_the_new_one_with_its_parent(city_org, client_for):
    rows = [["220104001001", "A1社区东", "社区", "220104001"], ["220104001003", "A3社区", "社区", "220104001"]]

    details, page = preview(client_for(city_org), "areas", xlsx(["区划代码", "名称", "层级", "上级代码"], rows))

    assert [(e["row"], e["who"], e["what"], e["changes"]) for e in details["changed"]] == [
        (2, "A1社区", [["区划代码", "220104001001"]], [["名称", "A1社区", "A1社区东"]])
    ]
    assert details["new"][0]["what"] == [["区划代码", "220104001003"], ["层级", "社区"], ["上级代码", "220104001"]]
    assert "A1社区东" in page and "A3社区" in page


def test_a_small_list_shows_its_changed_phone_masked(areas, street_a, client_for):
    ServicePoint.objects.create(area=areas[COMMUNITY_A1], name="A1党群服务站", phone="13912340001")
    rows = [[COMMUNITY_A1, "A1党群服务站", "13700000001", ""], [COMMUNITY_A1, "A1新服务点", "13700000002", ""]]

    details, page = preview(
        client_for(street_a),
        ServicePointPages.import_kind,
        csv_bytes(rows, header=ServicePointPages.table.headers()),
        "服务点.csv",
    )

    assert [(e["row"], e["changes"]) for e in details["changed"]] == [(2, [["联系电话", "139****0001", "137****0001"]])]
    assert [(e["row"], e["what"]) for e in details["new"]] == [
        (3, [["区划代码", COMMUNITY_A1], ["名称", "A1新服务点"], ["联系电话", "137****0002"]])
    ]
    assert "139****0001" in page and "137****0001" in page and "13700000001" not in page
