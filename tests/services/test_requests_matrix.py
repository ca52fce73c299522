"""The permission matrix (core/testing.py) of every requests page and endpoint: anonymous → login,
in scope → served, outside → 404 and nothing written. Street A keeps its categories and routing
table (street B the outsider); grid A1's worker receives and moves its grid's requests; 朝阳区城管执法局
handles what is routed to it; a community cadre keeps the 五步议事."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import ImportJob
from core.testing import Case, Page, PermissionMatrix, model_state, transition_pages
from services import api_requests
from services.models_requests import Deliberation, ResidentRequest
from services.requests_flow import REQUESTS
from services.views_requests import DeliberationPages, RequestCategoryPages, RequestPages, RoutingRulePages

from .conftest import department_user
from .requests_cast import new_request

STREET = {"insider": "street_a", "outsider": "street_b"}
GRID = {"insider": "grid_a1", "outsider": "street_b"}


def url(name, key):
    return lambda o: reverse(name, args=[o[key].pk])


@pytest.fixture
def objects(areas, categories, departments, a_request, grid_a1, street_a, street_b, community_a1):
    at = {
        state: new_request(areas, categories["环境卫生"], grid_a1)
        for state in ("handling", "verifying", "visiting", "closed")
    }
    for state, record in at.items():
        ResidentRequest.objects.filter(pk=record.pk).update(status=state)
    department_user("chengguan", departments["chaoyang_other"])
    deliberation = Deliberation.objects.create(request=a_request, topic="楼道杂物清理公约", participants="居民代表")
    return {
        "category": categories["环境卫生"],
        "rule": categories["环境卫生"].rules.get(),
        "request": a_request,
        "deliberation": deliberation,
        **{f"at_{state}": record for state, record in at.items()},
    }


HOTLINE_CSV = (
    "工单编号,受理时间,诉求类型,诉求内容,事发地址,所属区县,所属街道,所属社区,联系人,联系电话,承办单位,办理状态,办结时间,回访满意度\r\n"
    "HL1,2026-11-03 14:05,环境卫生,楼道堆放杂物,,朝阳区,前进街道,A1社区,王先生,13900001111,,待受理,,\r\n"
).encode("gbk")


def hotline(name):
    return lambda o: reverse(name, args=["hotline_requests"])


def request_form(o):
    record = o["request"]
    return {
        "area": record.area.code,
        "channel": record.channel,
        "category": record.category_id,
        "description": "楼道杂物又堆起来了",
        "resident_name": record.resident_name,
        "resident_phone": record.resident_phone,
    }


def step(name, source, insider="grid_a1", reason=False):
    data = {"state": source, **({"reason": "信息不全，请补充"} if reason else {})}
    key = "request" if source == "received" else f"at_{source}"
    return Case(
        url(f"services:residentrequest_{name}", key),
        insider,
        "street_b",
        data=lambda o: data,
        api_data=lambda o: {"request": o[key].pk, **data},
    )


class TestRequestsMatrix(PermissionMatrix):
    pages = [
        *PermissionMatrix.for_pages(RequestCategoryPages, record="category", max_queries=20, **STREET),
        *PermissionMatrix.for_pages(RoutingRulePages, record="rule", max_queries=20, **STREET),
        *PermissionMatrix.for_pages(RequestPages, record="request", max_queries=25, data=request_form, **GRID),
        *PermissionMatrix.for_pages(
            DeliberationPages, record="deliberation", max_queries=20, insider="community_a1", outsider="street_b"
        ),
        *PermissionMatrix.for_api(RequestCategoryPages.viewset, record="category", max_queries=15, **STREET),
        *PermissionMatrix.for_api(RoutingRulePages.viewset, record="rule", max_queries=15, data=lambda o: {}, **STREET),
        *PermissionMatrix.for_api(
            api_requests.RequestViewSet,
            record="request",
            max_queries=15,
            data=lambda o: {"description": "楼道杂物又堆起来了"},
            **GRID,
        ),
        *PermissionMatrix.for_api(
            DeliberationPages.viewset,
            record="deliberation",
            max_queries=15,
            insider="community_a1",
            outsider="street_b",
        ),
        *(
            row
            for row in transition_pages(
                REQUESTS,
                page_name="services:residentrequest_{name}",
                cases={
                    "accept": step("accept", "received"),
                    "submit": step("submit", "handling"),
                    "verify": step("verify", "verifying"),
                    "close_satisfied": step("close_satisfied", "visiting"),
                    "close_basic": step("close_basic", "visiting"),
                    "close_unsatisfied": step("close_unsatisfied", "visiting", reason=True),
                    "return_received": step("return_received", "handling", reason=True),
                    "return_handling": step("return_handling", "verifying", reason=True),
                    "return_verifying": step("return_verifying", "visiting", reason=True),
                    "reopen": step("reopen", "closed", insider="street_a", reason=True),
                    "transfer": step("transfer", "received", insider="street_a", reason=True),  # left out below
                },
                state=model_state(ResidentRequest),
                api_name="requeststep-{name}",
                api_url=lambda t: f"/api/request-steps/{t.name}/",
            )
            if "transfer" not in row.name
        ),
        # The transfer has its page (below) and its API action, each with the new body.
        Page(
            "requeststep-transfer",
            lambda o: "/api/request-steps/transfer/",
            method="post",
            data=lambda o: {
                "request": o["request"].pk,
                "state": "received",
                "reason": "属社区职责",
                "responsible_area": "220104001001",
            },
            api=True,
            state=model_state(ResidentRequest),
            **STREET,
        ),
        Page("services:residentrequest_transfer_to", url("services:residentrequest_transfer_to", "request"), **STREET),
        Page(
            "services:residentrequest_transfer_to",
            url("services:residentrequest_transfer_to", "request"),
            method="post",
            data=lambda o: {"responsible_area": "220104001001", "reason": "属社区职责"},
            ok=302,
            state=model_state(ResidentRequest),
            **STREET,
        ),
        Page("services:residentrequest_photo", url("services:residentrequest_photo", "request"), outsider="street_b"),
        Page("services:my_requests", lambda o: reverse("services:my_requests"), insider="grid_a1", max_queries=20),
        # The 12345 hotline's import (services/hotline.py): a street cadre's (or the organisation
        # department's), not a grid worker's; the upload previews and writes nothing.
        Page("core:import_new", hotline("core:import_new"), insider="street_a", outsider="grid_a1"),
        Page("core:import_template", hotline("core:import_template"), insider="street_a", outsider="grid_a1"),
        Page(
            "core:import_new",
            hotline("core:import_new"),
            method="post",
            data=lambda o: {"file": SimpleUploadedFile("12345.csv", HOTLINE_CSV)},
            insider="street_a",
            outsider="grid_a1",
            ok=302,
            state=lambda o: (ImportJob.objects.count(), ResidentRequest.objects.count()),
        ),
    ]
