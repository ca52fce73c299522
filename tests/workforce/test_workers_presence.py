"""社区工作者 where users look: the home tiles (training hours short this year, certificates expiring
within 90 days) for who keeps the workers; the area page's card (workers in post, certified share,
staffing) loaded after the page; the menu's 社区工作者 entries; the menu bar's search by name and by
the whole ID number — each only for who may."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from property.models import Compound
from workforce.models_workers import Certificate, TrainingRecord

from .workers_cast import A1, SECRETARY_ID, community_a1_fixture, workers_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def widget(client, name):
    response = client.get(reverse("core:home_widget", args=[name]))
    assert response.status_code in (200, 404)
    return response.content.decode() if response.status_code == 200 else ""


def test_the_tiles_name_who_is_short_of_hours_and_whose_certificate_expires(workers, street_a, client_for):
    today = timezone.localdate()
    TrainingRecord.objects.create(
        worker=workers["former"], trained_on=today, hours=Decimal("60"), subject="社会工作专业知识"
    )
    Certificate.objects.create(
        worker=workers["former"],
        level="assistant",
        number="Z-1",
        obtained_on=datetime.date(2020, 1, 1),
        expires_on=today + datetime.timedelta(days=30),
    )
    client = client_for(street_a)

    short = widget(client, "workforce_training_short")
    expiring = widget(client, "workforce_certificates_expiring")

    assert "王书记" in short and "李网格" not in short  # 60 h cover the year
    assert "赵社工" not in short  # street B's
    assert "李网格" in expiring and "助理社工师" in expiring and "王书记" not in expiring


def test_the_organisation_department_and_a_grid_worker_get_no_tiles(workers, city_org, grid_a1, client_for):
    for user in (city_org, grid_a1):
        assert widget(client_for(user), "workforce_training_short").strip() == ""
        assert widget(client_for(user), "workforce_certificates_expiring").strip() == ""


def test_the_area_card_counts_workers_certified_and_short(workers, areas, community_a1, client_for):
    Compound.objects.create(name="A1小区", community=areas[A1], households=1200)  # 3 per 1,000: 3.6 → 4
    client = client_for(community_a1)

    area_page = client.get(reverse("orgs:area_detail", args=[A1])).content.decode()
    card = client.get(reverse("workforce:workers_area_panel", args=[A1])).content.decode()

    assert reverse("workforce:workers_area_panel", args=[A1]) in area_page
    assert "50.0%" in card  # one of two certified
    assert "小区户数 1200，按标准应配 4 人，在职 2 人" in card and "缺 2 人" in card


def test_the_menu_and_the_search_find_workers_for_who_reads_them(workers, street_a, grid_a1, client_for):
    home = client_for(street_a).get("/").content.decode()
    by_name = client_for(street_a).get(reverse("core:search"), {"q": "王书记"}).content.decode()
    by_number = client_for(street_a).get(reverse("core:search"), {"q": SECRETARY_ID}).content.decode()
    grid_home = client_for(grid_a1).get("/").content.decode()

    assert "社区工作者" in home and reverse("workforce:worker_list") in home
    assert workers["secretary"].get_absolute_url() in by_name
    assert workers["secretary"].get_absolute_url() in by_number
    assert reverse("workforce:worker_list") not in grid_home
