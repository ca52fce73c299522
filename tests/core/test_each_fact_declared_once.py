"""Issue 16 §5, each fact declared once: tests/kitapp says ServicePoint's fields, its area (by
subclassing AreaRecord), its phone (a PhoneField), its change action and its API prefix once, and
the kit derives the rest — a phone cleaned through core.identity in the form, the API and the
import alike; personal data masked in the table and the serializer; 区划代码（含下级） on every
list of a scoped model; the history; the menu entry."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.fields import IdNumberField, PhoneField
from core.models import ImportJob
from core.tables import PersonalColumn
from tests.grids.sheets import csv_bytes
from tests.kitapp.declarations import ServicePointPages
from tests.kitapp.models import ServicePoint

COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1 = "220104001001", "220104001002", "220104002001"
WRONG_PHONE = "联系电话“1391234”应为11位手机号或带区号的固定电话。"


def test_personal_data_is_declared_once_on_the_model_and_masked_in_the_table_and_serializer():
    assert ServicePoint.personal_data_fields == {"phone": "phone"}
    assert isinstance(ServicePointPages.table.base_columns["phone"], PersonalColumn)
    assert ServicePointPages.serializer.Meta.personal_fields == ("phone",)


def test_the_area_record_gives_the_scope_the_history_and_the_page_address(areas):
    point = ServicePoint.objects.create(area=areas[COMMUNITY_A1], name="服务站")

    assert ServicePoint.scope_path == "area__code"
    assert point.get_absolute_url() == reverse("kitapp:servicepoint_detail", args=[point.pk])
    assert [event.pgh_label for event in point.events.all()] == ["insert"]


def test_a_phone_is_cleaned_by_the_form_as_core_identity_cleans_it(areas, street_a, client_for):
    client = client_for(street_a)
    url = reverse("kitapp:servicepoint_add")

    client.post(url, {"area": areas[COMMUNITY_A1].pk, "name": "甲站", "phone": "+86 139 1234 0009"})
    refused = client.post(url, {"area": areas[COMMUNITY_A1].pk, "name": "乙站", "phone": "1391234"})

    assert ServicePoint.objects.get(name="甲站").phone == "13912340009"
    assert refused.status_code == 200 and WRONG_PHONE in refused.content.decode()
    assert not ServicePoint.objects.filter(name="乙站").exists()


def test_a_phone_is_cleaned_by_the_api_in_the_same_words(areas, street_a, client_for):
    client = client_for(street_a)

    saved = client.post(
        "/api/service-points/",
        {"area": COMMUNITY_A1, "name": "甲站", "phone": "0431-8888 1234"},
        content_type="application/json",
    )
    refused = client.post(
        "/api/service-points/",
        {"area": COMMUNITY_A1, "name": "乙站", "phone": "1391234"},
        content_type="application/json",
    )

    assert saved.status_code == 201, saved.content
    assert ServicePoint.objects.get(name="甲站").phone == "0431-88881234"
    assert refused.status_code == 400 and refused.json() == {"phone": [WRONG_PHONE]}


def test_a_phone_is_cleaned_by_the_import_in_the_same_words(areas, street_a, client_for):
    client = client_for(street_a)
    rows = [[COMMUNITY_A1, "甲站", "+86 13912340009", ""], [COMMUNITY_A1, "乙站", "1391234", ""]]

    client.post(
        reverse("core:import_new", args=[ServicePointPages.import_kind]),
        {"file": SimpleUploadedFile("服务点.csv", csv_bytes(rows, header=ServicePointPages.table.headers()))},
    )
    job = ImportJob.objects.get(user=street_a)
    client.post(reverse("core:import_confirm", args=[job.pk]), {"skip_invalid": "1"})

    assert [(r["row"], r["reason"]) for r in job.summary["rejected"]] == [(3, WRONG_PHONE)]
    assert list(ServicePoint.objects.values_list("name", "phone")) == [("甲站", "13912340009")]


def test_an_id_number_field_cleans_through_core_identity():
    field = IdNumberField("身份证号")

    assert field.clean("11010519491231002x", None) == "11010519491231002X"
    assert field.max_length == 18 and field.blank
    with pytest.raises(ValidationError, match="校验位不正确"):
        field.clean("110105194912310021", None)
    with pytest.raises(ValidationError, match="应为11位手机号"):
        PhoneField("联系电话").formfield().clean("12345")


def test_every_list_of_a_scoped_model_filters_by_an_areas_subtree_on_the_page_and_in_the_api(
    areas, city_org, client_for
):
    for code, name in ((COMMUNITY_A1, "A1站"), (COMMUNITY_A2, "A2站"), (COMMUNITY_B1, "B1站")):
        ServicePoint.objects.create(area=areas[code], name=name)
    client = client_for(city_org)

    page = client.get(reverse("kitapp:servicepoint_list"), {"within": "220104001"}).content.decode()
    api = client.get("/api/service-points/", {"within": "220104001"}).json()

    assert "区划代码（含下级）" in page
    assert "A1站" in page and "A2站" in page and "B1站" not in page
    assert sorted(row["name"] for row in api["results"]) == ["A1站", "A2站"]


def test_a_filterset_that_lists_within_keeps_its_place():
    from grids.filters import HeadAssignmentFilterSet
    from orgs.departments import DepartmentFilterSet

    assert list(HeadAssignmentFilterSet.base_filters)[:2] == ["q", "within"]
    assert list(DepartmentFilterSet.base_filters) == ["q", "kind", "within"]


def test_a_declared_menu_entry_is_shown_to_who_may_see_records(street_a):
    from django.contrib.auth.models import AnonymousUser

    class WithMenu(ServicePointPages):
        menu = {"order": 60, "icon": "geo-alt"}

    item = WithMenu.menu_item()

    assert (str(item.label), item.url(street_a), item.icon, item.order) == ("服务点", "/kit/points/", "geo-alt", 60)
    assert item.visible(street_a) and not item.visible(AnonymousUser())


def test_a_declared_table_gives_the_form_its_fields():
    from core.views.generic import ModelPages
    from tests.kitapp.permissions import CHANGE_POINT

    class FromTheTable(ModelPages):
        model = ServicePoint
        table = ServicePointPages.table
        change_action = CHANGE_POINT

    assert list(FromTheTable.form.base_fields) == ["area", "name", "phone", "opened"]
    assert FromTheTable.serializer is None and FromTheTable.resource is None  # no API, no import declared
