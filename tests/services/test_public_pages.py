"""Each street's and community's current lists on a public page: read without logging in, nothing
unpublished, nobody's name, printable; an unknown code (or an area that keeps no lists) is 404."""

import pytest
from django.test import Client
from django.urls import reverse

from .conftest import COMMUNITY_A1, COMMUNITY_B1, STREET_A

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_reads_a_communitys_current_lists(lists, community_a1):
    lists["current"].by = community_a1
    lists["current"].save()

    response = Client().get(reverse("services:public_lists", args=[COMMUNITY_A1]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "社区工作事项准入清单" in page and "公共服务事项清单" in page
    assert "老年人优待证办理" in page and "身份证、户口簿、近期照片" in page and "5个工作日" in page
    assert "未发布的草稿事项" not in page  # the draft
    assert "协助开展报刊征订" not in page  # the superseded version
    assert "community_a1" not in page  # who published it is nobody's business here
    assert "data-print" in page and "打印" in page


def test_a_streets_page_links_its_communities(lists):
    page = Client().get(reverse("services:public_lists", args=[STREET_A])).content.decode()

    assert "街道权责清单" in page and "组织开展基层党组织建设工作" in page
    assert reverse("services:public_lists", args=[COMMUNITY_A1]) in page


@pytest.mark.parametrize("code", ["999999999", "220104001001001"])
def test_an_unknown_or_a_grid_code_is_404(lists, code):
    assert Client().get(reverse("services:public_lists", args=[code])).status_code == 404


def test_the_public_index_groups_every_current_list_by_district_and_street(
    lists, community_a1, django_assert_max_num_queries
):
    lists["current"].by = community_a1
    lists["current"].save()

    with django_assert_max_num_queries(3):  # the versions, the streets above them; no session for a visitor
        response = Client().get(reverse("services:public_index"))

    page = response.content.decode().split("<main")[1].split("</main>")[0]
    assert response.status_code == 200 and "data-print" in page
    assert "长春市朝阳区" in page
    assert page.index("前进街道") < page.index("A1社区") < page.index("桂林街道") < page.index("B1社区")
    for code in (STREET_A, COMMUNITY_A1, COMMUNITY_B1):
        assert reverse("services:public_lists", args=[code]) in page
    assert "社区工作事项准入清单 第2版 2 项" in page  # the current version, not the superseded first
    assert "公共服务事项清单 第1版 1 项" in page and "第2版 1 项" not in page.split("公共服务事项清单")[1][:20]
    assert "A2社区" not in page  # no list published there
    assert "community_a1" not in page and "13912345678" not in page


def test_each_public_list_page_links_the_index(lists):
    page = Client().get(reverse("services:public_lists", args=[COMMUNITY_A1])).content.decode()

    assert reverse("services:public_index") in page
