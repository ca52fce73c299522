"""What 党群服务阵地 counts: the party's meetings held at a venue (those of the organisations of its
subtree whose place is its name, never typed twice), the meeting form's place offering the venues'
names (core.registry, party importing nothing of the workforce), the assessment's
党群服务阵地规范化达标率 for streets and communities in one query, the area page's card and the
home tile of the venues out of standard."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.registry import registry
from orgs.choices import AreaLevel
from workforce.indicators_venues import compliance
from workforce.views_venues import meetings_held

from .venues_cast import (  # noqa: F401  (fixtures)
    A1,
    A2,
    B1,
    STREET_A,
    STREET_B,
    community_a1_fixture,
    minzheng_fixture,
    venues_fixture,
)

pytestmark = pytest.mark.django_db


def test_the_meetings_held_at_a_venue_are_those_of_its_subtree_at_its_name(venues, community_a1):
    count, latest = meetings_held(venues["station"], community_a1)

    assert count == 2  # this year's two; not last year's, not the 党课 elsewhere, not B1's of the same name
    assert [m.topic for m in latest] == ["支部党员大会", "支部党员大会", "去年的党员大会"]
    assert meetings_held(venues["centre"], community_a1)[0] == 0


def test_the_venue_page_shows_the_count_and_links_the_meetings(venues, community_a1, client_for):
    response = client_for(community_a1).get(venues["station"].get_absolute_url())

    text = response.content.decode()
    assert f"{timezone.localdate().year}年 2 次" in text
    assert venues["meetings"][0].get_absolute_url() in text
    assert "缺管理制度" in text


def test_the_meeting_form_offers_the_venues_at_or_above_its_organisation(venues, community_a1, client_for):
    url = reverse("party:meeting_add") + f"?organisation={venues['branch'].pk}"

    response = client_for(community_a1).get(url)

    text = response.content.decode()
    assert "<datalist" in text
    for name in ("A1社区党群服务站", "前进街道党群服务中心"):
        assert f'<option value="{name}">' in text
    assert "B1社区党群服务站" not in text
    assert registry.places_for(community_a1, venues["branch"].area)[0] == "A1社区党群服务站"


def test_the_compliance_rate_of_every_street_and_community_in_one_query(venues, areas):
    with CaptureQueriesContext(connection) as queries:
        figures = compliance([AreaLevel.STREET, AreaLevel.COMMUNITY], datetime.date(2026, 1, 1), timezone.localdate())

    assert len(queries) == 1
    one_by_one = {**compliance(AreaLevel.STREET), **compliance(AreaLevel.COMMUNITY)}
    assert figures == one_by_one
    # street A: its centre, A1's station (short) and A1's grid post; A1: its station and the post
    assert figures[areas[STREET_A].pk] == (2, 3)
    assert figures[areas[A1].pk] == (1, 2)
    assert figures[areas[B1].pk] == (1, 1)
    assert figures[areas[STREET_B].pk] == (1, 1)
    assert areas[A2].pk not in figures  # no venue: no denominator
    source = registry.indicator_sources["workforce.venue_compliance"]
    assert str(source.label) == "党群服务阵地规范化达标率"
    assert (str(source.numerator_label), str(source.denominator_label)) == ("达标阵地", "阵地")


def test_the_area_card_and_the_home_tile_name_what_is_short(venues, street_a, client_for):
    client = client_for(street_a)

    card = client.get(reverse("workforce:venues_area_panel", args=[STREET_A])).content.decode()
    tile = client.get(reverse("core:home_widget", args=["workforce_venues_short"])).content.decode()
    page = client.get(reverse("orgs:area_detail", args=[A1])).content.decode()

    assert "规范化达标 2/3（67%）" in card and "缺管理制度" in card and "示范点 2 个" in card
    assert "A1社区党群服务站" in tile and "低于社区党群服务站标准 200 平方米" in tile
    assert reverse("workforce:venues_area_panel", args=[A1]) in page
    a1_card = client.get(reverse("workforce:venues_area_panel", args=[A1])).content.decode()
    assert "市级红色物业示范点" in a1_card and "市级红色物业示范点" not in page  # A1's own title, in its card


def test_the_sites_are_counted_per_district(venues, city_org, client_for):
    response = client_for(city_org).get(reverse("workforce:sites_by_district"))

    rows = response.context["rows"]
    assert [(r["district"].name, r["levels"], r["total"]) for r in rows] == [("朝阳区", [0, 0, 1, 1], 2)]


def test_the_menu_and_the_tile_show_only_to_who_may_use_them(venues, community_a1, city_org, minzheng, rf):
    from django.utils.translation import gettext as _

    def labels(user):
        return {str(item.label) for item in registry.menu_for(user) if str(item.section) == _("阵地与街巷")}

    entries = {"党群服务阵地", "示范点", "未达标阵地", "示范点分区统计", "街长路长巷长"}
    assert labels(community_a1) == labels(city_org) == entries
    assert labels(minzheng) == set()
    tile = next(w for w in registry.widgets if w.name == "workforce_venues_short")
    for user, shown in ((community_a1, True), (city_org, False), (minzheng, False)):
        request = rf.get("/")
        request.user = user
        assert tile.visible(request) is shown
    figure = next(f for f in registry.figures if f.key == "workforce.venue_compliance")
    assert figure.share and figure.live(venues["station"].area) == (1, 2)
