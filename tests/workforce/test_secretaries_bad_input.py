"""Bad input refused with a Chinese reason in the form, the API and the import alike: a milestone due
before its project started, votes that do not sum to the voters (or are negative), a project of
another area attached to a report, an area along a road outside its street, a project at a grid."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import ImportJob
from tests.grids.sheets import csv_bytes
from workforce.models_secretaries import Road, SecretaryMilestone, SecretaryProject, SecretaryReport

from .secretaries_cast import (  # noqa: F401  (fixtures)
    A1,
    B1,
    GRID_A1,
    STREET_A,
    community_a1_fixture,
    secretaries_fixture,
)

pytestmark = pytest.mark.django_db
BEFORE = "早于项目开始日期"


def late_start(secretaries):
    """A1's project started in March: a milestone due in February lies before it."""
    project = secretaries["project"]
    SecretaryProject.objects.filter(pk=project.pk).update(started_on=project.started_on.replace(month=3))
    project.refresh_from_db()
    return project


def upload(client, kind, header, rows):
    response = client.post(
        reverse("core:import_new", args=[kind]),
        {"file": SimpleUploadedFile("表.csv", csv_bytes(rows, header=header), "text/csv")},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.filter(kind=kind).latest("pk")


def reasons(job):
    return {r["row"]: r["reason"] for r in job.summary["rejected"]}


# --- a milestone before its project -----------------------------------------------------------------


def test_the_form_refuses_a_milestone_before_its_project(secretaries, community_a1, client_for):
    project = late_start(secretaries)
    client = client_for(community_a1)
    before = SecretaryMilestone.objects.count()

    response = client.post(
        reverse("workforce:secretarymilestone_add"),
        {"project": project.pk, "title": "前期调研", "due_on": project.started_on.replace(month=2).isoformat()},
    )

    assert response.status_code == 200 and BEFORE in response.content.decode()
    assert SecretaryMilestone.objects.count() == before


def test_the_api_refuses_a_milestone_before_its_project(secretaries, community_a1, client_for):
    project = late_start(secretaries)
    client = client_for(community_a1)

    response = client.post(
        "/api/secretary-milestones/",
        {"project": project.pk, "title": "前期调研", "due_on": project.started_on.replace(month=2).isoformat()},
        content_type="application/json",
    )

    assert response.status_code == 400 and BEFORE in response.json()["due_on"][0]


def test_the_import_rejects_a_milestone_before_its_project(secretaries, community_a1, client_for):
    project = late_start(secretaries)
    client = client_for(community_a1)
    rows = [
        [str(project.pk), "前期调研", project.started_on.replace(month=2).isoformat(), "", ""],
        [str(project.pk), "中期评估", project.started_on.replace(month=6).isoformat(), "", "按计划"],
    ]

    job = upload(
        client, "workforce_milestones", ["书记项目编号", "节点", "计划完成日期", "实际完成日期", "进展说明"], rows
    )

    assert job.summary["new"] == 1
    assert BEFORE in reasons(job)[2]


def test_a_project_cannot_start_after_its_milestones(secretaries, community_a1, client_for):
    project = secretaries["project"]  # its milestone is due on 1 January
    response = client_for(community_a1).post(
        reverse("workforce:secretaryproject_edit", args=[project.pk]),
        {
            "area": project.area_id,
            "secretary": project.secretary,
            "year": project.year,
            "title": project.title,
            "goal": project.goal,
            "started_on": project.started_on.replace(month=4).isoformat(),
            "ends_on": project.ends_on.isoformat(),
        },
    )

    assert response.status_code == 200 and "节点不能早于其项目" in response.content.decode()


def test_a_project_is_a_district_street_or_community_secretarys(areas, community_a1, client_for):
    year = datetime.date.today().year
    response = client_for(community_a1).post(
        reverse("workforce:secretaryproject_add"),
        {
            "area": areas[GRID_A1].pk,
            "secretary": "李红",
            "year": year,
            "title": "网格项目",
            "goal": "x",
            "started_on": f"{year}-01-01",
            "ends_on": f"{year}-12-31",
        },
    )

    assert response.status_code == 200 and not SecretaryProject.objects.filter(title="网格项目").exists()


def test_evidence_that_is_not_a_document_is_refused(secretaries, community_a1, client_for):
    project = secretaries["project"]
    response = client_for(community_a1).post(
        reverse("workforce:secretarymilestone_edit", args=[secretaries["milestone"].pk]),
        {
            "project": project.pk,
            "title": "制定实施方案",
            "due_on": secretaries["milestone"].due_on.isoformat(),
            "evidence": SimpleUploadedFile("方案.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"),
        },
    )

    assert response.status_code == 200 and "文件内容与扩展名不符" in response.content.decode()


# --- votes that do not sum ------------------------------------------------------------------------


def report_data(secretaries, **votes):
    report = secretaries["report"]
    return {
        "area": report.area_id,
        "year": report.year + 1,
        "secretary": "李红",
        "reported_on": report.reported_on.isoformat(),
        "voters": 40,
        "good": 30,
        "fairly_good": 6,
        "fair": 3,
        "poor": 0,
        **votes,
    }


def test_the_form_refuses_votes_that_do_not_sum(secretaries, street_a, client_for):
    response = client_for(street_a).post(reverse("workforce:secretaryreport_add"), report_data(secretaries))

    page = response.content.decode()
    assert response.status_code == 200 and "须等于评议人数" in page and "（39）" in page
    assert SecretaryReport.objects.count() == 1


def test_the_form_refuses_negative_votes(secretaries, street_a, client_for):
    response = client_for(street_a).post(
        reverse("workforce:secretaryreport_add"), report_data(secretaries, poor=-1, good=32)
    )

    assert response.status_code == 200 and SecretaryReport.objects.count() == 1


def test_the_api_refuses_votes_that_do_not_sum_or_are_negative(secretaries, street_a, client_for):
    client = client_for(street_a)
    body = {**report_data(secretaries), "area": A1}

    response = client.post("/api/secretary-reports/", body, content_type="application/json")
    negative = client.post("/api/secretary-reports/", {**body, "poor": -1, "good": 32}, content_type="application/json")

    assert response.status_code == 400 and "须等于评议人数" in response.json()["voters"][0]
    assert negative.status_code == 400 and "poor" in negative.json()
    assert SecretaryReport.objects.count() == 1


def test_the_import_rejects_votes_that_do_not_sum_or_are_negative(secretaries, street_a, client_for):
    year = str(secretaries["report"].year + 1)
    header = ["区划代码", "年度", "书记姓名", "述职日期", "评议人数", "好", "较好", "一般", "差"]
    rows = [
        [A1, year, "李红", f"{year}-12-01", "40", "30", "6", "3", "1"],
        ["220104001002", year, "周明", f"{year}-12-01", "40", "30", "6", "3", "0"],
        ["220104001002", str(int(year) - 1), "周明", f"{year}-12-01", "40", "42", "0", "0", "-2"],
    ]

    job = upload(client_for(street_a), "workforce_reports", header, rows)

    assert job.summary["new"] == 1
    found = reasons(job)
    assert "须等于评议人数" in found[3] and set(found) == {3, 4}


def test_a_report_takes_only_its_own_areas_projects(secretaries, city_org, client_for):
    client = client_for(city_org)
    data = report_data(secretaries, poor=1, projects=[secretaries["b1_project"].pk])

    response = client.post(reverse("workforce:secretaryreport_add"), data)
    api = client.post(
        "/api/secretary-reports/",
        {**data, "area": A1, "projects": [secretaries["b1_project"].pk]},
        content_type="application/json",
    )

    assert response.status_code == 200 and "只能附上本区划书记的项目" in response.content.decode()
    assert api.status_code == 400 and "只能附上本区划书记的项目" in api.json()["projects"][0]
    assert SecretaryReport.objects.count() == 1


def test_a_good_report_is_recorded_with_its_shares(secretaries, street_a, client_for):
    client = client_for(street_a)
    data = report_data(secretaries, poor=1, projects=[secretaries["project"].pk])

    response = client.post(reverse("workforce:secretaryreport_add"), data)

    assert response.status_code == 302
    report = SecretaryReport.objects.get(year=data["year"])
    assert report.good_share == 36 / 40 and list(report.projects.all()) == [secretaries["project"]]
    page = client.get(reverse("workforce:secretaryreport_detail", args=[report.pk])).content.decode()
    assert "好评率 90.0%" in page and "75.0%" in page  # 好: 30 of 40


# --- a road's areas outside its street -------------------------------------------------------------------


def road_data(areas, along):
    return {"area": areas[STREET_A].pk, "name": "建设路", "kind": "road", "chief_name": "孙立", "along": along}


def test_the_form_refuses_an_area_along_a_road_outside_its_street(secretaries, areas, city_org, client_for):
    response = client_for(city_org).post(reverse("workforce:road_add"), road_data(areas, f"{A1} {B1}"))

    assert response.status_code == 200 and "不在前进街道内" in response.content.decode()
    assert not Road.objects.filter(name="建设路").exists()


def test_the_api_refuses_an_area_along_a_road_outside_its_street(secretaries, city_org, client_for):
    response = client_for(city_org).post(
        "/api/roads/",
        {"area": STREET_A, "name": "建设路", "kind": "road", "along": [A1, B1]},
        content_type="application/json",
    )

    assert response.status_code == 400 and "不在前进街道内" in response.json()["along"][0]


def test_the_import_rejects_an_area_along_a_road_outside_its_street(secretaries, city_org, client_for):
    header = ["街道代码", "名称", "类型", "街（路、巷）长", "联系电话", "沿线区划代码"]
    rows = [
        [STREET_A, "建设路", "路", "孙立", "13800001111", f"{A1}、{GRID_A1}"],
        [STREET_A, "和平巷", "巷", "", "", f"{A1}、{B1}"],
        [STREET_A, "人民大街", "街", "周明", "13800002222", A1],  # a new chief of the road on record
    ]

    job = upload(client_for(city_org), "workforce_roads", header, rows)

    assert (job.summary["new"], job.summary["changed"]) == (1, 1)
    assert "不在前进街道内" in reasons(job)[3]
    client_for(city_org).post(reverse("core:import_confirm", args=[job.pk]), {"skip_invalid": "1"})
    job.refresh_from_db()
    assert job.status == "done", job.error
    road = Road.objects.get(name="建设路")
    assert sorted(road.along.values_list("code", flat=True)) == [A1, GRID_A1]
    assert Road.objects.get(name="人民大街").chief_name == "周明"
    assert not Road.objects.filter(name="和平巷").exists()
