"""The sources' figures on a small fixture, each one query for all the areas of a level (the staffing's
two: red property's households through the registry, then the figure): 持证社工占比, 社工配备达标率
(18 per 1,000 households by default, a city's own standard by settings) and 培训学时达标率 (the
year's 48 学时 pro rata to the months passed); the staffing page lists the short communities per
street with the street's total."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from core.registry import registry
from property.models import Compound
from workforce.indicators_workers import certified, staffed, trained
from workforce.models_workers import TrainingRecord

from .workers_cast import A1, A2, B1, STREET_A, STREET_B, workers_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
END = datetime.date(2026, 6, 30)
START = datetime.date(2026, 4, 1)


def ids(areas, *codes):
    return {code: areas[code].pk for code in codes}


@pytest.fixture
def households(areas):
    # the default standard: 3 workers per 1,000 households
    Compound.objects.create(name="A1小区", community=areas[A1], households=1200)  # needs 3.6 → 4
    Compound.objects.create(name="A2小区", community=areas[A2], households=50)  # needs 1
    Compound.objects.create(name="B1小区", community=areas[B1], households=50)  # needs 1


def test_the_certified_share_counts_valid_certificates_of_workers_in_post(workers, areas, django_assert_num_queries):
    with django_assert_num_queries(1):
        communities = certified("community", START, END)
    with django_assert_num_queries(1):
        above = certified(["street", "district"], START, END)

    key = ids(areas, A1, B1, STREET_A, STREET_B, "220104")
    assert communities[key[A1]] == (1, 2) and communities[key[B1]] == (0, 1)
    assert above[key[STREET_A]] == (1, 2) and above[key["220104"]] == (1, 3)
    assert certified("community", START, datetime.date(2014, 1, 1)).get(key[A1]) == (0, 1)  # 2014: one in post


def test_staffing_against_the_standard_reads_property_households(workers, households, areas, django_assert_num_queries):
    assert "property.households" in registry.area_weights
    with django_assert_num_queries(2):
        figures = staffed(["community", "street", "district"], START, END)

    key = ids(areas, A1, A2, B1, STREET_A, STREET_B, "220104")
    assert figures[key[A1]] == (0, 1)  # 2 in post of 4 needed
    assert figures[key[A2]] == (0, 1)  # none of 1
    assert figures[key[B1]] == (1, 1)
    assert figures[key[STREET_A]] == (0, 2) and figures[key["220104"]] == (1, 3)


def test_a_city_standard_of_its_own_changes_who_is_short(workers, households, areas, settings):
    settings.WORKFORCE_STAFFING = {"default": 3, "220104001": 1}  # street A's at 1 per 1,000

    figures = staffed("community", START, END)

    assert figures[areas[A1].pk] == (1, 1)  # 1,200 households × 1 ‰ = 1.2 → 2, 2 in post


def test_training_hours_are_owed_pro_rata(workers, areas, django_assert_num_queries):
    TrainingRecord.objects.create(
        worker=workers["former"], trained_on=datetime.date(2026, 5, 1), hours=Decimal("24"), subject="社会工作专业知识"
    )
    with django_assert_num_queries(1):
        half = trained("community", START, END)  # owed by June: 24

    assert half[areas[A1].pk] == (1, 2)  # the secretary's 12 h fall short, the former grid worker's 24 h do not
    assert trained("community", START, datetime.date(2026, 12, 31))[areas[A1].pk] == (0, 2)  # the year's 48


def test_the_staffing_page_names_the_short_communities_and_the_street_total(workers, households, street_a, client_for):
    page = client_for(street_a).get(reverse("workforce:staffing")).content.decode()

    assert "前进街道" in page and "2 个社区未达标，合计缺 3 人" in page
    assert "B1社区" not in page


def test_above_a_street_the_staffing_page_is_a_row_a_street_opening_its_communities(
    workers, households, city_org, client_for
):
    client = client_for(city_org)
    page = client.get(reverse("workforce:staffing")).content.decode()

    assert "staffing-streets" in page and '<a href="?within=220104001">前进街道</a>' in page
    assert "A1社区" not in page  # the communities are a click away
    street = client.get(reverse("workforce:staffing") + "?within=220104001").content.decode()
    assert "A1社区" in street and "2 个社区未达标，合计缺 3 人" in street and "返回全部街道" in street
