"""Issue #15, defect 21: a granter manages the users whose roles lie strictly below its own and
grants roles strictly below its own; the same level is the level above's to manage. A district's
组织部 neither resets its peer's password, nor deactivates it, nor grants its own role over its
own district: one compromised account does not take over the others."""

import pytest
from django.urls import reverse

from orgs.choices import Role
from orgs.models import RoleAssignment, User
from tests.conftest import PASSWORD, make_user

DISTRICT = "220104"


@pytest.fixture
def district_org(areas):
    return make_user("district_org", Role.ORG_DEPARTMENT, areas[DISTRICT], last_name="朝阳", first_name="组织部")


@pytest.fixture
def district_peer(areas):
    return make_user("district_peer", Role.ORG_DEPARTMENT, areas[DISTRICT], last_name="朝阳", first_name="同事")


@pytest.fixture
def district_bureau(areas):
    return make_user("district_bureau", Role.DEPARTMENT, areas[DISTRICT], last_name="区", first_name="住建局")


def roles():
    return list(RoleAssignment.objects.order_by("pk").values_list("user_id", "area__code", "role"))


def test_a_district_cannot_reset_its_peers_password(areas, district_org, district_peer, client_for):
    client = client_for(district_org)

    asked = client.get(reverse("orgs:user_password", args=[district_peer.pk]))
    posted = client.post(
        reverse("orgs:user_password", args=[district_peer.pk]),
        {"new_password1": "taken-over-pw-99", "new_password2": "taken-over-pw-99"},
    )

    assert asked.status_code == 404 and posted.status_code == 404
    district_peer.refresh_from_db()
    assert district_peer.check_password(PASSWORD)


def test_a_district_cannot_deactivate_a_department_of_its_own_level(areas, district_org, district_bureau, client_for):
    response = client_for(district_org).post(reverse("orgs:user_active", args=[district_bureau.pk]))

    assert response.status_code == 404
    district_bureau.refresh_from_db()
    assert district_bureau.is_active


def test_a_district_cannot_grant_its_own_role_over_its_own_district(areas, district_org, street_a, client_for):
    before = roles()

    response = client_for(district_org).post(
        reverse("orgs:role_create"), {"user": street_a.pk, "area_code": DISTRICT, "role": Role.ORG_DEPARTMENT}
    )

    assert response.status_code == 200  # the form again, with the refusal
    assert "无权在该区划授权" in response.content.decode()
    assert roles() == before


def test_a_district_cannot_create_a_user_with_its_own_role_over_its_district(areas, district_org, client_for):
    response = client_for(district_org).post(
        reverse("orgs:user_create"),
        {
            "username": "second_admin",
            "name": "钱二",
            "role": Role.ORG_DEPARTMENT,
            "area_code": DISTRICT,
            "password1": "first-login-pw-77",
            "password2": "first-login-pw-77",
        },
    )

    assert response.status_code == 200
    assert not User.objects.filter(username="second_admin").exists()


def test_the_api_refuses_a_grant_at_the_granters_own_level(areas, district_org, street_a, client_for):
    before = roles()

    response = client_for(district_org).post(
        "/api/role-assignments/",
        {"user": street_a.pk, "area": DISTRICT, "role": Role.DEPARTMENT},
        content_type="application/json",
    )

    assert response.status_code in (400, 403, 404)
    assert roles() == before


def test_the_district_neither_lists_its_peers_nor_shows_them(areas, district_org, district_peer, street_a, client_for):
    client = client_for(district_org)

    listing = client.get(reverse("orgs:user_list"), {"status": "all"}).content.decode()

    assert "street_a" in listing
    assert "district_peer" not in listing
    assert client.get(reverse("orgs:user_detail", args=[district_peer.pk])).status_code == 404


def test_the_district_offers_no_grant_reset_or_deactivate_for_a_user_serving_also_elsewhere(
    areas, district_org, client_for
):
    both = make_user("both", Role.COMMUNITY_CADRE, areas["220104001001"])
    RoleAssignment.objects.create(user=both, area=areas[DISTRICT], role=Role.DEPARTMENT)

    html = client_for(district_org).get(reverse("orgs:user_detail", args=[both.pk])).content.decode()

    assert reverse("orgs:user_password", args=[both.pk]) not in html
    assert reverse("orgs:user_active", args=[both.pk]) not in html
    assert f"{reverse('orgs:role_create')}?user={both.pk}" not in html


def test_the_city_manages_the_district_and_grants_at_the_district(areas, city_org, district_org, street_a, client_for):
    client = client_for(city_org)

    client.post(
        reverse("orgs:user_password", args=[district_org.pk]),
        {"new_password1": "reset-by-city-55", "new_password2": "reset-by-city-55"},
    )
    # (a 职能部门 role would also name its department since issue 16: the district's 组织部 here)
    client.post(reverse("orgs:role_create"), {"user": street_a.pk, "area_code": DISTRICT, "role": Role.ORG_DEPARTMENT})

    district_org.refresh_from_db()
    assert district_org.check_password("reset-by-city-55")
    assert RoleAssignment.objects.filter(user=street_a, area__code=DISTRICT, role=Role.ORG_DEPARTMENT).exists()


def test_the_city_cannot_grant_over_the_city_itself(areas, city_org, street_a, client_for):
    before = roles()

    client_for(city_org).post(
        reverse("orgs:role_create"), {"user": street_a.pk, "area_code": "2201", "role": Role.ORG_DEPARTMENT}
    )

    assert roles() == before


def test_the_district_still_manages_the_streets_below_it(areas, district_org, street_a, client_for):
    client = client_for(district_org)

    detail = client.get(reverse("orgs:user_detail", args=[street_a.pk])).content.decode()
    client.post(reverse("orgs:user_active", args=[street_a.pk]))

    assert reverse("orgs:user_password", args=[street_a.pk]) in detail
    street_a.refresh_from_db()
    assert not street_a.is_active


def test_the_api_grants_no_role_to_a_user_who_also_serves_out_of_reach(areas, district_org, client_for):
    both = make_user("both", Role.COMMUNITY_CADRE, areas["220104001001"])
    RoleAssignment.objects.create(user=both, area=areas[DISTRICT], role=Role.DEPARTMENT)
    before = roles()

    api = client_for(district_org).post(
        "/api/role-assignments/",
        {"user": both.pk, "area": "220104001002", "role": Role.COMMUNITY_CADRE},
        content_type="application/json",
    )
    page = client_for(district_org).post(
        reverse("orgs:role_create"), {"user": both.pk, "area_code": "220104001", "role": Role.DEPARTMENT}
    )

    assert api.status_code == 400 and page.status_code == 200
    assert roles() == before
