"""The permission matrix (core/testing.py) of every page and endpoint of 书记项目, 述职评议 and the
roads: anonymous → login, in scope → served, outside → 404 and nothing written. Community A1's cadre
keeps A1's projects; street A records A1's 述职评议 (the level above) and keeps its roads; street B
is the outsider; a functional department sees none of it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.models import ImportJob
from core.testing import Case, Page, PermissionMatrix, model_state, transition_pages
from workforce.models_secretaries import Road, SecretaryProject
from workforce.secretaries_flow import PROJECTS
from workforce.views_secretaries import RoadPages, SecretaryMilestonePages, SecretaryProjectPages, SecretaryReportPages

from .secretaries_cast import (  # noqa: F401  (fixtures)
    A1,
    STREET_A,
    community_a1_fixture,
    minzheng_fixture,
    secretaries_fixture,
)

COMMUNITY = {"insider": "community_a1", "outsider": "street_b"}
STREET = {"insider": "street_a", "outsider": "street_b"}


@pytest.fixture
def objects(secretaries, minzheng):
    return secretaries


def url(name, key):
    return lambda o: reverse(name, args=[o[key].pk])


def project_form(o):
    p = o["project"]
    return {
        "area": p.area_id,
        "secretary": p.secretary,
        "year": p.year,
        "title": "楼道微更新（改）",
        "goal": p.goal,
        "started_on": p.started_on.isoformat(),
        "ends_on": p.ends_on.isoformat(),
    }


def milestone_form(o):
    m = o["milestone"]
    return {"project": m.project_id, "title": "方案（改）", "due_on": m.due_on.isoformat(), "note": "改"}


def report_form(o):
    r = o["report"]
    return {
        "area": r.area_id,
        "year": r.year,
        "secretary": "李红（改）",
        "reported_on": r.reported_on.isoformat(),
        "voters": 40,
        "good": 30,
        "fairly_good": 6,
        "fair": 3,
        "poor": 1,
    }


def road_form(o):
    r = o["road"]
    return {"area": r.area_id, "name": "人民大街（改）", "kind": "street", "chief_name": "赵刚", "along": A1}


def step(name, reason=False):
    data = {"state": "running", **({"reason": "规划调整"} if reason else {})}
    return Case(
        url(f"workforce:secretaryproject_{name}", "project"),
        "community_a1",
        "street_b",
        data=lambda o: data,
        api_data=lambda o: {"project": o["project"].pk, **data},
    )


def importing(kind):
    return lambda o: reverse("core:import_new", args=[kind])


ROADS_CSV = (
    f"街道代码,名称,类型,街（路、巷）长,联系电话,沿线区划代码\r\n{STREET_A},建设路,路,孙立,13800001111,{A1}\r\n"
).encode()


class TestSecretariesMatrix(PermissionMatrix):
    pages = [
        *PermissionMatrix.for_pages(
            SecretaryProjectPages, record="project", max_queries=20, data=project_form, **COMMUNITY
        ),
        *PermissionMatrix.for_pages(
            SecretaryMilestonePages, record="milestone", max_queries=20, data=milestone_form, **COMMUNITY
        ),
        *PermissionMatrix.for_pages(SecretaryReportPages, record="report", max_queries=20, data=report_form, **STREET),
        *PermissionMatrix.for_pages(RoadPages, record="road", max_queries=20, data=road_form, **STREET),
        *PermissionMatrix.for_api(
            SecretaryProjectPages.viewset, record="project", max_queries=15, data=lambda o: {"goal": "改"}, **COMMUNITY
        ),
        *PermissionMatrix.for_api(
            SecretaryMilestonePages.viewset,
            record="milestone",
            max_queries=15,
            data=lambda o: {"note": "改"},
            **COMMUNITY,
        ),
        *PermissionMatrix.for_api(
            SecretaryReportPages.viewset, record="report", max_queries=15, data=lambda o: {"summary": "改"}, **STREET
        ),
        *PermissionMatrix.for_api(
            RoadPages.viewset, record="road", max_queries=15, data=lambda o: {"note": "改"}, **STREET
        ),
        *transition_pages(
            PROJECTS,
            page_name="workforce:secretaryproject_{name}",
            cases={"complete": step("complete"), "stop": step("stop", True)},
            state=model_state(SecretaryProject),
            api_name="secretaryprojectstep-{name}",
            api_url=lambda t: f"/api/secretary-project-steps/{t.name}/",
        ),
        Page(
            "workforce:secretaries_overview",
            lambda o: reverse("workforce:secretaries_overview"),
            insider="community_a1",
            max_queries=15,
        ),
        Page(
            "workforce:secretaries_overview",
            lambda o: reverse("workforce:secretaries_overview") + "?level=street",
            insider="street_a",
            outsider="minzheng",
            max_queries=15,
        ),
        Page("workforce:secretaryproject_evidence", url("workforce:secretaryproject_evidence", "project"), **COMMUNITY),
        Page(
            "workforce:secretarymilestone_evidence",
            url("workforce:secretarymilestone_evidence", "milestone"),
            **COMMUNITY,
        ),
        Page(
            "workforce:secretaries_area_panel",
            lambda o: reverse("workforce:secretaries_area_panel", args=[A1]),
            max_queries=15,
            **COMMUNITY,
        ),
        Page(
            "workforce:roads_panel",
            lambda o: reverse("workforce:roads_panel", args=[STREET_A]),
            max_queries=15,
            **STREET,
        ),
        Page("core:import_new", importing("workforce_roads"), insider="street_a", outsider="community_a1"),
        Page("core:import_template", importing("workforce_roads"), insider="street_a", outsider="minzheng"),
        Page("core:import_new", importing("workforce_milestones"), insider="community_a1", outsider="minzheng"),
        Page("core:import_new", importing("workforce_reports"), insider="street_a", outsider="community_a1"),
        Page("core:import_template", importing("workforce_reports"), insider="street_a", outsider="minzheng"),
        Page("core:import_template", importing("workforce_milestones"), insider="community_a1", outsider="minzheng"),
        Page(
            "core:import_new",
            importing("workforce_roads"),
            method="post",
            data=lambda o: {"file": SimpleUploadedFile("街路巷.csv", ROADS_CSV)},
            insider="street_a",
            outsider="community_a1",
            ok=302,
            state=lambda o: (ImportJob.objects.count(), Road.objects.count()),
        ),
    ]


@pytest.mark.django_db
def test_a_functional_department_sees_none_of_it(objects, minzheng):
    client = Client()
    client.force_login(minzheng)

    for name in ("workforce:secretaryproject_list", "workforce:road_list", "workforce:secretaryreport_list"):
        response = client.get(reverse(name))
        assert response.status_code == 404 or "没有符合条件的记录" in response.content.decode(), name
    assert client.get(reverse("workforce:secretaryproject_detail", args=[objects["project"].pk])).status_code == 404


@pytest.mark.django_db
def test_a_community_reads_but_does_not_record_its_own_review(objects, community_a1):
    client = Client()
    client.force_login(community_a1)

    assert client.get(reverse("workforce:secretaryreport_detail", args=[objects["report"].pk])).status_code == 200
    assert client.get(reverse("workforce:secretaryreport_edit", args=[objects["report"].pk])).status_code == 404
