"""经费 where users look: the home tiles (communities below a minimum, for who allocates; communities
without a notice this quarter, for who publishes), the area page's 经费 card with the year's money,
its execution rate and what is missing, and the menu's 项目与经费 entries — each only for who may."""

import pytest
from django.urls import reverse

from .funding_cast import A1, STREET_A, community_a1_fixture, funds_fixture, minzheng_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def widget(client, name):
    """The tile's HTML; "" when it has nothing for the user or is not theirs at all (404)."""
    response = client.get(reverse("core:home_widget", args=[name]))
    assert response.status_code in (200, 404)
    return response.content.decode() if response.status_code == 200 else ""


def test_the_street_sees_its_communities_below_a_minimum_and_without_a_notice(funds, street_a, client_for):
    client = client_for(street_a)

    below = widget(client, "funds_below_minimum")
    unpublished = widget(client, "funds_notices_unpublished")

    assert "A2社区" in below and "服务群众专项经费已拨 0.00 元，低于最低标准 100,000.00 元" in below
    assert "A1社区" not in below  # at both minimums
    assert "A2社区" in unpublished and "A1社区" not in unpublished  # A1 published this quarter
    assert "B1社区" not in below + unpublished  # street B's


def test_a_community_is_told_of_its_own_notice_only_and_a_department_of_nothing(
    funds, community_a1, minzheng, client_for
):
    assert widget(client_for(community_a1), "funds_below_minimum").strip() == ""  # it does not allocate
    assert widget(client_for(community_a1), "funds_notices_unpublished").strip() == ""  # A1 has published
    for name in ("funds_below_minimum", "funds_notices_unpublished"):
        assert widget(client_for(minzheng), name).strip() == ""


def test_the_area_card_shows_the_years_money_and_rate(funds, street_a, community_a1, client_for):
    community = client_for(community_a1).get(reverse("funds:funding_area_panel", args=[A1])).content.decode()
    street = client_for(street_a).get(reverse("funds:funding_area_panel", args=[STREET_A])).content.decode()

    assert "服务群众专项经费" in community and "100,000.00" in community and "30,000.50" in community
    assert "执行率 20.0%" in community  # 30,000.50 of 150,000
    assert reverse("funds:public_notice", args=[A1]) in community
    assert "尚未公示的社区 1 个" in street  # A2


def test_the_area_page_leaves_the_card_a_place_and_the_menu_its_entries(funds, community_a1, minzheng, client_for):
    area_page = client_for(community_a1).get(reverse("orgs:area_detail", args=[A1])).content.decode()
    home = client_for(community_a1).get("/").content.decode()
    outsider_home = client_for(minzheng).get("/").content.decode()

    assert reverse("funds:funding_area_panel", args=[A1]) in area_page
    assert "项目与经费" in home and reverse("funds:expenditure_list") in home
    assert reverse("funds:expenditure_list") not in outsider_home
