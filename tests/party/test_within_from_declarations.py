"""区划代码（含下级） (`within`) on every party list is the kit's (core.filters): by the model's
scope_path (members, meetings) or, for a model whose scope is a hook, by its declared
within_paths (organisations, registrations, in-service members) — the same label and query
parameter on the page and in the API as the hand-written filter had."""

import pytest
from django.urls import reverse

from party import filters
from party.models import InServiceMember
from party.queries import in_service_within

from .conftest import COMMUNITY_B1, GRID_A1, STREET_A, STREET_B

# list page, API path, the party fixture's records of street A, of street B (by name)
LISTS = {
    "partyorganisation": (
        "/api/party-organisations/",
        "name",
        {"前进街道大工委", "A1社区大党委", "A1社区第1网格党支部"},
        {"桂林街道大工委", "B1社区第1网格党支部"},
    ),
    "partymember": ("/api/party-members/", "name", {"张党员", "李预备"}, {"王党员"}),
    "meeting": ("/api/meetings/", "topic", {"主题党日：清理楼道"}, {"B主题党日"}),
    "unitregistration": ("/api/unit-registrations/", "unit", {"市住建局"}, {"市卫健委"}),
    "inservicemember": ("/api/in-service-members/", "name", {"赵在职"}, {"钱在职"}),
}


@pytest.mark.parametrize("model", LISTS)
def test_within_lists_a_streets_subtree_on_the_page_and_in_the_api(model, party, city_org, client_for):
    api_path, key, of_a, of_b = LISTS[model]
    client = client_for(city_org)

    page = client.get(reverse(f"party:{model}_list"), {"within": STREET_A})
    api = client.get(api_path, {"within": STREET_B, "page_size": 100}).json()

    assert "区划代码（含下级）" in page.content.decode()
    assert {str(getattr(row, key)) for row in page.context["object_list"]} == of_a
    assert {row[key] for row in api["results"]} == of_b


def test_the_hand_written_within_is_retired_from_every_party_filterset():
    for filterset in (
        filters.PartyOrganisationFilterSet,
        filters.PartyMemberFilterSet,
        filters.MeetingFilterSet,
        filters.UnitRegistrationFilterSet,
        filters.InServiceMemberFilterSet,
    ):
        within = filterset.base_filters["within"]
        assert getattr(within, "derived", False), filterset
        assert list(filterset.base_filters)[-1] == "within"  # where Meta.fields puts it, as before


def test_an_in_service_member_is_within_the_community_it_reports_to_or_the_grid_it_serves(party):
    reported_to_b = InServiceMember.objects.filter(in_service_within(COMMUNITY_B1))
    serving_a1 = InServiceMember.objects.filter(in_service_within(GRID_A1))

    assert [m.name for m in reported_to_b] == ["钱在职"]
    assert [m.name for m in serving_a1] == ["赵在职"]  # assigned to grid A1, reported to community A1
