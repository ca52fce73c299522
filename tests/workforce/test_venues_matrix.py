"""The permission matrix (core/testing.py) of every 党群服务阵地 and 示范点 page and endpoint:
anonymous → login, in scope → served, outside → 404 and nothing written. Community A1's cadre keeps
its station; street A marks the demonstration sites; street B is the outsider; a functional
department (民政局) reads none of it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import ImportJob
from core.testing import Page, PermissionMatrix
from workforce import api_venues
from workforce.models_venues import DemonstrationSite, Venue, VenuePhoto
from workforce.views_venues import DemonstrationSitePages, VenuePages

from .venues_cast import (  # noqa: F401  (fixtures)
    A1,
    PDF,
    PNG,
    STREET_A,
    community_a1_fixture,
    minzheng_fixture,
    venues_fixture,
)

COMMUNITY = {"insider": "community_a1", "outsider": "street_b"}
STREET = {"insider": "street_a", "outsider": "street_b"}
VENUES_CSV = (
    "区划代码,阵地层级,名称,建筑面积（平方米）\r\n220104001002,社区党群服务站,A2社区党群服务站,220\r\n".encode()
)


@pytest.fixture
def objects(venues, street_a, street_b, community_a1, city_org, minzheng):
    photo = VenuePhoto.objects.create(
        venue=venues["station"], file=SimpleUploadedFile("门牌.png", PNG, "image/png"), name="门牌.png"
    )
    site = venues["city_site"]
    site.document = SimpleUploadedFile("命名文件.pdf", PDF, "application/pdf")
    site.save()
    return {**venues, "photo": photo}


def site_form(o):
    site = o["city_site"]
    return {
        "area": A1,
        "level": site.level,
        "theme": "越权" + site.theme,
        "year": site.year,
        "document_number": site.document_number,
    }


def state():
    return lambda o: (
        list(Venue.objects.order_by("pk").values_list()),
        list(DemonstrationSite.objects.order_by("pk").values_list()),
        VenuePhoto.objects.count(),
    )


class TestVenuesMatrix(PermissionMatrix):
    pages = [
        *PermissionMatrix.for_pages(VenuePages, record="station", max_queries=20, **COMMUNITY),
        *PermissionMatrix.for_pages(
            DemonstrationSitePages, record="city_site", max_queries=20, data=site_form, **STREET
        ),
        *PermissionMatrix.for_api(api_venues.VenueViewSet, record="station", max_queries=15, **COMMUNITY),
        *PermissionMatrix.for_api(api_venues.DemonstrationSiteViewSet, record="city_site", max_queries=15, **STREET),
        Page(
            "workforce:venuephoto_download",
            lambda o: reverse("workforce:venuephoto_download", args=[o["photo"].pk]),
            **COMMUNITY,
        ),
        Page(
            "workforce:demonstrationsite_document",
            lambda o: reverse("workforce:demonstrationsite_document", args=[o["city_site"].pk]),
            insider="community_a1",
            outsider="street_b",
        ),
        Page(
            "workforce:venues_short",
            lambda o: reverse("workforce:venues_short") + f"?within={STREET_A}",
            max_queries=15,
            **STREET,
        ),
        Page(
            "workforce:venues_short",
            lambda o: reverse("workforce:venues_short"),
            insider="city_org",
            outsider="minzheng",
        ),
        Page(
            "workforce:sites_by_district",
            lambda o: reverse("workforce:sites_by_district"),
            insider="city_org",
            outsider="minzheng",
            max_queries=15,
        ),
        Page(
            "workforce:venues_area_panel",
            lambda o: reverse("workforce:venues_area_panel", args=[A1]),
            max_queries=15,
            **COMMUNITY,
        ),
        Page(
            "workforce:venues_area_panel",
            lambda o: reverse("workforce:venues_area_panel", args=[STREET_A]),
            max_queries=15,
            **STREET,
        ),
        Page(
            "core:import_new",
            lambda o: reverse("core:import_new", args=["workforce_venues"]),
            insider="street_a",
            outsider="minzheng",
        ),
        Page(
            "core:import_template",
            lambda o: reverse("core:import_template", args=["workforce_venues"]),
            insider="street_a",
            outsider="minzheng",
        ),
        Page(
            "core:import_new",
            lambda o: reverse("core:import_new", args=["workforce_venues"]),
            method="post",
            data=lambda o: {"file": SimpleUploadedFile("阵地.csv", VENUES_CSV)},
            insider="street_a",
            outsider="minzheng",
            ok=302,
            state=lambda o: (ImportJob.objects.count(), Venue.objects.count()),
        ),
    ]
