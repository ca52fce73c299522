"""What the lists' pages offer, and to whom: a published version's keeper may start a draft from it
(its items copied), the street above may not; a draft offers its items' form and import; the area
page's 清单 panel; the home widgets — drafts awaiting publication for their keeper, gate stops for
the street."""

import pytest
from django.urls import reverse

from services import admission
from services.choices import ListKind, VersionStatus
from services.models import GateTask, ListVersion, ServiceList

from .conftest import COMMUNITY_A1, STREET_A

pytestmark = pytest.mark.django_db


def test_the_keeper_drafts_a_new_version_from_a_published_one(lists, community_a1, client_for):
    client = client_for(community_a1)
    current = lists["current"]

    page = client.get(current.get_absolute_url()).content.decode()
    assert reverse("services:listversion_draft", args=[current.pk]) in page and "已发布的版本不能修改" in page

    response = client.post(reverse("services:listversion_draft", args=[current.pk]))

    draft = ListVersion.objects.get(service_list=lists["admission"], status=VersionStatus.DRAFT)
    assert response["Location"] == draft.get_absolute_url()
    assert sorted(draft.items.values_list("name", flat=True)) == sorted(current.items.values_list("name", flat=True))
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "新增事项" in page and "导入事项" in page and "发布" in page


def test_the_street_reads_a_communitys_version_but_drafts_nothing(lists, street_a, client_for):
    client = client_for(street_a)

    page = client.get(lists["current"].get_absolute_url()).content.decode()

    assert "协助受理高龄津贴申请" in page
    assert reverse("services:listversion_draft", args=[lists["current"].pk]) not in page  # no button
    assert client.post(reverse("services:listversion_draft", args=[lists["current"].pk])).status_code == 404
    assert not ListVersion.objects.filter(service_list=lists["admission"], status=VersionStatus.DRAFT).exists()


def test_the_area_page_loads_its_current_lists_after_the_page(lists, street_a, client_for):
    client = client_for(street_a)
    panel_url = reverse("services:area_panel", args=[COMMUNITY_A1, "lists"])

    assert panel_url in client.get(reverse("orgs:area_detail", args=[COMMUNITY_A1])).content.decode()
    page = client.get(panel_url).content.decode()
    assert "panel-lists" in page and "A1社区工作事项准入清单" not in page  # kinds, not names, in the panel
    assert "社区工作事项准入清单" in page and reverse("services:public_lists", args=[COMMUNITY_A1]) in page


def widget(client, name):
    return client.get(reverse("core:home_widget", args=[name])).content.decode()


def test_a_draft_awaits_publication_on_its_keepers_home(lists, community_a1, street_a, client_for):
    assert "待发布的清单草稿 1 个" in widget(client_for(community_a1), "lists_awaiting")
    assert "待发布的清单草稿" not in widget(client_for(street_a), "lists_awaiting")  # not the street's to publish


def test_gate_stops_await_the_street_on_its_home(lists, departments, areas, minzheng, street_a, street_b, client_for):
    task = GateTask(department=departments["chaoyang"], community=areas[COMMUNITY_A1], name="填报商户消防安全台账")
    admission.push(task, minzheng)

    assert "填报商户消防安全台账" in widget(client_for(street_a), "gate_stops")
    assert "填报商户消防安全台账" not in widget(client_for(street_b), "gate_stops")


def test_a_published_lists_area_and_kind_stay_as_they_are(lists, street_a, client_for):
    power_list = lists["power_list"]  # a street may keep a public-service list: the kind alone would pass

    client_for(street_a).post(
        reverse("services:servicelist_edit", args=[power_list.pk]), {"area": power_list.area_id, "kind": "service"}
    )

    power_list.refresh_from_db()
    assert power_list.kind == "power"


def test_a_published_list_offers_no_delete_and_refuses_one_in_chinese(lists, community_a1, client_for):
    client = client_for(community_a1)
    delete = reverse("services:servicelist_delete", args=[lists["admission"].pk])

    assert delete not in client.get(lists["admission"].get_absolute_url()).content.decode()
    confirm = client.get(delete).content.decode()
    assert "每个版本都须留存，不能删除" in confirm and "确认删除" not in confirm
    refused = client.post(delete, follow=True)

    assert "每个版本都须留存，不能删除" in refused.content.decode()
    assert ServiceList.objects.filter(pk=lists["admission"].pk).exists()


def test_a_list_with_only_a_draft_is_deleted_after_asking(areas, street_a, client_for):
    fresh = ServiceList.objects.create(area=areas[STREET_A], kind=ListKind.PUBLIC_SERVICE)
    ListVersion.objects.create(service_list=fresh, status=VersionStatus.DRAFT)
    client = client_for(street_a)
    delete = reverse("services:servicelist_delete", args=[fresh.pk])

    assert delete in client.get(fresh.get_absolute_url()).content.decode()
    assert "确认删除" in client.get(delete).content.decode()
    assert client.post(delete).status_code == 302
    assert not ServiceList.objects.filter(pk=fresh.pk).exists()


def test_the_items_list_shows_the_current_versions_unless_asked_otherwise(lists, community_a1, client_for):
    client = client_for(community_a1)
    url = reverse("services:listitem_list")

    current = client.get(url).content.decode()  # by default
    others = client.get(url, {"current": "false"}).content.decode()
    every = client.get(url, {"current": ""}).content.decode()

    assert "老年人优待证办理" in current and "组织社区协商议事" in current
    assert "协助开展报刊征订" not in current and "未发布的草稿事项" not in current
    assert "协助开展报刊征订" in others and "未发布的草稿事项" in others and "老年人优待证办理" not in others
    assert "现行版本" in current  # the filter's label on the page
    assert "老年人优待证办理" in every and "未发布的草稿事项" in every
