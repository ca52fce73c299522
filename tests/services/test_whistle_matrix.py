"""The permission matrix (core/testing.py) of every 吹哨报到 page and endpoint: street A blows and
verifies (street B the outsider); 朝阳区住建局's user answers its own responses (朝阳区民政局's,
a third department of the same district, the outsider); the district's 组织部 reads the ranking
(a department's user does not)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from core.testing import Case, Page, PermissionMatrix, model_state, transition_pages
from services import api_whistles, whistles
from services.models_whistles import ResponseStatus, Whistle, WhistleResponse, WhistleType
from services.views_whistles import WhistlePages

from .test_whistles import BUILDING_A, PDF, called, district_org, evidence, in_days, zhujian  # noqa: F401

STREETS = {"insider": "street_a", "outsider": "street_b"}
DEPARTMENTS = {"insider": "zhujian", "outsider": "minzheng"}


def url(name, key):
    return lambda o: reverse(name, args=[o[key].pk])


def at(whistle, department, status):
    """The department's response moved to `status` (with evidence kept once signed)."""
    response = WhistleResponse.objects.get(whistle=whistle, department=department)
    response.status = status
    if status != ResponseStatus.ADDRESSED:
        response.evidence.save("现场照片.pdf", ContentFile(PDF), save=False)
        response.evidence_name = "现场照片.pdf"
    if status == ResponseStatus.CLOSED:
        response.on_time, response.report = True, "已处置。"
    response.save()
    return response


@pytest.fixture
def objects(called, areas, street_a, street_b, zhujian, minzheng, district_org):  # noqa: F811
    def blow(title):
        w = Whistle(
            area=areas[BUILDING_A],
            kind=WhistleType.objects.get(name="安全隐患"),
            title=title,
            description="d",
            deadline=in_days(7),
        )
        return whistles.blow(w, [called["zhujian"]], street_a)

    addressed, signed, closed = blow("待报到"), blow("待办结"), blow("待核验")
    return {
        "whistle": addressed,
        "addressed": at(addressed, called["zhujian"], ResponseStatus.ADDRESSED),
        "signed": at(signed, called["zhujian"], ResponseStatus.SIGNED),
        "closed": at(closed, called["zhujian"], ResponseStatus.CLOSED),
    }


def responses_state(objects):
    return model_state(WhistleResponse)(objects)


class TestWhistleMatrix(PermissionMatrix):
    pages = [
        *PermissionMatrix.for_pages(WhistlePages, record="whistle", max_queries=25, **STREETS),
        *PermissionMatrix.for_api(
            api_whistles.WhistleViewSet,
            record="whistle",
            max_queries=20,
            data=lambda o: {"title": "改写的事项"},
            **STREETS,
        ),
        # The addressed department reads the whistle; a third department finds none of it.
        Page("services:whistle_detail", url("services:whistle_detail", "whistle"), **DEPARTMENTS),
        Page("services:whistle_list", lambda o: reverse("services:whistle_list"), insider="zhujian", max_queries=25),
        Page(
            "services:whistleresponse_list",
            lambda o: reverse("services:whistleresponse_list"),
            insider="zhujian",
            max_queries=25,
        ),
        Page("services:whistleresponse_detail", url("services:whistleresponse_detail", "signed"), **DEPARTMENTS),
        Page("services:whistleresponse_detail", url("services:whistleresponse_detail", "signed"), **STREETS),
        Page("services:whistleresponse_evidence", url("services:whistleresponse_evidence", "signed"), **DEPARTMENTS),
        Page("services:whistleresponse_evidence", url("services:whistleresponse_evidence", "signed"), **STREETS),
        Page(
            "whistleresponse-list",
            lambda o: reverse("whistleresponse-list"),
            insider="zhujian",
            api=True,
            max_queries=15,
        ),
        Page(
            "whistleresponse-detail",
            lambda o: reverse("whistleresponse-detail", args=[o["signed"].pk]),
            api=True,
            **DEPARTMENTS,
        ),
        Page(
            "whistleresponse-detail",
            lambda o: reverse("whistleresponse-detail", args=[o["signed"].pk]),
            api=True,
            **STREETS,
        ),
        # The ranking: the district's 组织部 and the street; a department's user is not shown it.
        Page(
            "services:whistle_ranking",
            lambda o: reverse("services:whistle_ranking"),
            insider="district_org",
            outsider="zhujian",
            max_queries=20,
        ),
        Page("services:whistle_ranking", lambda o: reverse("services:whistle_ranking"), insider="street_a"),
        *transition_pages(
            whistles.RESPONSES,
            page_name="services:whistleresponse_{name}",
            cases={
                "sign": Case(
                    url("services:whistleresponse_sign", "addressed"),
                    "zhujian",
                    "minzheng",
                    data=lambda o: {"state": "addressed"},
                    api_data=lambda o: {"response": o["addressed"].pk, "state": "addressed"},
                ),
                "close": Case(
                    url("services:whistleresponse_close", "signed"),
                    "zhujian",
                    "minzheng",
                    data=lambda o: {"state": "signed", "report": "已处置。", "evidence": evidence()},
                    api_data=lambda o: {"response": o["signed"].pk, "state": "signed", "report": "已处置。"},
                ),
                "verify": Case(
                    url("services:whistleresponse_verify", "closed"),
                    "street_a",
                    "street_b",
                    data=lambda o: {"state": "closed", "quality": "4", "satisfaction": "4"},
                    api_data=lambda o: {"response": o["closed"].pk, "state": "closed", "quality": 4, "satisfaction": 4},
                ),
            },
            state=responses_state,
            api_name="responsestep-{name}",
            api_url=lambda t: f"/api/response-steps/{t.name}/",
        ),
    ]
