"""The permission matrix (core/testing.py) of every 社区工作者 page and endpoint: anonymous → login, in
scope → served, outside → 404 and nothing written. Street A and community A1 keep the workers; the
city's organisation department reads them; street B is the outsider; a grid worker and a functional
department read none of them (their lists are empty or 404)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.models import ImportJob
from core.testing import Page, PermissionMatrix
from workforce.models_workers import Worker
from workforce.views_workers import (
    CertificatePages,
    TrainingRecordPages,
    WorkerChangePages,
    WorkerPages,
    WorkerRatingPages,
)

from .workers_cast import (  # noqa: F401  (fixtures)
    A1,
    NEW_ID,
    STREET_A,
    community_a1_fixture,
    workers_fixture,
)

STREET = {"insider": "street_a", "outsider": "street_b"}
COMMUNITY = {"insider": "community_a1", "outsider": "street_b"}


@pytest.fixture
def objects(workers, street_b, community_a1, city_org):
    return workers


def worker_form(o):
    w = o["secretary"]
    return {
        "area": A1,
        "name": "王书记（改）",
        "id_number": w.id_number,
        "phone": w.phone,
        "post": w.post,
        "category": w.category,
        "grade": w.grade,
        "hired_on": w.hired_on.isoformat(),
    }


def change_form(o):
    return {
        "worker": o["former"].pk,
        "changed_on": "2024-01-02",
        "kind": "promotion",
        "post": "committee",
        "category": "deputy",
        "grade": 7,
        "reason": "晋级",
    }


def training_form(o):
    return {"worker": o["secretary"].pk, "trained_on": "2026-04-01", "hours": "8", "subject": "培训（改）"}


def certificate_form(o):
    return {"worker": o["secretary"].pk, "level": "social_worker", "number": "2018-0001X", "obtained_on": "2018-06-01"}


def rating_form(o):
    return {"worker": o["secretary"].pk, "year": 2025, "rating": "competent", "note": "改"}


WORKERS_CSV = (
    f"社区代码,姓名,身份证号,岗位,岗位类别,等级,入职日期\r\n{A1},新社工,{NEW_ID},其他社区工作者,委员,2,2024-01-01\r\n"
).encode()


def importing(o):
    return reverse("core:import_new", args=["workforce_workers"])


class TestWorkersMatrix(PermissionMatrix):
    pages = [
        *PermissionMatrix.for_pages(WorkerPages, record="secretary", max_queries=20, data=worker_form, **STREET),
        *PermissionMatrix.for_pages(WorkerChangePages, record="change", max_queries=20, data=change_form, **COMMUNITY),
        *PermissionMatrix.for_pages(
            TrainingRecordPages, record="training", max_queries=20, data=training_form, **COMMUNITY
        ),
        *PermissionMatrix.for_pages(
            CertificatePages, record="certificate", max_queries=20, data=certificate_form, **STREET
        ),
        *PermissionMatrix.for_pages(WorkerRatingPages, record="rating", max_queries=20, data=rating_form, **STREET),
        *PermissionMatrix.for_api(
            WorkerPages.viewset, record="secretary", max_queries=15, data=lambda o: {"note": "改"}, **STREET
        ),
        *PermissionMatrix.for_api(
            WorkerChangePages.viewset, record="change", max_queries=15, data=lambda o: {"reason": "改"}, **COMMUNITY
        ),
        *PermissionMatrix.for_api(
            TrainingRecordPages.viewset,
            record="training",
            max_queries=15,
            data=lambda o: {"subject": "改"},
            **COMMUNITY,
        ),
        *PermissionMatrix.for_api(
            CertificatePages.viewset, record="certificate", max_queries=15, data=lambda o: {"number": "改"}, **STREET
        ),
        *PermissionMatrix.for_api(
            WorkerRatingPages.viewset, record="rating", max_queries=15, data=lambda o: {"note": "改"}, **STREET
        ),
        Page("workforce:staffing", lambda o: reverse("workforce:staffing"), insider="street_a", max_queries=15),
        Page("workforce:staffing", lambda o: reverse("workforce:staffing"), insider="city_org", max_queries=15),
        Page(
            "workforce:workers_area_panel",
            lambda o: reverse("workforce:workers_area_panel", args=[A1]),
            **COMMUNITY,
            max_queries=15,
        ),
        Page(
            "workforce:workers_area_panel",
            lambda o: reverse("workforce:workers_area_panel", args=[STREET_A]),
            **STREET,
            max_queries=15,
        ),
        Page("core:import_new", importing, insider="street_a", outsider="city_org"),
        Page(
            "core:import_template",
            lambda o: reverse("core:import_template", args=["workforce_workers"]),
            insider="community_a1",
            outsider="city_org",
        ),
        Page(
            "core:import_new",
            importing,
            method="post",
            data=lambda o: {"file": SimpleUploadedFile("社工.csv", WORKERS_CSV)},
            insider="street_a",
            outsider="city_org",
            ok=302,
            state=lambda o: (ImportJob.objects.count(), Worker.objects.count()),
        ),
    ]


@pytest.mark.django_db
def test_a_grid_worker_reads_no_workers(objects, grid_a1):
    client = Client()
    client.force_login(grid_a1)

    assert client.get(reverse("workforce:worker_detail", args=[objects["secretary"].pk])).status_code == 404
    assert client.get(reverse("workforce:staffing")).status_code == 404
    assert client.get("/api/workers/", HTTP_ACCEPT="application/json").status_code == 404


@pytest.mark.django_db
def test_the_organisation_department_reads_but_does_not_keep(objects, city_org):
    client = Client()
    client.force_login(city_org)

    page = client.get(reverse("workforce:worker_detail", args=[objects["secretary"].pk]))
    edit = client.get(reverse("workforce:worker_edit", args=[objects["secretary"].pk]))

    assert page.status_code == 200 and "王书记" in page.content.decode()
    assert edit.status_code == 404
    assert reverse("workforce:workerchange_add") not in page.content.decode()


@pytest.mark.django_db
def test_the_staffing_page_lists_a_street_by_its_communities(objects, street_b):
    client = Client()
    client.force_login(street_b)

    page = client.get(reverse("workforce:staffing")).content.decode()

    assert "桂林街道" in page and "B1社区" in page and "前进街道" not in page
