"""The log of whole phone and ID numbers says whose were shown (issue #6, also noticed): the
people of a list or API page by id, an export by its row count and filter."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.models import PersonalDataAccess
from grids.models import HeadAssignment, Person

STREET_A = "220104001"


@pytest.fixture
def people(cast_roster):
    return cast_roster


@pytest.fixture
def api(street_a, grant_personal_data):
    grant_personal_data(street_a)
    client = APIClient()
    client.force_authenticate(street_a)
    return client


def test_the_people_api_logs_the_ids_of_the_people_it_shows_whole(people, api, street_a):
    response = api.get("/api/people/")

    shown = sorted(str(row["id"]) for row in response.json()["results"])
    access = PersonalDataAccess.objects.get(user=street_a)
    assert sorted(access.object_ids) == shown
    assert access.row_count == len(shown) > 0
    assert sorted(shown) == sorted(str(pk) for pk in Person.objects.scoped(street_a).values_list("pk", flat=True))


def test_the_posts_api_logs_the_people_behind_the_posts_it_shows(people, api, street_a):
    response = api.get("/api/head-assignments/", {"post": "grid_head"})

    shown = {str(row["person"]["id"]) for row in response.json()["results"]}
    access = PersonalDataAccess.objects.get(user=street_a)
    assert set(access.object_ids) == shown
    assert access.query == "post=grid_head"


def test_an_export_logs_its_row_count_and_filter(people, street_a, client_for, grant_personal_data):
    grant_personal_data(street_a)

    response = client_for(street_a).get(
        reverse("grids:roster", args=[STREET_A]), {"export": "xlsx", "post": "grid_head"}
    )

    assert response.status_code == 200
    access = PersonalDataAccess.objects.get(user=street_a)
    expected = HeadAssignment.objects.current().filter(area__code__startswith=STREET_A, post="grid_head").count()
    assert access.row_count == expected > 0
    assert "post=grid_head" in access.query and "export=xlsx" in access.query
