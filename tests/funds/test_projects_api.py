"""双向认领 through the API and the forms: the same refusals in Chinese — a claim of an item already
claimed, more of a resource than is left, a demand placed outside the scope, a voucher-less or
wrongly typed closing evidence — and the project's close with its evidence as a multipart upload."""

from decimal import Decimal

from django.urls import reverse

from funds import projects_flow as flow
from funds.models import Project, ProjectStatus, ProviderKind
from funds.models_projects import Demand, DemandStatus

from .projects_cast import *  # noqa: F403  (the cast's fixtures)
from .projects_cast import COMMUNITY_A1, COMMUNITY_B1, evidence


def test_a_unit_account_claims_a_demand_by_the_api_and_a_second_claim_is_told(
    client_for, danwei, community_a1, demands
):
    demand = demands["a1"]

    first = client_for(danwei).post(
        "/api/demand-steps/claim/", {"demand": demand.pk, "state": "open"}, content_type="application/json"
    )
    second = client_for(community_a1).post(
        "/api/demand-steps/claim/",
        {"demand": demand.pk, "state": "open", "provider_kind": "team", "team": "red"},
        content_type="application/json",
    )

    assert first.status_code == 200, first.content
    assert first.json()["status"] == DemandStatus.CLAIMED
    project = Project.objects.get(demand=demand)
    assert (project.unit.name, project.claimed_by) == ("市住建局", danwei)
    assert second.status_code == 400
    assert "刚刚已变为“已认领”" in str(second.json())


def test_a_unit_account_claims_only_for_its_own_unit(client_for, danwei, units, demands):
    answer = client_for(danwei).post(
        "/api/demand-steps/claim/",
        {"demand": demands["a1"].pk, "state": "open", "provider_kind": "unit", "unit": units["weijian"].pk},
        content_type="application/json",
    )

    assert answer.status_code == 400
    assert Demand.objects.get(pk=demands["a1"].pk).status == DemandStatus.OPEN


def test_more_of_a_resource_than_is_left_is_refused_by_the_api(client_for, community_a1, resource):
    answer = client_for(community_a1).post(
        "/api/resource-steps/claim/",
        {"resource": resource.pk, "state": "open", "area": COMMUNITY_A1, "quantity": "12"},
        content_type="application/json",
    )

    assert answer.status_code == 400
    assert answer.json()["quantity"] == ["资源“志愿维修服务”仅剩 10人次，不足本次认领的 12人次。"]
    assert not Project.objects.exists()


def test_a_demand_outside_the_scope_is_refused_by_the_form_and_the_api(client_for, community_a1):
    page = client_for(community_a1).post(
        reverse("funds:demand_add"), {"area": COMMUNITY_B1, "title": "越界需求", "urgency": "normal", "people": "2"}
    )
    api = client_for(community_a1).post(
        "/api/demands/",
        {"area": COMMUNITY_B1, "title": "越界需求", "urgency": "normal", "people": 2},
        content_type="application/json",
    )

    assert page.status_code == 200
    assert page.context["form"].errors["area"]
    assert api.status_code == 400
    assert not Demand.objects.exists()


def test_the_project_closes_by_the_api_with_its_evidence_uploaded(client_for, community_a1, danwei, demands, units):
    project = flow.claim_demand(
        demands["a1"], danwei, flow.set_provider(Project(), ProviderKind.UNIT, unit=units["zhujian"])
    )
    client = client_for(community_a1)

    refused = client.post(
        "/api/project-steps/close/",
        {"project": project.pk, "state": "running", "report": "已完成", "evidence": evidence("照片.exe")},
    )
    closed = client.post(
        "/api/project-steps/close/",
        {"project": project.pk, "state": "running", "report": "送餐 90 天", "evidence": evidence()},
    )

    assert refused.status_code == 400
    assert "只能上传" in str(refused.json()["evidence"])
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == ProjectStatus.CLOSED
    project.refresh_from_db()
    assert (project.report, project.evidence_name) == ("送餐 90 天", "结项照片.pdf")


def test_the_hours_of_a_project_are_counted_from_the_service_log_on_its_page(
    client_for, danwei, community_a1, demands, units, service
):
    project = flow.claim_demand(
        demands["a1"], danwei, flow.set_provider(Project(), ProviderKind.UNIT, unit=units["zhujian"])
    )
    client = client_for(danwei)

    counted = client.post(reverse("funds:project_services", args=[project.pk]), {"records": [service.pk]})
    page = client.get(project.get_absolute_url())

    assert counted.status_code == 302
    assert "为独居老人送餐" in page.content.decode()
    assert client.get(f"/api/projects/{project.pk}/").json()["service_hours"] == "2.5"
    assert Decimal(client.get(f"/api/projects/{project.pk}/").json()["service_hours"]) == service.hours


def test_a_street_records_a_resource_and_a_community_claims_it_on_their_pages(
    client_for, street_a, community_a1, units
):
    from funds.models_projects import Resource

    added = client_for(street_a).post(
        reverse("funds:resource_add"),
        {
            "area": "220104001",
            "provider_kind": "unit",
            "unit": units["zhujian"].pk,
            "title": "法律咨询",
            "quantity": "8",
            "measure": "小时",
            "available_from": "2026-01-01",
            "serves": "220104001001 220104001002",
        },
    )
    resource = Resource.objects.get(title="法律咨询")
    refused = client_for(street_a).post(
        reverse("funds:resource_add"),
        {
            "area": "220104001",
            "provider_kind": "team",
            "title": "缺提供方",
            "quantity": "-1",
            "measure": "次",
            "available_from": "2026-01-01",
            "serves": "220104001",
        },
    )
    claimed = client_for(community_a1).post(
        reverse("funds:resource_claim", args=[resource.pk]), {"state": "open", "area": COMMUNITY_A1, "quantity": "3"}
    )
    too_much = client_for(community_a1).post(
        reverse("funds:resource_claim", args=[resource.pk]), {"state": "open", "area": COMMUNITY_A1, "quantity": "6"}
    )

    assert added.status_code == 302
    assert (resource.provider_label, sorted(resource.serves.values_list("code", flat=True))) == (
        "市住建局",
        ["220104001001", "220104001002"],
    )
    assert refused.status_code == 200
    assert refused.context["form"].errors["team"] == ["请选择五彩志愿服务队。"]
    assert refused.context["form"].errors["quantity"]
    project = Project.objects.get(resource=resource)
    assert claimed["Location"] == project.get_absolute_url()
    assert too_much.status_code == 200
    assert too_much.context["form"].errors["quantity"] == ["资源“法律咨询”仅剩 5小时，不足本次认领的 6小时。"]


def test_a_unit_account_claims_on_the_page_for_its_own_unit(client_for, danwei, community_a1, demands):
    from core.models import Notice

    page = client_for(danwei).get(reverse("funds:demand_claim", args=[demands["a1"].pk]))
    claimed = client_for(danwei).post(
        reverse("funds:demand_claim", args=[demands["a1"].pk]), {"state": "open", "provider_kind": "unit"}
    )

    assert list(page.context["form"].fields) == ["provider_kind", "unit", "due_on"]
    project = Project.objects.get(demand=demands["a1"])
    assert claimed["Location"] == project.get_absolute_url()
    assert project.unit.name == "市住建局"
    assert Notice.objects.filter(recipient=community_a1, title="需求“独居老人助餐”已被市住建局认领").exists()


def test_a_unit_account_finds_only_the_pages_of_what_it_reaches(client_for, danwei, demands):
    client = client_for(danwei)

    for name in ("demand_list", "project_list", "projectmilestone_list"):  # the demands open to it, its projects
        assert client.get(reverse(f"funds:{name}")).status_code == 200, name
    for name in ("allocation_list", "expenditure_list", "fundnotice_list", "resource_list"):
        assert client.get(reverse(f"funds:{name}")).status_code == 404, name  # not an empty list with exports
    assert client.get("/api/fund-allocations/").status_code == 404
    assert client.get("/api/demands/").status_code == 200
