"""Where the requests show beyond their own pages: the area page's panel (the subtree's requests by
light, the overdue apart), the grid worker's home widget (due today and overdue), the street's
(overdue), a request's panel (photo, transfer, 五步议事)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from services.models_requests import ResidentRequest

from .conftest import COMMUNITY_A1, STREET_A
from .requests_cast import new_request

pytestmark = pytest.mark.django_db


def test_the_area_page_shows_the_subtrees_requests_by_light(
    areas, categories, a_request, grid_a1, street_a, client_for
):
    late = new_request(areas, categories["物业管理"], grid_a1)
    ResidentRequest.objects.filter(pk=late.pk).update(status="handling", due_on=datetime.date(2020, 1, 1))

    client = client_for(street_a)
    panel_url = reverse("services:area_panel", args=[COMMUNITY_A1, "requests"])
    assert panel_url in client.get(reverse("orgs:area_detail", args=[COMMUNITY_A1])).content.decode()
    page = client.get(panel_url).content.decode()
    panel = page.split('class="card mb-3 panel-requests"')[1].split("</section>")[0]

    assert "● 待受理 1" in panel and "● 办理中 1" in panel and "超期 1" in panel
    assert f"within={COMMUNITY_A1}&amp;overdue=true" in panel


def test_a_grid_worker_sees_its_open_requests_those_due_counted(areas, categories, a_request, grid_a1, client_for):
    ResidentRequest.objects.filter(pk=a_request.pk).update(due_on=timezone.localdate())
    later = new_request(areas, categories["环境卫生"], grid_a1)

    widget = client_for(grid_a1).get(reverse("core:home_widget", args=["requests_due"])).content.decode()

    assert widget.index(a_request.number) < widget.index(later.number)  # the earliest due first
    assert "今日到期或超期 1" in widget


def test_a_street_sees_its_overdue_requests(areas, a_request, street_a, street_b, client_for):
    ResidentRequest.objects.filter(pk=a_request.pk).update(due_on=datetime.date(2020, 1, 1))

    ours = client_for(street_a).get(reverse("core:home_widget", args=["requests_overdue"])).content.decode()
    theirs = client_for(street_b).get(reverse("core:home_widget", args=["requests_overdue"])).content.decode()

    assert a_request.number in ours and a_request.number not in theirs


def test_a_requests_page_offers_the_transfer_to_the_street_and_not_to_the_grid(
    a_request, grid_a1, street_a, client_for
):
    transfer = reverse("services:residentrequest_transfer_to", args=[a_request.pk])

    assert transfer in client_for(street_a).get(a_request.get_absolute_url()).content.decode()
    assert transfer not in client_for(grid_a1).get(a_request.get_absolute_url()).content.decode()
    assert STREET_A == a_request.area.code[:9]
