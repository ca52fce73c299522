"""The home page's 人员名册最近的变更: the latest appointments inside the user's scope only."""

import pytest
from django.urls import reverse

from grids.choices import Post
from tests.conftest import make_user

GRID_B1 = "220104002001001"


@pytest.fixture
def appointed_in_b(holder):
    return holder(GRID_B1, Post.GRID_HEAD, "赵红梅", phone="13700000021")


def home(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_an_appointment_in_street_b_shows_to_street_b_and_the_city(appointed_in_b, street_b, city_org, client_for):
    for user in (street_b, city_org):
        html = home(client_for(user))
        assert "人员名册最近的变更" in html
        assert "任命赵红梅为网格长" in html


def test_street_a_and_a_user_without_scope_see_nothing_of_it(appointed_in_b, street_a, areas, client_for):
    nobody = make_user("nobody", None, None)

    for user in (street_a, nobody):
        html = home(client_for(user))
        assert "赵红梅" not in html
        assert "人员名册最近的变更" not in html  # no changes in scope: no card
