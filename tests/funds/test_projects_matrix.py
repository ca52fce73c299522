"""The permission matrix (core/testing.py) of every page and endpoint of 双向认领: anonymous → login,
in scope → served, outside → 404 and nothing written. Community A1's cadre posts demands and keeps
its projects; street A keeps the resources it registered; street B is the outsider; the reporting
unit's account `danwei` reads and claims the open demands of A1 (where its member reports) and
keeps the project it owns, and is not found on the rest of the community (A2's demand, the
resources, the community's own project)."""

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from core.testing import Case, Page, PermissionMatrix, model_state, transition_pages
from funds import api_projects
from funds import projects_flow as flow
from funds.models import Project, ProviderKind
from funds.models_projects import Demand, ProjectMilestone, ProjectService, Resource
from funds.views_projects import DemandPages, ProjectMilestonePages, ProjectPages, ResourcePages

from .projects_cast import *  # noqa: F403  (the cast's fixtures)
from .projects_cast import COMMUNITY_A1, GRID_A1, PDF, STREET_A, evidence

A1 = {"insider": "community_a1", "outsider": "street_b"}
STREET = {"insider": "street_a", "outsider": "street_b"}


def url(name, key):
    return lambda o: reverse(name, args=[o[key].pk])


@pytest.fixture
def objects(areas, community_a1, street_a, street_b, danwei, demands, resource, service, units):
    today = timezone.localdate()
    project = Project.objects.create(
        area=areas[COMMUNITY_A1], title="社区自办：楼道清洁", started_on=today, due_on=today + datetime.timedelta(30)
    )
    owned = flow.claim_demand(
        demands["a1_community"], danwei, flow.set_provider(Project(), ProviderKind.UNIT, unit=units["zhujian"])
    )
    closed = Project.objects.create(area=areas[COMMUNITY_A1], title="已结项的助老项目", started_on=today)
    closed.evidence.save("结项照片.pdf", ContentFile(PDF), save=False)
    closed.evidence_name, closed.status = "结项照片.pdf", "closed"
    closed.save()
    return {
        "demand": demands["a1"],
        "demand_a2": demands["a2"],
        "resource": resource,
        "project": project,
        "owned": owned,
        "closed": closed,
        "milestone": ProjectMilestone.objects.create(project=project, title="第一次清洁", due_on=today),
        "link": ProjectService.objects.create(project=owned, record=service),
    }


def demand_form(o):
    return {"area": GRID_A1, "title": "越权需求", "description": "", "urgency": "normal", "people": "3"}


def resource_form(o):
    return {
        "area": STREET_A,
        "provider_kind": "unit",
        "unit": o["resource"].unit_id,
        "title": "越权资源",
        "quantity": "5",
        "measure": "人次",
        "available_from": timezone.localdate().isoformat(),
        "serves": STREET_A,
    }


def project_form(o):
    return {"area": COMMUNITY_A1, "title": "越权项目", "started_on": timezone.localdate().isoformat()}


def milestone_form(o):
    return {"project": o["project"].pk, "title": "越权节点", "due_on": timezone.localdate().isoformat()}


def state_of(*models):
    states = [model_state(model) for model in models]
    return lambda o: [state(o) for state in states]


PROJECT_STATE = state_of(Demand, Resource, Project)

DEMAND_STEPS = {
    "claim": Case(
        url("funds:demand_claim", "demand"),
        "danwei",
        "street_b",
        data=lambda o: {"state": "open", "provider_kind": "unit", "unit": o["resource"].unit_id},
        api_data=lambda o: {"demand": o["demand"].pk, "state": "open"},
    ),
    "close": Case(
        url("funds:demand_close", "demand"),
        "community_a1",
        "street_b",
        data=lambda o: {"state": "open", "reason": "已由社区自行解决"},
        api_data=lambda o: {"demand": o["demand"].pk, "state": "open", "reason": "已由社区自行解决"},
    ),
}
RESOURCE_STEPS = {
    "claim": Case(
        url("funds:resource_claim", "resource"),
        "community_a1",
        "street_b",
        data=lambda o: {"state": "open", "area": COMMUNITY_A1, "quantity": "2"},
        api_data=lambda o: {"resource": o["resource"].pk, "state": "open", "area": COMMUNITY_A1, "quantity": "2"},
    ),
    "withdraw": Case(
        url("funds:resource_withdraw", "resource"),
        "street_a",
        "street_b",
        data=lambda o: {"state": "open", "reason": "单位年度计划调整"},
        api_data=lambda o: {"resource": o["resource"].pk, "state": "open", "reason": "单位年度计划调整"},
    ),
}
PROJECT_STEPS = {
    "close": Case(
        url("funds:project_close", "project"),
        "community_a1",
        "street_b",
        data=lambda o: {"state": "running", "report": "已完成三次清洁。", "evidence": evidence()},
        api_data=lambda o: {"project": o["project"].pk, "state": "running", "report": "已完成三次清洁。"},
    ),
    "stop": Case(
        url("funds:project_stop", "project"),
        "community_a1",
        "street_b",
        data=lambda o: {"state": "running", "reason": "居民另有安排"},
        api_data=lambda o: {"project": o["project"].pk, "state": "running", "reason": "居民另有安排"},
    ),
}


def steps(machine, name, cases, api):
    return transition_pages(
        machine,
        page_name=f"funds:{name}_{{name}}",
        cases=cases,
        state=PROJECT_STATE,
        api_name=f"{api}-{{name}}",
        api_url=lambda t: reverse(f"{api}-{t.name}"),
    )


def without_the_api_close(rows):
    """The API's 结项 takes its evidence as a multipart upload, which the matrix's JSON body cannot
    carry: its insider is tested in test_projects_api.py; its outsider is refused here (404)."""
    return [replace(row, insider="") if row.name == "projectstep-close" else row for row in rows]


class TestProjectsMatrix(PermissionMatrix):
    pages = [
        *PermissionMatrix.for_pages(DemandPages, record="demand", max_queries=20, data=demand_form, **A1),
        *PermissionMatrix.for_pages(ResourcePages, record="resource", max_queries=20, data=resource_form, **STREET),
        *PermissionMatrix.for_pages(ProjectPages, record="project", max_queries=20, data=project_form, **A1),
        *PermissionMatrix.for_pages(
            ProjectMilestonePages, record="milestone", max_queries=20, data=milestone_form, **A1
        ),
        *PermissionMatrix.for_api(api_projects.DemandViewSet, record="demand", max_queries=15, **A1),
        *PermissionMatrix.for_api(api_projects.ResourceViewSet, record="resource", max_queries=15, **STREET),
        *PermissionMatrix.for_api(api_projects.ProjectViewSet, record="project", max_queries=15, **A1),
        *PermissionMatrix.for_api(api_projects.ProjectMilestoneViewSet, record="milestone", max_queries=15, **A1),
        # The service records counted for a project: read, counted and uncounted (no change).
        Page("projectservice-list", lambda o: reverse("projectservice-list"), insider="danwei", api=True),
        Page(
            "projectservice-detail",
            url("projectservice-detail", "link"),
            api=True,
            insider="danwei",
            outsider="street_b",
        ),
        Page(
            "projectservice-list",
            lambda o: reverse("projectservice-list"),
            method="post",
            data=lambda o: {"project": o["owned"].pk, "record": o["link"].record_id},
            api=True,
            outsider="street_b",
            refused=400,
            state=model_state(ProjectService),
        ),
        Page(
            "projectservice-detail",
            url("projectservice-detail", "link"),
            method="delete",
            api=True,
            outsider="street_b",
            state=model_state(ProjectService),
        ),
        *steps(flow.DEMANDS, "demand", DEMAND_STEPS, "demandstep"),
        *steps(flow.RESOURCES, "resource", RESOURCE_STEPS, "resourcestep"),
        *without_the_api_close(steps(flow.PROJECTS, "project", PROJECT_STEPS, "projectstep")),
        # The unit's account: the demands open to it and the project it owns, nothing else.
        Page("funds:demand_list", lambda o: reverse("funds:demand_list"), insider="danwei", max_queries=20),
        Page("funds:demand_detail", url("funds:demand_detail", "demand"), insider="danwei", outsider="street_b"),
        Page("funds:demand_detail", url("funds:demand_detail", "demand_a2"), insider="street_a", outsider="danwei"),
        Page("funds:demand_edit", url("funds:demand_edit", "demand"), outsider="danwei"),
        Page("funds:resource_detail", url("funds:resource_detail", "resource"), insider="grid_a1", outsider="danwei"),
        Page("funds:project_detail", url("funds:project_detail", "owned"), insider="danwei", outsider="street_b"),
        Page("funds:project_detail", url("funds:project_detail", "project"), outsider="danwei"),
        Page("funds:project_edit", url("funds:project_edit", "owned"), insider="community_a1", outsider="danwei"),
        Page("funds:projectmilestone_add", lambda o: reverse("funds:projectmilestone_add"), insider="danwei"),
        Page("demand-list", lambda o: reverse("demand-list"), insider="danwei", api=True),
        Page("demand-detail", url("demand-detail", "demand_a2"), api=True, outsider="danwei"),
        # A project's service records, its evidence and the area page's panel.
        Page("funds:project_services", url("funds:project_services", "owned"), insider="danwei", outsider="street_b"),
        Page(
            "funds:project_services",
            url("funds:project_services", "project"),
            insider="community_a1",
            outsider="danwei",
        ),
        Page(
            "funds:project_services",
            url("funds:project_services", "owned"),
            method="post",
            data=lambda o: {"records": [o["link"].record_id]},
            outsider="street_b",
            state=model_state(ProjectService),
        ),
        Page(
            "funds:projectservice_delete",
            url("funds:projectservice_delete", "link"),
            insider="danwei",
            outsider="street_b",
        ),
        Page(
            "funds:projectservice_delete",
            url("funds:projectservice_delete", "link"),
            method="post",
            insider="community_a1",
            ok=302,
            outsider="street_b",
            state=model_state(ProjectService),
        ),
        Page(
            "funds:project_evidence",
            url("funds:project_evidence", "closed"),
            insider="community_a1",
            outsider="street_b",
        ),
        Page(
            "funds:projects_area_panel",
            lambda o: reverse("funds:projects_area_panel", args=[COMMUNITY_A1]),
            insider="community_a1",
            outsider="street_b",
            max_queries=20,
        ),
        Page(
            "funds:projects_area_panel",
            lambda o: reverse("funds:projects_area_panel", args=[STREET_A]),
            insider="street_a",
            outsider="danwei",
        ),
    ]


def test_the_matrix_holds_the_resource_remaining_after_a_claim(areas, community_a1, resource):
    """The matrix's resource claim takes 2 of 10: what is left is said on the resource's page."""
    flow.claim_resource(resource, community_a1, area=areas[COMMUNITY_A1], quantity=Decimal("2"))

    assert Resource.objects.get(pk=resource.pk).remaining() == Decimal("8")
