"""No form offers a <select> of more choices than a person can read: a scoped choice field past
CHOICE_LIST_BOUND is a search-as-you-type picker (core.forms.ChoicePicker) served by core:pick,
scoped by the form's action; below the bound it stays a <select>. The browsable API cuts its
related fields' choices at the same bound (DRF's html_cutoff)."""

import pytest
from django.urls import reverse

from core.forms import ChoicePicker
from party.forms import PartyMemberForm
from party.models import PartyMember, PartyOrganisation
from tests.conftest import make_user
from tests.grids.test_roster_loop_in_the_browser import log_in
from tests.party.conftest import party, unit_user  # noqa: F401  (the party's cast)


def test_below_the_bound_a_select_past_it_a_picker(party, street_a, settings):  # noqa: F811
    settings.CHOICE_LIST_BOUND = 200
    small = PartyMemberForm(user=street_a, action="party.change_party")
    settings.CHOICE_LIST_BOUND = 1
    big = PartyMemberForm(user=street_a, action="party.change_party")

    assert not isinstance(small.fields["organisation"].widget, ChoicePicker)
    assert "<select" in str(small["organisation"]) and "A1社区大党委" in str(small["organisation"])
    assert isinstance(big.fields["organisation"].widget, ChoicePicker)
    html = str(big["organisation"])
    assert "<select" not in html and 'name="organisation_q"' in html and "/pick/party.partyorganisation/" in html
    assert "A1社区大党委" not in html  # nothing listed until something is typed


def test_the_picker_keeps_the_chosen_record_and_saves_it(party, street_a, client_for, settings):  # noqa: F811
    settings.CHOICE_LIST_BOUND = 1
    zhang = party["zhang"]
    client = client_for(street_a)

    page = client.get(reverse("party:partymember_edit", args=[zhang.pk])).content.decode()
    assert f'value="{party["grid_a1"].pk}" checked' in page and '<select name="organisation"' not in page

    response = client.post(
        reverse("party:partymember_edit", args=[zhang.pk]),
        {
            "name": zhang.name,
            "organisation": party["community_a1"].pk,
            "status": "full",
            "households_linked": 0,
            "ethnicity": "汉族",
        },
    )
    assert response.status_code == 302
    assert PartyMember.objects.get(pk=zhang.pk).organisation == party["community_a1"]


def test_a_foreign_record_is_refused_by_the_picker_as_by_the_select(party, street_a, client_for, settings):  # noqa: F811
    settings.CHOICE_LIST_BOUND = 1
    zhang = party["zhang"]

    response = client_for(street_a).post(
        reverse("party:partymember_edit", args=[zhang.pk]),
        {"name": zhang.name, "organisation": party["street_b"].pk, "status": "full", "households_linked": 0},
    )

    assert response.status_code == 200 and "不在您的管辖范围内" in response.content.decode()
    assert PartyMember.objects.get(pk=zhang.pk).organisation == party["grid_a1"]


def test_the_pick_endpoint_lists_only_the_users_scope(party, street_a, street_b, client_for):  # noqa: F811
    url = reverse("core:pick", args=["party.partyorganisation"])
    query = {"name": "organisation", "action": "party.change_party", "organisation_q": "党"}

    mine = client_for(street_a).get(url, query).content.decode()
    theirs = client_for(street_b).get(url, query).content.decode()

    assert "A1社区第1网格党支部" in mine and f'value="{party["grid_a1"].pk}"' in mine
    assert "B1社区第1网格党支部" not in mine and "桂林街道大工委" not in mine
    assert "B1社区第1网格党支部" in theirs and "A1社区" not in theirs


def test_the_pick_endpoint_refuses_the_anonymous_and_what_is_not_scoped(party, street_a, client, client_for):  # noqa: F811
    url = reverse("core:pick", args=["party.partyorganisation"])
    query = {"name": "organisation", "action": "party.change_party", "organisation_q": "党"}

    anonymous = client.get(url, query)
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    signed_in = client_for(street_a)
    assert signed_in.get(reverse("core:pick", args=["auth.user"]), query).status_code == 404
    assert signed_in.get(reverse("core:pick", args=["no.such"]), query).status_code == 404
    assert signed_in.get(url, {**query, "action": "nonsense"}).status_code == 404
    assert signed_in.get(url, {**query, "name": "x;y"}).status_code == 404


def test_the_browsable_api_cuts_its_related_choices_at_the_bound(party):  # noqa: F811
    from django.conf import settings
    from rest_framework.relations import PrimaryKeyRelatedField

    field = PrimaryKeyRelatedField(queryset=PartyOrganisation.objects.all())

    assert field.html_cutoff == settings.CHOICE_LIST_BOUND
    assert len(field.get_choices(cutoff=2)) == 2  # DRF reads no more than the cutoff


@pytest.mark.browser
@pytest.mark.slow
def test_typing_in_the_picker_chooses_an_organisation_and_the_form_saves(
    transactional_db, areas, live_server, browser, settings
):
    from playwright.sync_api import expect

    from orgs.choices import Role
    from party.choices import OrgKind

    settings.CHOICE_LIST_BOUND = 1
    make_user("jiedao_a", Role.STREET_CADRE, areas["220104001"])
    street = PartyOrganisation.objects.create(
        name="前进街道大工委", kind=OrgKind.STREET_COMMITTEE, area=areas["220104001"]
    )
    branch = PartyOrganisation.objects.create(
        name="A1社区第1网格党支部", kind=OrgKind.GRID_BRANCH, area=areas["220104001001001"], parent=street
    )
    member = PartyMember.objects.create(name="张党员", organisation=street)
    page = log_in(browser, live_server.url, "jiedao_a")

    page.goto(f"{live_server.url}{reverse('party:partymember_edit', args=[member.pk])}")
    picker = page.locator("[data-choice-picker]")
    expect(picker.locator("[data-picked-label]")).to_have_text("前进街道大工委")
    page.get_by_label("所在党组织").fill("网格党支部")
    match = picker.locator(".area-choice", has_text="A1社区第1网格党支部")
    match.click()
    expect(picker.locator("[data-picked-label]")).to_have_text("A1社区第1网格党支部")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()

    expect(page.locator("h1")).to_have_text("张党员")
    assert PartyMember.objects.get(pk=member.pk).organisation == branch
