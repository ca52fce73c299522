"""The party organisation list and its API count members for the page's rows only, and reach the
organisations an area leads or is covered by without multiplying them (issue #17): the number of
queries does not grow with the members, and the counts stay exact."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orgs.models import Area
from party.choices import OrgKind
from party.models import PartyMember, PartyOrganisation

from .conftest import COMMUNITY_A1, STREET_A

LIST = "/party/organisations/"
API = "/api/party-organisations/"


@pytest.fixture
def committee(party):
    """A district committee covering street A and one of its communities (two covered areas in
    street A's scope: still one row)."""
    committee = PartyOrganisation.objects.create(
        name="朝阳区物业服务行业党委", kind=OrgKind.INDUSTRY_COMMITTEE, area=Area.objects.get(code="220104")
    )
    committee.covered_areas.set(Area.objects.filter(code__in=[STREET_A, COMMUNITY_A1]))
    PartyMember.objects.create(name="行业甲", organisation=committee)
    PartyMember.objects.create(name="行业乙", organisation=committee)
    return committee


def queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("url", [LIST, API])
def test_the_query_count_does_not_grow_with_the_members(url, party, committee, street_a, client_for):
    client = client_for(street_a)
    client.get(url)  # warm the per-user caches
    before = queries(client, url)
    PartyMember.objects.bulk_create(
        PartyMember(name=f"党员{n}", organisation=organisation)
        for organisation in (party["street_a"], party["grid_a1"], committee)
        for n in range(30)
    )

    assert queries(client, url) == before


def test_a_covered_committee_is_listed_once_with_its_exact_member_count(party, committee, street_a, client_for):
    rows = client_for(street_a).get(API).json()["results"]

    names = [row["name"] for row in rows]
    assert names.count("朝阳区物业服务行业党委") == 1  # covers two areas of the scope, listed once
    assert "桂林街道大工委" not in names  # street B's, out of scope
    counts = {row["name"]: row["member_count"] for row in rows}
    assert counts["朝阳区物业服务行业党委"] == 2
    assert counts["前进街道大工委"] == PartyMember.objects.filter(organisation=party["street_a"]).count()


def test_the_list_page_counts_each_organisations_members(party, committee, street_a, client_for):
    PartyMember.objects.bulk_create(PartyMember(name=f"党员{n}", organisation=committee) for n in range(7))

    html = client_for(street_a).get(LIST).content.decode()

    assert "朝阳区物业服务行业党委" in html
    row = html.split("朝阳区物业服务行业党委", 1)[1].split("</tr>", 1)[0]
    assert ">9<" in row  # 2 + 7 members
