"""A simple scoped model gets its pages, API, export and import from declarations alone (issue #7,
acceptance 3): tests/kitapp declares ServicePoint's fields, filters, change action, API prefix and
import key once (ModelPages), and the kit derives its table, form, filterset, serializer, viewset
and django-import-export resource (issue 16 §5)."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.models import ImportJob, PersonalDataAccess
from core.testing import PermissionMatrix
from orgs.choices import Role
from orgs.models import Area
from tests.conftest import make_user
from tests.grids.sheets import csv_bytes
from tests.kitapp.declarations import ServicePointPages
from tests.kitapp.models import ServicePoint

COMMUNITY_A1 = "220104001001"
COMMUNITY_B1 = "220104002001"
HEADERS = ["区划代码", "名称", "联系电话", "开放日期"]


@pytest.fixture
def points(areas):
    return {
        "a": ServicePoint.objects.create(area=areas[COMMUNITY_A1], name="A1党群服务站", phone="13912340001"),
        "b": ServicePoint.objects.create(area=areas[COMMUNITY_B1], name="B1党群服务站", phone="13912340002"),
    }


def names_of_points():
    return sorted(ServicePoint.objects.values_list("area__code", "name", "phone"))


class TestServicePointMatrix(PermissionMatrix):
    """Generated from the declaration: the pages' rows and the API's (core.testing)."""

    pages = [
        *PermissionMatrix.for_pages(
            ServicePointPages, record="a", insider="street_a", outsider="street_b", max_queries=12
        ),
        *PermissionMatrix.for_api(
            ServicePointPages.viewset, record="a", insider="street_a", outsider="street_b", max_queries=8
        ),
    ]

    @pytest.fixture
    def objects(self, points):
        return points


def test_the_generated_matrix_covers_every_url_the_declaration_serves():
    served = {f"kitapp:{pattern.name}" for pattern in ServicePointPages.urls("points")}
    served |= {"servicepoint-list", "servicepoint-detail"}  # the API router's

    assert served == {page.name for page in TestServicePointMatrix.pages}


def test_the_list_shows_only_the_points_in_scope_sorted_and_filtered(points, street_a, city_org, client_for):
    mine = client_for(street_a).get(reverse("kitapp:servicepoint_list")).content.decode()
    everything = client_for(city_org).get(reverse("kitapp:servicepoint_list"), {"sort": "-name"}).content.decode()
    filtered = client_for(city_org).get(reverse("kitapp:servicepoint_list"), {"name": "B1"}).content.decode()

    assert "A1党群服务站" in mine and "B1党群服务站" not in mine
    assert everything.index("B1党群服务站") < everything.index("A1党群服务站")
    assert "B1党群服务站" in filtered and "A1党群服务站" not in filtered


def test_the_form_offers_only_areas_the_user_may_change(points, street_a, client_for):
    html = client_for(street_a).get(reverse("kitapp:servicepoint_add")).content.decode()

    assert "A1社区" in html
    assert "B1社区" not in html and "桂林街道" not in html


def test_a_point_added_in_scope_is_saved_and_shown_with_its_history(areas, street_a, client_for):
    client = client_for(street_a)

    response = client.post(
        reverse("kitapp:servicepoint_add"), {"area": areas[COMMUNITY_A1].pk, "name": "新服务点", "phone": "13800000000"}
    )

    point = ServicePoint.objects.get(name="新服务点")
    assert response.status_code == 302 and response["Location"] == point.get_absolute_url()
    page = client.get(point.get_absolute_url()).content.decode()
    assert "138****0000" in page and "13800000000" not in page
    assert "变更记录" in page and "新建" in page


def test_deleting_asks_first(points, street_a, client_for):
    client = client_for(street_a)

    asked = client.get(reverse("kitapp:servicepoint_delete", args=[points["a"].pk]))
    deleted = client.post(reverse("kitapp:servicepoint_delete", args=[points["a"].pk]))

    assert asked.status_code == 200 and "确定删除吗" in asked.content.decode()
    assert deleted.status_code == 302
    assert not ServicePoint.objects.filter(pk=points["a"].pk).exists()


def test_the_api_masks_the_phone_and_refuses_a_foreign_area_like_a_missing_one(points, street_a, client_for):
    client = client_for(street_a)

    listed = client.get("/api/service-points/").json()
    foreign = client.post(
        "/api/service-points/", {"area": COMMUNITY_B1, "name": "越权"}, content_type="application/json"
    )
    missing = client.post(
        "/api/service-points/", {"area": "220104009009", "name": "越权"}, content_type="application/json"
    )

    assert [row["phone"] for row in listed["results"]] == ["139****0001"]
    assert foreign.status_code == missing.status_code == 400
    assert json.dumps(foreign.json()).replace(COMMUNITY_B1, "X") == json.dumps(missing.json()).replace(
        "220104009009", "X"
    )
    assert not ServicePoint.objects.filter(name="越权").exists()


def test_the_export_has_the_tables_headers_and_masks_unless_logged(points, street_a, client_for, grant_personal_data):
    client = client_for(street_a)

    masked = load_workbook(io.BytesIO(client.get(reverse("kitapp:servicepoint_list"), {"export": "xlsx"}).content))
    grant_personal_data(street_a)
    whole = client.get(reverse("kitapp:servicepoint_list"), {"export": "csv"}).content.decode("utf-8-sig")

    rows = list(masked.active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS == ServicePointPages.table.headers()
    assert rows[1][:3] == (COMMUNITY_A1, "A1党群服务站", "139****0001")
    assert "13912340001" in whole and "13912340002" not in whole
    assert PersonalDataAccess.objects.get(user=street_a).row_count == 1


def upload(client, rows, name="服务点.csv"):
    return client.post(
        reverse("core:import_new", args=[ServicePointPages.import_kind]),
        {"file": SimpleUploadedFile(name, csv_bytes(rows, header=HEADERS), "text/csv")},
    )


def test_an_import_goes_through_preview_and_confirm_and_rejects_foreign_rows_by_number(points, street_a, client_for):
    client = client_for(street_a)
    rows = [
        [COMMUNITY_A1, "A1党群服务站", "13912340001", ""],  # unchanged
        [COMMUNITY_A1, "A1新服务点", "13700000000", "2026-01-05"],  # new
        [COMMUNITY_B1, "越权服务点", "", ""],  # street B's community: rejected, row 4
    ]

    preview = upload(client, rows)
    job = ImportJob.objects.get(user=street_a)

    assert preview.status_code == 302
    assert (job.summary["new"], job.summary["unchanged"]) == (1, 1)
    assert [(r["row"], r["column"]) for r in job.summary["rejected"]] == [(4, "区划代码")]
    assert "不存在或不在您的管辖范围内" in job.summary["rejected"][0]["reason"]

    client.post(reverse("core:import_confirm", args=[job.pk]), {"skip_invalid": "1"})

    job.refresh_from_db()
    assert job.status == "done", job.error
    assert ServicePoint.objects.filter(name="A1新服务点", area__code=COMMUNITY_A1).exists()
    assert not ServicePoint.objects.filter(name="越权服务点").exists()


def test_the_import_template_has_the_tables_headers(street_a, client_for):
    response = client_for(street_a).get(reverse("core:import_template", args=[ServicePointPages.import_kind]))

    assert list(next(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))) == HEADERS


def test_a_community_cadre_of_another_community_cannot_import_into_a1(points, areas, client_for):
    cadre = make_user("shequ_a2", Role.COMMUNITY_CADRE, areas["220104001002"])

    upload(client_for(cadre), [[COMMUNITY_A1, "越权", "", ""]])

    job = ImportJob.objects.get(user=cadre)
    assert job.summary["new"] == 0 and job.summary["rejected"]
    assert Area.objects.filter(code=COMMUNITY_A1).exists()


def test_an_export_with_masked_phones_reimports_unchanged_and_a_foreign_mask_is_rejected(points, street_a, client_for):
    """The everyday loop on any declared list: export (phones masked), fix a row, upload."""
    client = client_for(street_a)
    exported = client.get(reverse("kitapp:servicepoint_list"), {"export": "xlsx"}).content
    (area, name, phone, _opened) = list(load_workbook(io.BytesIO(exported)).active.iter_rows(values_only=True))[1]
    assert phone == "139****0001"
    rows = [
        [area, name, phone, "2026-02-01"],  # the exported mask, another date: changed, phone kept
        [area, "A1第二服务站", "139****0001", ""],  # a mask with no number on record behind it
        [area, "A1第三服务站", "13700000003", ""],  # a whole number: new
    ]

    upload(client, rows)
    job = ImportJob.objects.get(user=street_a)

    assert (job.summary["new"], job.summary["changed"]) == (1, 1)
    assert [(r["row"], r["column"]) for r in job.summary["rejected"]] == [(3, "联系电话")]
    assert "请填写完整号码" in job.summary["rejected"][0]["reason"]
    client.post(reverse("core:import_confirm", args=[job.pk]), {"skip_invalid": "1"})
    job.refresh_from_db()
    assert job.status == "done", job.error
    assert names_of_points() == [
        (COMMUNITY_A1, "A1党群服务站", "13912340001"),
        (COMMUNITY_A1, "A1第三服务站", "13700000003"),
        (COMMUNITY_B1, "B1党群服务站", "13912340002"),
    ]
    assert str(ServicePoint.objects.get(name="A1党群服务站").opened) == "2026-02-01"
