"""The permission matrix (core/testing.py) of every 经费 page and endpoint: anonymous → login, in
scope → served, outside → 404 and nothing written. Street A allocates and approves; community A1
records its spending and publishes its notice; street B is the outsider; a functional department
(民政局) sees none of it. The public notice is read by anyone, as test_funding_public.py tells."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.models import ImportJob
from core.testing import COVERED, Case, Page, PermissionMatrix, model_state, transition_pages
from funds import api_funding
from funds.funding_flow import EXPENDITURES, NOTICES
from funds.models_funding import Allocation, Expenditure, FundNotice
from funds.views_funding import AllocationPages, ExpenditurePages, FundNoticePages

from .funding_cast import (  # noqa: F401  (fixtures)
    A1,
    STREET_A,
    community_a1_fixture,
    funds_fixture,
    minzheng_fixture,
)

STREET = {"insider": "street_a", "outsider": "street_b"}
COMMUNITY = {"insider": "community_a1", "outsider": "street_b"}


@pytest.fixture
def objects(funds, street_b, community_a1, minzheng):
    # The draft's project unlinked: the projects' pages are the other half's (funds/views_projects.py),
    # not served on this branch, and an expenditure's page links its project.
    Expenditure.objects.filter(pk=funds["draft"].pk).update(project=None)
    funds["draft"].project = None
    return funds


def url(name, key):
    return lambda o: reverse(name, args=[o[key].pk])


def allocation_form(o):
    return {"area": A1, "year": o["operating"].year, "fund_type": "party", "source": "street", "amount": "20,000"}


def expenditure_form(o):
    return {
        "allocation": o["draft"].allocation_id,
        "project": o["draft"].project_id or "",
        "amount": "1,500.00",
        "spent_on": o["draft"].spent_on.isoformat(),
        "purpose": "助餐点餐具（改）",
    }


def step(name, key, insider, reason=False):
    data = {"state": "draft", **({"reason": "凭证不全"} if reason else {})}
    field = "expenditure" if key == "draft" else "notice"
    return Case(
        url(f"funds:{'expenditure' if field == 'expenditure' else 'fundnotice'}_{name}", key),
        insider,
        "street_b",
        data=lambda o: data,
        api_data=lambda o: {field: o[key].pk, **data},
    )


def importing(kind):
    return lambda o: reverse("core:import_new", args=[kind])


ALLOCATIONS_CSV = '社区代码,年度,经费类型,来源,金额（元）\r\n220104001001,2026,党建工作经费,街道,"20,000"\r\n'.encode()


class TestFundingMatrix(PermissionMatrix):
    pages = [
        *PermissionMatrix.for_pages(
            AllocationPages, record="operating", max_queries=20, data=allocation_form, **STREET
        ),
        *PermissionMatrix.for_pages(
            ExpenditurePages, record="draft", max_queries=20, data=expenditure_form, **COMMUNITY
        ),
        *PermissionMatrix.for_pages(FundNoticePages, record="draft_notice", max_queries=20, **COMMUNITY),
        *PermissionMatrix.for_api(
            api_funding.AllocationViewSet, record="operating", max_queries=15, data=lambda o: {"note": "追加"}, **STREET
        ),
        *PermissionMatrix.for_api(
            api_funding.ExpenditureViewSet,
            record="draft",
            max_queries=15,
            data=lambda o: {"purpose": "改"},
            **COMMUNITY,
        ),
        *PermissionMatrix.for_api(FundNoticePages.viewset, record="draft_notice", max_queries=15, **COMMUNITY),
        *transition_pages(
            EXPENDITURES,
            page_name="funds:expenditure_{name}",
            cases={
                "approve": step("approve", "draft", "street_a"),
                "reject": step("reject", "draft", "street_a", True),
            },
            state=model_state(Expenditure),
            api_name="expenditurestep-{name}",
            api_url=lambda t: f"/api/expenditure-steps/{t.name}/",
        ),
        *transition_pages(
            NOTICES,
            page_name="funds:fundnotice_{name}",
            cases={"publish": step("publish", "draft_notice", "community_a1")},
            state=model_state(FundNotice),
            api_name="noticestep-{name}",
            api_url=lambda t: f"/api/notice-steps/{t.name}/",
        ),
        Page("funds:expenditure_voucher", url("funds:expenditure_voucher", "approved"), **COMMUNITY),
        Page(
            "funds:expenditure_voucher",
            url("funds:expenditure_voucher", "approved"),
            insider="street_a",
            outsider="minzheng",
        ),
        Page(
            "funds:funding_area_panel",
            lambda o: reverse("funds:funding_area_panel", args=[A1]),
            **COMMUNITY,
            max_queries=15,
        ),
        Page(
            "funds:funding_area_panel",
            lambda o: reverse("funds:funding_area_panel", args=[STREET_A]),
            **STREET,
            max_queries=15,
        ),
        Page("core:import_new", importing("funds_allocations"), insider="street_a", outsider="community_a1"),
        Page("core:import_template", importing("funds_allocations"), insider="street_a", outsider="minzheng"),
        Page("core:import_new", importing("funds_expenditures"), insider="community_a1", outsider="minzheng"),
        Page("core:import_template", importing("funds_expenditures"), insider="community_a1", outsider="minzheng"),
        Page(
            "core:import_new",
            importing("funds_allocations"),
            method="post",
            data=lambda o: {"file": SimpleUploadedFile("拨付.csv", ALLOCATIONS_CSV)},
            insider="street_a",
            outsider="community_a1",
            ok=302,
            state=lambda o: (ImportJob.objects.count(), Allocation.objects.count()),
        ),
    ]


# The public notice is read without logging in: covered here, by who reads it (anybody, in or out of
# the tree), as services' public lists are; what it holds and hides: test_funding_public.py.
COVERED.add("funds:public_notice")
COVERED.add("funds:public_notice_at")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["street_b", "minzheng"])
def test_the_public_notice_is_read_by_anyone_logged_in_or_not(objects, request, who):
    client = Client()
    client.force_login(request.getfixturevalue(who))

    earlier = reverse("funds:public_notice_at", args=[A1, objects["notice"].pk])
    for url in (reverse("funds:public_notice", args=[A1]), earlier):
        assert client.get(url).status_code == 200
        assert Client().get(url).status_code == 200


@pytest.mark.django_db
def test_a_functional_department_sees_no_funds(objects, minzheng):
    client = Client()
    client.force_login(minzheng)

    for name in ("funds:allocation_list", "funds:expenditure_list", "funds:fundnotice_list"):
        response = client.get(reverse(name))
        assert response.status_code == 404 or "没有符合条件的记录" in response.content.decode(), name
    assert client.get(reverse("funds:expenditure_detail", args=[objects["approved"].pk])).status_code == 404
    assert client.get("/api/expenditures/", HTTP_ACCEPT="application/json").status_code == 404


@pytest.mark.django_db
def test_the_approval_links_the_voucher_before_money_leaves(objects, street_a):
    client = Client()
    client.force_login(street_a)
    draft = objects["draft"]
    Expenditure.objects.filter(pk=draft.pk).update(voucher=objects["approved"].voucher.name, voucher_name="发票.pdf")

    page = client.get(reverse("funds:expenditure_approve", args=[draft.pk])).content.decode()

    assert reverse("funds:expenditure_voucher", args=[draft.pk]) in page and "先查看凭证" in page
