"""The permission matrix (core/testing.py) of every services page and endpoint: anonymous → login,
in scope → served, outside → 404 and nothing written. Community A1 keeps its lists (street B the
outsider; the street above reads them and keeps its own power list); 朝阳区民政局 pushes tasks to
community A1 (南关区's bureau the outsider), street A decides its gate. The public pages are for
anybody: TestPublicPages below covers them."""

import pytest
from django.test import Client
from django.urls import reverse

from core.testing import COVERED, Case, Page, PermissionMatrix, model_state, transition_pages
from services import admission, api
from services.choices import VersionStatus
from services.models import GateTask, ListItem, ListVersion
from services.views import GateTaskPages, ListItemPages, ListVersionPages, ServiceListPages

from .conftest import COMMUNITY_A1, STREET_A

KEEPERS = {"insider": "community_a1", "outsider": "street_b"}


def url(name, key):
    return lambda o: reverse(name, args=[o[key].pk])


def versions_and_items(objects):
    return (model_state(ListVersion)(objects), model_state(ListItem)(objects))


@pytest.fixture
def objects(lists, departments, areas, minzheng, nanguan_department, community_a1, street_a, street_b):
    task = GateTask(department=departments["chaoyang"], community=areas[COMMUNITY_A1], name="填报商户消防安全台账")
    return {**lists, "task": admission.push(task, minzheng)}


class TestServicesMatrix(PermissionMatrix):
    pages = [
        *PermissionMatrix.for_pages(ServiceListPages, record="admission", max_queries=20, **KEEPERS),
        *PermissionMatrix.for_pages(ListVersionPages, record="draft", max_queries=20, **KEEPERS),
        *PermissionMatrix.for_pages(ListItemPages, record="draft_item", max_queries=20, **KEEPERS),
        *PermissionMatrix.for_api(
            ServiceListPages.viewset,
            record="admission",
            max_queries=15,
            data=lambda o: {"kind": "service"},  # a list has no free text
            **KEEPERS,
        ),
        *PermissionMatrix.for_api(ListItemPages.viewset, record="draft_item", max_queries=15, **KEEPERS),
        *PermissionMatrix.for_api(api.ListVersionViewSet, record="draft", max_queries=15, **KEEPERS),
        # A task: pushed and read by its department; another district's department finds none of it.
        *PermissionMatrix.for_pages(
            GateTaskPages, record="task", max_queries=20, insider="minzheng", outsider="nanguan_department"
        ),
        *PermissionMatrix.for_api(
            api.GateTaskViewSet, record="task", max_queries=15, insider="minzheng", outsider="nanguan_department"
        ),
        # The street reads its communities' lists and tasks; street B reads none of them.
        Page("services:servicelist_detail", url("services:servicelist_detail", "admission"), insider="street_a"),
        Page(
            "services:gatetask_detail", url("services:gatetask_detail", "task"), insider="street_a", outsider="street_b"
        ),
        Page(
            "services:servicelist_compare",
            url("services:servicelist_compare", "admission"),
            insider="street_a",
            outsider="street_b",
            max_queries=15,
        ),
        # The area page's three services cards, loaded after the page: street A's, not street B's.
        *(
            Page(
                "services:area_panel",
                lambda o, name=name: reverse("services:area_panel", args=[STREET_A, name]),
                insider="street_a",
                outsider="street_b",
                max_queries=15,
            )
            for name in ("lists", "whistles", "requests")
        ),
        # 以此为基础起草新版本: the list's keeper (not the street above, nor street B).
        Page("services:listversion_draft", url("services:listversion_draft", "current"), **KEEPERS),
        Page(
            "services:listversion_draft",
            url("services:listversion_draft", "current"),
            method="post",
            ok=302,
            state=versions_and_items,
            **KEEPERS,
        ),
        Page(
            "services:listversion_draft",
            url("services:listversion_draft", "current"),
            method="post",
            outsider="street_a",
            state=versions_and_items,
        ),
        # Publishing: the keeper's; superseding is nobody's to take (publishing the next takes it).
        Page("services:listversion_publish", url("services:listversion_publish", "draft"), **KEEPERS),
        Page(
            "services:listversion_publish",
            url("services:listversion_publish", "draft"),
            method="post",
            data=lambda o: {"state": VersionStatus.DRAFT},
            ok=302,
            state=versions_and_items,
            **KEEPERS,
        ),
        Page(
            "versionstep-publish",
            lambda o: "/api/version-steps/publish/",
            method="post",
            data=lambda o: {"version": o["draft"].pk, "state": VersionStatus.DRAFT},
            api=True,
            state=versions_and_items,
            **KEEPERS,
        ),
        Page(
            "versionstep-supersede",
            lambda o: "/api/version-steps/supersede/",
            method="post",
            data=lambda o: {"version": o["current"].pk},
            api=True,
            outsider="community_a1",
            state=versions_and_items,
        ),
        *transition_pages(
            admission.GATE,
            page_name="services:gatetask_{name}",
            cases={
                "approve": Case(
                    url("services:gatetask_approve", "task"),
                    "street_a",
                    "street_b",
                    data=lambda o: {"state": "stopped"},
                    api_data=lambda o: {"task": o["task"].pk, "state": "stopped"},
                ),
                "refuse": Case(
                    url("services:gatetask_refuse", "task"),
                    "street_a",
                    "street_b",
                    data=lambda o: {"state": "stopped", "reason": "不属于社区职责"},
                    api_data=lambda o: {"task": o["task"].pk, "state": "stopped", "reason": "不属于社区职责"},
                ),
            },
            state=model_state(GateTask),
            api_name="gatestep-{name}",
            api_url=lambda t: f"/api/gate-steps/{t.name}/",
        ),
    ]


# The public pages are read without logging in: covered here, by who reads them (anybody, in or
# out of the area's scope) and by what they never show (a draft, a superseded version, a person).
COVERED.add("services:public_lists")
COVERED.add("services:public_index")


@pytest.mark.django_db
class TestPublicPages:
    @pytest.mark.parametrize("who", [None, "community_a1", "street_b", "minzheng"])
    @pytest.mark.parametrize("code", [COMMUNITY_A1, STREET_A])
    def test_anybody_reads_the_current_lists_and_nothing_else(self, objects, request, who, code):
        ListVersion.objects.filter(status=VersionStatus.PUBLISHED).update(by=request.getfixturevalue("street_a"))
        client = Client()
        if who:
            client.force_login(request.getfixturevalue(who))

        response = client.get(reverse("services:public_lists", args=[code]))

        page = response.content.decode().split("<main")[1].split("</main>")[0]  # the menu bar is the visitor's
        assert response.status_code == 200
        assert "老年人优待证办理" in page or "组织开展基层党组织建设工作" in page
        assert "未发布的草稿事项" not in page and "协助开展报刊征订" not in page
        assert "填报商户消防安全台账" not in page  # the gate's tasks are not public
        assert "street_a" not in page and "13912345678" not in page  # who published, and their phone

    @pytest.mark.parametrize("who", [None, "community_a1", "street_b", "minzheng"])
    def test_anybody_reads_the_index_of_current_lists(self, objects, request, who):
        ListVersion.objects.filter(status=VersionStatus.PUBLISHED).update(by=request.getfixturevalue("street_a"))
        client = Client()
        if who:
            client.force_login(request.getfixturevalue(who))

        response = client.get(reverse("services:public_index"))

        page = response.content.decode().split("<main")[1].split("</main>")[0]
        assert response.status_code == 200
        assert reverse("services:public_lists", args=[COMMUNITY_A1]) in page
        assert "未发布的草稿事项" not in page and "填报商户消防安全台账" not in page
        assert "street_a" not in page and "13912345678" not in page
