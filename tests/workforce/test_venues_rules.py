"""A venue's rules said once on the model and refused alike in the form, the API and the street's
sheet: a floor area of zero or absurd size, a level that does not fit its area's; what a venue
lacks against the standard (per city, settings WORKFORCE_VENUE_STANDARDS) in Chinese; a
demonstration site of exactly one subject."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import ImportJob
from tests.grids.sheets import csv_bytes
from workforce.models_venues import DemonstrationSite, SiteKind, Venue, VenueLevel, recheck_compliance

from .venues_cast import (  # noqa: F401  (fixtures)
    A1,
    A2,
    ALL_FIVE,
    B1,
    GRID_A1,
    PNG,
    STREET_A,
    community_a1_fixture,
    venues_fixture,
)

pytestmark = pytest.mark.django_db


def venue_form(**changes):
    return {
        "area": A2,
        "level": "station",
        "name": "A2社区党群服务站",
        "address": "A2居委会",
        "floor_area": "220",
        "opening_hours": "周一至周五",
        **{name: "on" for name in ALL_FIVE},
        **changes,
    }


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"floor_area": "0"}, "floor_area", "须大于零"),
        ({"floor_area": "-30"}, "floor_area", "须大于零"),
        ({"floor_area": "25000"}, "floor_area", "超出合理范围"),
        ({"level": "centre"}, "level", "街道党群服务中心应设在街道"),
        ({"level": "post"}, "level", "网格（小区）驿站应设在网格或楼栋"),
    ],
)
def test_the_form_refuses_a_bad_area_or_level_in_chinese(changes, field, words, areas, street_a, client_for):
    response = client_for(street_a).post(reverse("workforce:venue_add"), venue_form(**changes))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert words in " ".join(errors[field]), errors
    assert not Venue.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"floor_area": "0"}, "floor_area", "须大于零"),
        ({"floor_area": "20000.01"}, "floor_area", "超出合理范围"),
        ({"level": "post"}, "level", "应设在网格或楼栋"),
    ],
)
def test_the_api_refuses_them_alike(changes, field, words, areas, street_a, client_for):
    body = {**venue_form(**changes), **dict.fromkeys(ALL_FIVE, True)}

    response = client_for(street_a).post("/api/venues/", body, content_type="application/json")

    assert response.status_code == 400
    assert words in " ".join(response.json()[field]), response.json()
    assert not Venue.objects.exists()


def test_the_form_saves_a_good_venue_with_its_photos_and_refuses_a_renamed_program(areas, street_a, client_for):
    client = client_for(street_a)
    fake = SimpleUploadedFile("照片.png", b"MZ\x90\x00 not an image", "image/png")

    refused = client.post(reverse("workforce:venue_add"), {**venue_form(), "photos": [fake]})

    assert "文件内容与扩展名不符" in " ".join(refused.context["form"].errors["photos"])
    photo = SimpleUploadedFile("门牌.png", PNG, "image/png")
    response = client.post(reverse("workforce:venue_add"), {**venue_form(), "photos": [photo]})
    assert response.status_code == 302
    venue = Venue.objects.get()
    assert venue.compliant and venue.photos.count() == 1


def test_the_sheet_rejects_the_bad_rows_with_their_reasons(areas, street_a, client_for):
    client = client_for(street_a)
    header = [
        "区划代码",
        "阵地层级",
        "名称",
        "地址",
        "建筑面积（平方米）",
        "开放时间",
        "统一标识",
        "固定场所",
        "服务设施",
        "管理制度",
        "服务队伍",
    ]
    good = ["是"] * 5
    rows = [
        [A1, "社区党群服务站", "A1社区党群服务站", "", "1,200", "", *good],
        [A2, "社区党群服务站", "A2社区党群服务站", "", "150㎡", "", "是", "是", "否", "是", "是"],
        [A2, "社区党群服务站", "A2零面积", "", "0", "", *good],
        [A2, "社区党群服务站", "A2大面积", "", "50000", "", *good],
        [A2, "街道党群服务中心", "A2错层级", "", "600", "", *good],
        [B1, "社区党群服务站", "B1社区党群服务站", "", "300", "", *good],  # street B's community
        [A2, "社区党群服务站", "A2面积不是数", "", "两百", "", *good],
        [A2, "社区党群服务站", "A2标识乱填", "", "300", "", "也许", "是", "是", "是", "是"],
    ]
    response = client.post(
        reverse("core:import_new", args=["workforce_venues"]),
        {"file": SimpleUploadedFile("阵地.csv", csv_bytes(rows, header=header), "text/csv")},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.filter(kind="workforce_venues").latest("pk")
    reasons = {r["row"]: (r["column"], r["reason"]) for r in job.summary["rejected"]}

    assert job.summary["new"] == 2, sorted(reasons)
    assert set(reasons) == {4, 5, 6, 7, 8, 9}
    assert "须大于零" in reasons[4][1]
    assert "超出合理范围" in reasons[5][1]
    assert "应设在街道" in reasons[6][1]
    assert reasons[7][0] == "区划代码" and "不在您的管辖范围内" in reasons[7][1]
    assert "不是数字" in reasons[8][1]
    assert "应填“是”或“否”" in reasons[9][1]
    client.post(reverse("core:import_confirm", args=[job.pk]), {"skip_invalid": "1"})
    job.refresh_from_db()
    assert job.status == "done", job.error
    a2 = Venue.objects.get(area__code=A2)
    assert a2.floor_area == Decimal("150.00") and not a2.compliant
    assert [str(r) for r in a2.lacks()] == ["建筑面积 150 平方米，低于社区党群服务站标准 200 平方米", "缺服务设施"]
    assert Venue.objects.get(area__code=A1).compliant


def test_a_venue_says_what_it_lacks(venues):
    station, centre = venues["station"], venues["centre"]

    assert [str(r) for r in station.lacks()] == ["建筑面积 150 平方米，低于社区党群服务站标准 200 平方米", "缺管理制度"]
    assert not station.compliant
    assert centre.lacks() == [] and centre.compliant


def test_a_city_sets_its_own_standard_by_its_code(venues, settings):
    settings.WORKFORCE_VENUE_STANDARDS = {"default": {"station": 300}, "2201": {"station": 120, "centre": 800}}

    changed = recheck_compliance()

    venues["station"].refresh_from_db()
    venues["centre"].refresh_from_db()
    assert [str(r) for r in venues["station"].lacks()] == ["缺管理制度"]  # 150 ≥ 长春's 120
    assert "低于街道党群服务中心标准 800 平方米" in str(venues["centre"].lacks()[0])
    assert not venues["centre"].compliant and changed == 1


def test_the_list_filters_the_non_compliant_and_the_demonstration_sites(venues, street_a, client_for):
    client = client_for(street_a)

    short = client.get(reverse("workforce:venue_list") + "?compliant=false")
    named = client.get(reverse("workforce:venue_list") + "?demonstration=true")
    per_street = client.get(reverse("workforce:venues_short"))

    assert [v.name for v in short.context["object_list"]] == ["A1社区党群服务站"]
    assert [v.name for v in named.context["object_list"]] == ["A1第1网格红色驿站"]
    text = per_street.content.decode()
    assert "前进街道" in text and "A1社区党群服务站" in text and "缺管理制度" in text
    assert "B1社区党群服务站" not in text


def test_a_site_has_exactly_one_subject(venues, street_a, client_for):
    client = client_for(street_a)
    base = {"level": "city", "theme": "红色物业", "year": 2025, "document_number": "市组通〔2025〕1号"}

    both = client.post(reverse("workforce:demonstrationsite_add"), {**base, "area": A1, "venue": venues["post"].pk})
    none = client.post(reverse("workforce:demonstrationsite_add"), base)
    api = client.post(
        "/api/demonstration-sites/",
        {**base, "organisation": venues["branch"].pk, "venue": venues["post"].pk},
        content_type="application/json",
    )
    assert "选择且只选择一项" in str(both.context["form"].non_field_errors())
    assert "选择且只选择一项" in str(none.context["form"].non_field_errors())
    assert api.status_code == 400 and "选择且只选择一项" in str(api.json())
    assert DemonstrationSite.objects.count() == 2

    organisation = client.post(
        reverse("workforce:demonstrationsite_add"), {**base, "organisation": venues["branch"].pk}
    )
    assert organisation.status_code == 302
    site = DemonstrationSite.objects.latest("pk")
    assert (site.kind, site.area.code) == (SiteKind.ORGANISATION, A1)
    assert client.get(venues["branch"].get_absolute_url()).content.decode().count("市级红色物业示范点") >= 1


def test_a_street_b_cadre_may_not_mark_a_street_a_area(venues, street_b, client_for):
    response = client_for(street_b).post(
        reverse("workforce:demonstrationsite_add"),
        {"area": A1, "level": "city", "theme": "越权", "year": 2025, "document_number": "x"},
    )

    assert response.status_code == 200 and "area" in response.context["form"].errors
    assert DemonstrationSite.objects.count() == 2
    assert Venue.objects.get(area__code=GRID_A1).level == VenueLevel.POST
