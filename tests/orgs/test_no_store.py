"""Pages, API answers and exports carry personal data (names, phone and ID numbers): no browser
cache or proxy may keep them, so every response of the portal says Cache-Control: no-store.
Static files keep their own long-lived caching."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from orgs.models import RoleAssignment


def cache_control(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def assert_never_stored(response):
    directives = cache_control(response)
    assert "no-store" in directives, response.get("Cache-Control")
    assert "private" in directives
    assert "max-age=0" in directives


@pytest.fixture
def city_client(city_org, client_for):
    return client_for(city_org)


@pytest.mark.parametrize(
    "url",
    [
        reverse("home"),
        reverse("orgs:area_list"),
        reverse("orgs:area_detail", args=["220104001"]),
        reverse("core:search") + "?q=网格",
        reverse("core:import_list"),
        reverse("grids:roster", args=["220104001001001"]),
        reverse("grids:my_grids"),
    ],
)
def test_every_page_of_a_logged_in_user_says_no_store(url, city_client):
    response = city_client.get(url)

    assert response.status_code == 200
    assert_never_stored(response)


def test_an_export_says_no_store(city_client):
    response = city_client.get(reverse("orgs:area_export", args=["220104001"]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert_never_stored(response)


def test_a_revealed_phone_number_says_no_store(city_org, street_a, city_client):
    city_org.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    assignment = RoleAssignment.objects.get(user=street_a)

    response = city_client.post(
        reverse("core:reveal_personal_data", args=["orgs.roleassignment", assignment.pk, "phone"])
    )

    assert response.status_code == 200
    assert "13912345678" in response.content.decode()
    assert_never_stored(response)


@pytest.mark.parametrize("url", ["/api/areas/", "/api/areas/220104001/", "/api/role-assignments/", "/api/people/"])
def test_every_api_answer_says_no_store(url, city_org):
    client = Client(headers={"Authorization": f"Token {Token.objects.create(user=city_org).key}"})

    response = client.get(url)

    assert response.status_code == 200
    assert_never_stored(response)


def test_api_refusals_and_errors_say_no_store_too(city_client, db):
    assert_never_stored(Client().get("/api/areas/"))  # anonymous
    assert_never_stored(city_client.get("/api/areas/99/"))  # not found
    assert_never_stored(city_client.post("/api/areas/", "{", content_type="application/json"))  # bad body


def test_the_login_page_says_no_store(db):
    assert_never_stored(Client().get(reverse("login")))


def test_static_files_keep_their_own_caching(db):
    response = Client().get("/static/css/portal.css")

    assert response.status_code == 200
    assert "no-store" not in cache_control(response)
    assert any(d.startswith("max-age=") and d != "max-age=0" for d in cache_control(response)), response.get(
        "Cache-Control"
    )
