"""Phone and ID numbers are shown masked; seeing one whole is a permission, and each such view
is logged (DESIGN §4). street_a's phone, 13912345678, is the number of every story here."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from core.models import PersonalDataAccess
from core.personal_data import mask
from orgs.models import RoleAssignment

STREET_A = "220104001"
WHOLE = "13912345678"
MASKED = "139****5678"


def grant_personal_data_permission(user):
    user.user_permissions.add(Permission.objects.get(content_type__app_label="core", codename="view_personal_data"))


def reveal_url(assignment):
    return reverse(
        "core:reveal_personal_data", kwargs={"model": "orgs.roleassignment", "pk": assignment.pk, "field": "phone"}
    )


@pytest.fixture
def street_a_assignment(street_a):
    return RoleAssignment.objects.get(user=street_a)


def test_the_area_page_shows_the_phone_masked(city_org, street_a, client_for):
    response = client_for(city_org).get(reverse("orgs:area_detail", args=[STREET_A]))

    html = response.content.decode()
    assert MASKED in html
    assert WHOLE not in html


def test_the_area_page_offers_no_reveal_button_without_the_permission(
    city_org, street_a, street_a_assignment, client_for
):
    response = client_for(city_org).get(reverse("orgs:area_detail", args=[STREET_A]))

    assert reveal_url(street_a_assignment) not in response.content.decode()


def test_the_area_page_keeps_the_phone_masked_even_with_the_permission(
    city_org, street_a, street_a_assignment, client_for
):
    grant_personal_data_permission(city_org)

    response = client_for(city_org).get(reverse("orgs:area_detail", args=[STREET_A]))

    html = response.content.decode()
    assert MASKED in html
    assert WHOLE not in html
    assert reveal_url(street_a_assignment) in html
    assert PersonalDataAccess.objects.count() == 0


def test_the_reveal_endpoint_returns_the_whole_number_and_logs_it(city_org, street_a_assignment, client_for):
    grant_personal_data_permission(city_org)

    response = client_for(city_org).post(reveal_url(street_a_assignment))

    assert response.status_code == 200
    assert WHOLE in response.content.decode()
    access = PersonalDataAccess.objects.get()
    assert access.user == city_org
    assert (access.model, access.object_id, access.field) == (
        "orgs.RoleAssignment",
        str(street_a_assignment.pk),
        "phone",
    )
    assert access.ip_address == "127.0.0.1"


def test_each_reveal_is_logged_again(city_org, street_a_assignment, client_for):
    grant_personal_data_permission(city_org)
    client = client_for(city_org)

    client.post(reveal_url(street_a_assignment))
    client.post(reveal_url(street_a_assignment))

    assert PersonalDataAccess.objects.filter(user=city_org).count() == 2


def test_the_reveal_endpoint_refuses_a_get(city_org, street_a_assignment, client_for):
    grant_personal_data_permission(city_org)

    response = client_for(city_org).get(reveal_url(street_a_assignment))

    assert response.status_code == 405
    assert WHOLE not in response.content.decode()
    assert PersonalDataAccess.objects.count() == 0


def test_the_reveal_endpoint_refuses_a_user_without_the_permission(city_org, street_a_assignment, client_for):
    response = client_for(city_org).post(reveal_url(street_a_assignment))

    assert response.status_code == 404
    assert WHOLE not in response.content.decode()
    assert PersonalDataAccess.objects.count() == 0


def test_the_reveal_endpoint_answers_404_out_of_scope_and_logs_nothing(street_b, street_a_assignment, client_for):
    grant_personal_data_permission(street_b)

    response = client_for(street_b).post(reveal_url(street_a_assignment))

    assert response.status_code == 404
    assert WHOLE not in response.content.decode()
    assert PersonalDataAccess.objects.count() == 0


@pytest.mark.parametrize(
    "model, field",
    [
        ("orgs.roleassignment", "user"),
        ("orgs.user", "password"),
        ("core.personaldataaccess", "field"),
        ("nope.nope", "x"),
    ],
)
def test_the_reveal_endpoint_answers_404_for_anything_but_a_personal_data_field(
    model, field, city_org, street_a_assignment, client_for
):
    grant_personal_data_permission(city_org)
    url = reverse("core:reveal_personal_data", kwargs={"model": model, "pk": street_a_assignment.pk, "field": field})

    response = client_for(city_org).post(url)

    assert response.status_code == 404
    assert PersonalDataAccess.objects.count() == 0


def test_the_reveal_endpoint_sends_an_anonymous_visitor_to_login(street_a_assignment, client):
    response = client.post(reveal_url(street_a_assignment))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert PersonalDataAccess.objects.count() == 0


# --- mask -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, masked",
    [
        ("13912345678", "139****5678"),
        ("13800001234", "138****1234"),
        ("0431-88881234", "043****1234"),
        ("22010419900101123X", "220104********123X"),
        ("220104199001011234", "220104********1234"),
        ("12345", "*****"),
        ("1", "*"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask(value, masked):
    assert mask(value) == masked


def test_mask_never_shows_the_middle_of_a_phone_number():
    assert "1234" not in mask("13912345678")
    assert "8888" not in mask("0431-88881234")


def test_mask_hides_the_birth_date_of_an_id_number():
    assert "19900101" not in mask("22010419900101123X")
