"""The gap list of 在职党员报到服务率 (issue #15, items 3 and 4): the rate counts only services the
community confirmed, so the members its 查看当前差距 link lists are those without a confirmed
service this quarter — a member whose only service still waits for confirmation is among them."""

from django.utils import timezone

from core.calendar import Quarter
from core.registry import registry
from orgs.models import Area
from party.indicators import in_service_active
from party.models import InServiceMember

from .conftest import COMMUNITY_A1


def test_the_gap_link_lists_a_member_whose_only_service_is_unconfirmed(party, community_a1, client_for):
    community = Area.objects.get(code=COMMUNITY_A1)
    assert not party["service"].confirmed  # 赵在职 logged a service this quarter, not yet confirmed
    source = registry.indicator_sources["orgs.in_service_active"]

    response = client_for(community_a1).get(source.current_gaps_url(community))

    listed = [m.name for m in response.context["object_list"]]
    assert listed == ["赵在职"]
    page = response.content.decode()
    assert "无社区确认的服务" in page


def test_the_gap_list_counts_what_the_rate_misses(party, community_a1, client_for):
    community = Area.objects.get(code=COMMUNITY_A1)
    InServiceMember.objects.create(name="孙未服务", unit=party["unit"], community=community)
    source = registry.indicator_sources["orgs.in_service_active"]
    quarter = Quarter.of(timezone.localdate())
    start, end = quarter.start, quarter.end
    numerator, denominator = in_service_active(community.level, start, end)[community.pk]

    listed = client_for(community_a1).get(source.current_gaps_url(community)).context["object_list"]

    assert len(listed) == denominator - numerator == 2
