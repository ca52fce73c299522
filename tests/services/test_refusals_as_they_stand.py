"""What a record refuses as it stands (core/guard.py), asked everywhere: a request signed for
offers no 编辑 or 删除, its edit page sends the cadre back with the reason, its delete page gives
it instead of asking, the API answers 400 with the same words, and nothing changes; a request still
待受理 is offered both and is deleted."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from services.models_requests import RequestStatus, ResidentRequest

from .requests_cast import *  # noqa: F403  (the requests' fixtures)

pytestmark = pytest.mark.django_db


def test_a_closed_request_is_kept_as_it_was_on_the_page_and_in_the_api(a_request, grid_a1, client_for):
    ResidentRequest.objects.filter(pk=a_request.pk).update(status=RequestStatus.CLOSED, satisfaction="satisfied")
    client = client_for(grid_a1)
    edit = reverse("services:residentrequest_edit", args=[a_request.pk])
    delete = reverse("services:residentrequest_delete", args=[a_request.pk])

    page = client.get(a_request.get_absolute_url()).content.decode()
    assert edit not in page and delete not in page

    for answer in (client.get(edit), client.post(edit, {"description": "改过的内容"}), client.post(delete)):
        assert answer.status_code == 302 and answer["Location"] == a_request.get_absolute_url()
        said = [str(m) for m in get_messages(answer.wsgi_request)]
        assert any("不能再修改" in m or "须留存，不能删除" in m for m in said), said
    confirm = client.get(delete).content.decode()  # the reason instead of the confirmation
    assert "须留存，不能删除" in confirm and "确认删除" not in confirm
    assert ResidentRequest.objects.filter(pk=a_request.pk).exists()

    api = f"/api/requests/{a_request.pk}/"
    patched = client.patch(api, {"description": "改过的内容"}, content_type="application/json")
    assert patched.status_code == 400 and "不能再修改" in patched.content.decode()
    deleted = client.delete(api)
    assert deleted.status_code == 400 and "须留存，不能删除" in deleted.content.decode()
    assert ResidentRequest.objects.get(pk=a_request.pk).description == "楼道堆放杂物无人清理"


def test_a_request_still_awaiting_acceptance_may_be_edited_and_deleted(a_request, grid_a1, client_for):
    client = client_for(grid_a1)
    delete = reverse("services:residentrequest_delete", args=[a_request.pk])
    page = client.get(a_request.get_absolute_url()).content.decode()
    assert reverse("services:residentrequest_edit", args=[a_request.pk]) in page and delete in page
    assert client.get(delete).status_code == 200  # the confirmation page
    assert client.post(delete).status_code == 302
    assert not ResidentRequest.objects.filter(pk=a_request.pk).exists()
