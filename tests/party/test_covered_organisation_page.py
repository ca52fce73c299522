"""An industry committee or an alliance seen through an area it covers (issue #15, finding 14):
its page names only the members and meetings its viewer may open, and counts the others."""

import pytest

from orgs.models import Area
from party.choices import MeetingKind, OrgKind
from party.models import Meeting, PartyMember, PartyOrganisation

from .conftest import STREET_A


@pytest.fixture
def industry(party):
    """The district's property-services committee, covering street A; its members and meetings
    are kept by the district."""
    committee = PartyOrganisation.objects.create(
        name="朝阳区物业服务行业党委", kind=OrgKind.INDUSTRY_COMMITTEE, area=Area.objects.get(code="220104")
    )
    committee.covered_areas.set([Area.objects.get(code=STREET_A)])
    PartyMember.objects.create(name="行业甲", organisation=committee)
    PartyMember.objects.create(name="行业乙", organisation=committee)
    Meeting.objects.create(organisation=committee, kind=MeetingKind.PARTY_LECTURE, topic="行业党课：物业服务")
    return committee


def test_street_a_sees_the_committee_but_no_name_or_topic_it_could_not_open(industry, street_a, client_for):
    client = client_for(street_a)

    response = client.get(industry.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200 and "朝阳区物业服务行业党委" in html
    assert "行业甲" not in html and "行业乙" not in html
    assert "行业党课" not in html
    assert "另有 2 名党员不在您的管辖范围内" in html
    assert "另有 1 次组织生活不在您的管辖范围内" in html
    assert "变更记录" not in html  # its changes would name its members
    member = PartyMember.objects.get(name="行业甲")
    assert client.get(member.get_absolute_url()).status_code == 404  # what the page would have linked


def test_the_district_that_keeps_the_committee_sees_every_name(industry, city_org, client_for):
    html = client_for(city_org).get(industry.get_absolute_url()).content.decode()

    assert "行业甲" in html and "行业乙" in html and "行业党课：物业服务" in html
    assert "不在您的管辖范围内" not in html
    assert "变更记录" in html


def test_a_committee_kept_beyond_the_viewers_scope_is_counted_not_called_unrecorded(industry, street_a, client_for):
    industry.committee.set(PartyMember.objects.filter(organisation=industry))

    html = client_for(street_a).get(industry.get_absolute_url()).content.decode()

    committee = html[html.index("支委会（党委会）成员") :]
    committee = committee[: committee.index("</div>")]
    assert "尚未登记" not in committee and "行业甲" not in committee
    assert "2 名不在您的管辖范围内" in committee
