"""The services API does what the pages do: a version drafted through it copies the published
version's items (one draft at a time, refused in Chinese); publishing supersedes; a task pushed
through it is screened at the gate."""

import pytest

from services.choices import TaskStatus, VersionStatus
from services.models import GateTask, ListVersion

from .conftest import COMMUNITY_A1, ON_THE_LIST

pytestmark = pytest.mark.django_db


def test_a_draft_through_the_api_copies_the_published_items(lists, community_a1, client_for):
    client = client_for(community_a1)

    response = client.post("/api/list-versions/", {"service_list": lists["admission"].pk, "note": "2027年修订"})

    assert response.status_code == 201, response.content
    draft = ListVersion.objects.get(pk=response.json()["id"])
    assert (draft.number, draft.status, draft.note) == (3, VersionStatus.DRAFT, "2027年修订")
    assert draft.items.count() == lists["current"].items.count()
    again = client.post("/api/list-versions/", {"service_list": lists["admission"].pk})
    assert again.status_code == 400 and "已有草稿" in again.content.decode()


def test_publishing_through_the_api_supersedes(lists, community_a1, client_for):
    response = client_for(community_a1).post(
        "/api/version-steps/publish/", {"version": lists["draft"].pk, "state": "draft"}
    )

    assert response.status_code == 200 and response.json()["status"] == VersionStatus.PUBLISHED
    lists["service"].refresh_from_db()
    assert lists["service"].status == VersionStatus.SUPERSEDED


def test_a_task_pushed_through_the_api_is_screened(lists, departments, minzheng, client_for):
    client = client_for(minzheng)
    body = {"department": departments["chaoyang"].pk, "community": COMMUNITY_A1}

    admitted = client.post("/api/gate-tasks/", {**body, "name": ON_THE_LIST}, content_type="application/json")
    stopped = client.post("/api/gate-tasks/", {**body, "name": "填报商户消防安全台账"}, content_type="application/json")

    assert (admitted.status_code, admitted.json()["status"]) == (201, TaskStatus.ADMITTED)
    assert (stopped.status_code, stopped.json()["status"]) == (201, TaskStatus.STOPPED)
    assert GateTask.objects.get(name=ON_THE_LIST).matched_item is not None
