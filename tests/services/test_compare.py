"""Two versions of a list side by side: the items added, removed and changed, matched by name."""

import pytest
from django.test import Client
from django.urls import reverse

from services.compare import compare

pytestmark = pytest.mark.django_db


def test_added_removed_and_changed_items_are_told_apart(lists):
    result = compare(lists["old"], lists["current"])

    assert [item.name for item in result.added] == ["协助受理高龄津贴申请"]
    assert [item.name for item in result.removed] == ["协助开展报刊征订"]
    assert [(change.name, change.fields) for change in result.changed] == [
        ("组织社区协商议事", [("法律依据", "", "《城市居民委员会组织法》")])
    ]
    assert result.unchanged == 0


def test_a_version_compared_with_itself_differs_in_nothing(lists):
    result = compare(lists["current"], lists["current"])

    assert not result.differs and result.unchanged == 2


def test_the_page_shows_both_versions_side_by_side(lists, street_a, street_b):
    client = Client()
    client.force_login(street_a)
    url = reverse("services:servicelist_compare", args=[lists["admission"].pk])

    page = client.get(url, {"old": 1, "new": 2}).content.decode()

    assert "新增 1 项，删除 1 项，修改 1 项" in page
    assert "协助开展报刊征订" in page and "《城市居民委员会组织法》" in page
    client.force_login(street_b)
    assert client.get(url).status_code == 404
