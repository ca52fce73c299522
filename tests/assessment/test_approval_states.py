"""Issue 15, item 7: approval states read true up the tree. Once the district accepts a street, its
communities read 已验收 (with their street), the street has no 退回 left that it may no longer use,
and is told so before it types a reason; the banners say 已上报 once; a return claims no notice
that nobody receives. Item 29: an entered leaf that asks for evidence is saved and submitted only
with it."""

import pytest
from django.urls import reverse

from assessment import approvals
from assessment.models import Approval, Entry, Evidence, Indicator
from tests.assessment.test_entry import PNG, enter, enter_all, submit


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def page(client, code, period):
    return client.get(reverse("assessment:entry", args=[code]) + f"?period={period.pk}").content.decode()


@pytest.fixture
def accepted_street(period, leaves, community_a1, community_a2, street_a, district_org, client_for):
    """Street A with both its communities submitted and accepted by the district."""
    for user, code in ((community_a1, "220104001001"), (community_a2, "220104001002")):
        client = client_for(user)
        enter_all(client, code, leaves, period)
        submit(client, code, period)
    street = client_for(street_a)
    enter_all(street, "220104001", approvals.entered_leaves(period, "street"), period)
    submit(street, "220104001", period)
    client_for(district_org).post(reverse("assessment:entry_accept", args=["220104001"]), {"period": period.pk})
    assert Approval.objects.get(area__code="220104001").status == "accepted"
    return street


def test_after_the_district_accepts_a_street_its_communities_read_accepted(
    accepted_street, period, community_a1, client_for
):
    street_page = page(accepted_street, "220104001", period)

    assert "已上报 0 · 已验收 2 · 共 2" in street_page
    assert "随街道验收" in street_page
    own = page(client_for(community_a1), "220104001001", period)
    assert "随前进街道于" in own and "验收" in own


def test_an_accepted_street_has_no_return_buttons_for_its_communities_and_is_told_before_typing(
    accepted_street, period
):
    street_page = page(accepted_street, "220104001", period)
    assert reverse("assessment:entry_return", args=["220104001001"]) not in street_page

    form = accepted_street.get(
        reverse("assessment:entry_return", args=["220104001001"]) + f"?period={period.pk}", follow=True
    )
    text = form.content.decode()
    assert 'name="reason"' not in text  # not asked for a reason it cannot use
    assert "前进街道已验收，不能再退回其下级" in text


def test_a_street_that_has_submitted_may_not_return_its_communities_either(
    period, leaves, community_a1, community_a2, street_a, client_for
):
    for user, code in ((community_a1, "220104001001"), (community_a2, "220104001002")):
        client = client_for(user)
        enter_all(client, code, leaves, period)
        submit(client, code, period)
    street = client_for(street_a)
    before = page(street, "220104001", period)
    assert reverse("assessment:entry_return", args=["220104001001"]) in before  # may return, before submitting
    enter_all(street, "220104001", approvals.entered_leaves(period, "street"), period)
    submit(street, "220104001", period)

    assert reverse("assessment:entry_return", args=["220104001001"]) not in page(street, "220104001", period)


def test_the_banners_say_submitted_once(period, leaves, community_a1, street_a, client_for):
    a1 = client_for(community_a1)
    enter_all(a1, "220104001001", leaves, period)
    submit(a1, "220104001001", period)

    text = page(a1, "220104001001", period)

    assert "本级已上报，如需修改请由上级退回" in text
    assert "已已" not in text


def test_a_return_does_not_claim_a_notice_nobody_receives(period, leaves, community_a1, street_a, client_for):
    a1 = client_for(community_a1)
    enter_all(a1, "220104001001", leaves, period)
    submit(a1, "220104001001", period)

    response = client_for(street_a).post(
        reverse("assessment:entry_return", args=["220104001001"]),
        {"period": period.pk, "reason": "佐证照片不清晰"},
        follow=True,
    )

    text = response.content.decode()
    assert "已退回A1社区" in text
    assert "告知原因" not in text and "并告知" not in text


def test_accepting_asks_first(period, leaves, community_a1, community_a2, street_a, district_org, client_for):
    for user, code in ((community_a1, "220104001001"), (community_a2, "220104001002")):
        client = client_for(user)
        enter_all(client, code, leaves, period)
        submit(client, code, period)
    street = client_for(street_a)
    enter_all(street, "220104001", approvals.entered_leaves(period, "street"), period)
    submit(street, "220104001", period)
    district = client_for(district_org)

    asked = district.get(reverse("assessment:entry_accept", args=["220104001"]) + f"?period={period.pk}")

    assert asked.status_code == 200
    assert "确认验收" in asked.content.decode()
    assert Approval.objects.get(area__code="220104001").status == "submitted"


# Item 29: required evidence.


def test_a_value_that_asks_for_evidence_is_not_saved_without_it(period, leaves, community_a1, client_for):
    assert all(leaf.evidence_required for leaf in leaves)  # both entered leaves of the default set ask for it
    response = enter(client_for(community_a1), "220104001001", leaves[0], period, 9, 10)

    assert response.status_code == 200
    assert "本指标须上传佐证材料" in response.content.decode()
    assert not Entry.objects.exists()


def test_once_evidence_is_uploaded_a_correction_needs_no_second_file(period, leaves, community_a1, client_for):
    a1 = client_for(community_a1)
    assert enter(a1, "220104001001", leaves[0], period, 9, 10, evidence=PNG).status_code == 302

    assert enter(a1, "220104001001", leaves[0], period, 10, 10).status_code == 302
    assert Entry.objects.get(indicator=leaves[0]).numerator == 10


def test_a_submission_with_a_value_lacking_its_evidence_is_refused_in_chinese(period, leaves, community_a1, client_for):
    a1 = client_for(community_a1)
    enter_all(a1, "220104001001", leaves, period)
    Evidence.objects.filter(entry__indicator=leaves[1]).delete()  # e.g. deleted on the page afterwards

    text = page(a1, "220104001001", period)
    assert "还有指标须上传佐证材料" in text
    assert reverse("assessment:entry_submit", args=["220104001001"]) not in text
    response = submit(a1, "220104001001", period)

    assert f"以下指标须上传佐证材料后才能上报：{leaves[1].name}" in response.content.decode()
    assert not Approval.objects.exists()


def test_a_leaf_that_asks_no_evidence_is_saved_and_submitted_without_it(period, leaves, community_a1, client_for):
    Indicator.objects.filter(pk__in=[leaf.pk for leaf in leaves]).update(evidence_required=False)
    a1 = client_for(community_a1)
    for leaf in leaves:
        assert enter(a1, "220104001001", leaf, period, 9, 10).status_code == 302

    submit(a1, "220104001001", period)

    assert Approval.objects.get(area__code="220104001001").status == "submitted"


def test_the_department_says_which_entered_leaves_ask_for_evidence(areas, default_set, city_org, client_for):
    leaves = list(
        default_set.indicators.exclude(levels=[]).order_by("parent__parent__order", "parent__order", "order", "pk")
    )
    entered = [leaf for leaf in leaves if leaf.entered]
    data = {"set-name": default_set.name, "set-aggregation": "mean", "set-last_places": 1, "set-last_share": "0"}
    data.update({"leaf-TOTAL_FORMS": len(leaves), "leaf-INITIAL_FORMS": len(leaves)})
    for n, leaf in enumerate(leaves):
        data.update(
            {
                f"leaf-{n}-id": leaf.pk,
                f"leaf-{n}-weight": leaf.weight,
                f"leaf-{n}-rule": leaf.rule,
                f"leaf-{n}-floor": leaf.floor,
                f"leaf-{n}-target": leaf.target,
                f"leaf-{n}-thresholds": "",
            }
        )
        if leaf == entered[0]:
            data[f"leaf-{n}-evidence_required"] = "on"
    client = client_for(city_org)
    assert "须上传佐证材料" in client.get(reverse("assessment:set_edit", args=[default_set.pk])).content.decode()

    response = client.post(reverse("assessment:set_edit", args=[default_set.pk]), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert [Indicator.objects.get(pk=leaf.pk).evidence_required for leaf in entered] == [True, False]
