"""The rules of an organisation and an in-service member, kept alike by the form and the API
(issue #15, findings 13 and 19): no loop of parents from any path, and a walk up the parents
that ends even when the data holds a loop; a secretary from the organisation's own members; a
grid that is a grid."""

import contextlib
import signal

from django.urls import reverse

from party import queries
from party.choices import OrgKind
from party.models import InServiceMember, PartyOrganisation

from .conftest import COMMUNITY_A1, GRID_A1, STREET_A


@contextlib.contextmanager
def answered_within(seconds):
    """Fails the test instead of hanging when the block runs longer than `seconds`."""

    def give_up(signum, frame):
        raise TimeoutError(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def patch(client, organisation, **data):
    return client.patch(f"/api/party-organisations/{organisation.pk}/", data, content_type="application/json")


def make_loop(party):
    """Street A's committee and its community committee each the other's parent, as the API
    could write before (data written then is still there)."""
    PartyOrganisation.objects.filter(pk=party["street_a"].pk).update(parent=party["community_a1"])
    return party["street_a"], party["community_a1"]


# --- finding 13: no loop -------------------------------------------------------------------------


def test_the_api_refuses_an_organisation_as_its_own_parent(party, street_a, client_for):
    response = patch(client_for(street_a), party["street_a"], parent=party["street_a"].name)

    assert response.status_code == 400
    assert "上级党组织不能是它自己或它的下级" in response.json()["parent"][0]
    assert PartyOrganisation.objects.get(pk=party["street_a"].pk).parent is None


def test_the_api_refuses_an_organisation_under_its_own_grandchild(party, street_a, client_for):
    response = patch(client_for(street_a), party["street_a"], parent=party["grid_a1"].name)

    assert response.status_code == 400
    assert PartyOrganisation.objects.get(pk=party["street_a"].pk).parent is None


def test_a_save_refuses_a_loop_even_past_the_form(party, street_a):
    from django.core.exceptions import ValidationError
    from django.db import transaction

    street = party["street_a"]
    street.parent = party["grid_a1"]
    try:
        with transaction.atomic():
            street.save()
        raised = False
    except ValidationError:
        raised = True

    assert raised
    assert PartyOrganisation.objects.get(pk=street.pk).parent is None


def test_editing_an_organisation_below_a_loop_answers(party, street_a, client_for):
    make_loop(party)

    with answered_within(10):
        response = client_for(street_a).post(
            reverse("party:partyorganisation_edit", args=[party["grid_a1"].pk]),
            {
                "name": "A1社区第1网格党支部",
                "kind": OrgKind.GRID_BRANCH,
                "area": GRID_A1,
                "parent": party["community_a1"].pk,
                "note": "改了备注",
            },
        )

    assert response.status_code == 302
    assert PartyOrganisation.objects.get(pk=party["grid_a1"].pk).note == "改了备注"


def test_editing_an_organisation_of_a_loop_answers_and_may_break_it(party, street_a, client_for):
    street, community = make_loop(party)

    with answered_within(10):
        kept = client_for(street_a).post(
            reverse("party:partyorganisation_edit", args=[community.pk]),
            {"name": community.name, "kind": community.kind, "area": COMMUNITY_A1, "parent": street.pk},
        )
        broken = client_for(street_a).post(
            reverse("party:partyorganisation_edit", args=[street.pk]),
            {"name": street.name, "kind": street.kind, "area": STREET_A, "parent": ""},
        )

    assert "上级党组织不能是它自己或它的下级" in kept.content.decode()
    assert broken.status_code == 302
    assert PartyOrganisation.objects.get(pk=street.pk).parent is None


def test_the_chart_shows_the_organisations_of_a_loop(party, street_a, client_for):
    street, community = make_loop(party)

    with answered_within(10):
        html = client_for(street_a).get(reverse("party:party_chart", args=[STREET_A])).content.decode()

    for organisation in (street, community, party["grid_a1"]):
        assert html.count(f">{organisation.name}</a>") == 1, organisation.name


def test_the_chart_places_each_organisation_once(party, street_a):
    make_loop(party)

    chart, _shallow = queries.chart(party["street_a"].area, street_a)

    def walk(branch):
        for organisation, children in branch:
            yield organisation.pk
            yield from walk(children)

    shown = list(walk(chart))
    assert sorted(shown) == sorted({party["street_a"].pk, party["community_a1"].pk, party["grid_a1"].pk})


# --- finding 19: the API refuses what the form refuses -------------------------------------------


def test_the_api_refuses_a_secretary_from_another_organisation(party, street_a, client_for):
    response = patch(client_for(street_a), party["community_a1"], secretary=party["zhang"].pk)

    assert response.status_code == 400
    assert "须是本组织的党员" in response.json()["secretary"][0]
    assert PartyOrganisation.objects.get(pk=party["community_a1"].pk).secretary is None


def test_the_api_accepts_a_secretary_among_the_members(party, street_a, client_for):
    response = patch(client_for(street_a), party["grid_a1"], secretary=party["zhang"].pk)

    assert response.status_code == 200, response.content
    assert PartyOrganisation.objects.get(pk=party["grid_a1"].pk).secretary == party["zhang"]


def test_the_api_refuses_an_election_before_the_term_began(party, street_a, client_for):
    response = patch(
        client_for(street_a), party["grid_a1"], term_started_on="2025-06-01", next_election_on="2024-06-01"
    )

    assert response.status_code == 400 and "下次换届日期须晚于" in response.content.decode()


def test_the_form_and_the_api_refuse_a_units_code_as_the_grid_of_an_in_service_member(party, community_a1, client_for):
    client = client_for(community_a1)
    unit_code = "22010400100100100101"
    by_api = client.patch(
        f"/api/in-service-members/{party['zhao'].pk}/", {"grid": unit_code}, content_type="application/json"
    )
    by_form = client.post(
        reverse("party:inservicemember_edit", args=[party["zhao"].pk]),
        {
            "name": "赵在职",
            "unit": party["unit"].pk,
            "community": COMMUNITY_A1,
            "grid": unit_code,
            "reported_on": "2026-01-05",
        },
    )

    assert by_api.status_code == 400 and "分配网格须是网格" in by_api.json()["grid"][0]
    assert "分配网格须是网格" in by_form.content.decode()
    assert InServiceMember.objects.get(pk=party["zhao"].pk).grid.code == GRID_A1
