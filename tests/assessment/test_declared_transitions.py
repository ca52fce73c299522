"""Issue 16, part 2: the approval chain runs on the kit's declared transitions (core/transitions.py,
assessment.approvals.APPROVAL). A confirmation that someone else's step has overtaken is refused
and says what the state became; each step leaves a history row (who, when, from, to, why) that the
area's page lists; the same steps are API actions with the same refusals; the buttons are the
declaration's, only for who may and only from the right state."""

import pytest
from django.urls import reverse

from assessment import approvals
from assessment.models import Approval
from core.models import StateChange
from orgs.choices import Role
from tests.assessment.test_entry import enter_all, submit
from tests.conftest import make_user


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def submitted_street(period, leaves, community_a1, community_a2, street_a, client_for):
    for user, code in ((community_a1, "220104001001"), (community_a2, "220104001002")):
        client = client_for(user)
        enter_all(client, code, leaves, period)
        submit(client, code, period)
    street = client_for(street_a)
    enter_all(street, "220104001", approvals.entered_leaves(period, "street"), period)
    submit(street, "220104001", period)
    assert Approval.objects.get(area__code="220104001").status == "submitted"
    return street


def accept_url(period):
    return reverse("assessment:entry_accept", args=["220104001"]) + f"?period={period.pk}"


def test_a_confirmation_overtaken_by_a_colleagues_acceptance_is_refused_and_says_so(
    submitted_street, period, district_org, areas, client_for
):
    colleague = make_user("district_org2", Role.ORG_DEPARTMENT, areas["220104"])
    mine, theirs = client_for(district_org), client_for(colleague)
    page = mine.get(accept_url(period)).content.decode()
    assert 'name="state" value="submitted"' in page  # the form carries what the user saw
    theirs.post(accept_url(period), {"period": period.pk, "state": "submitted"})
    Approval.objects.filter(area__code="220104001").update(status="returned", reason="台账不一致")  # and then returned

    response = mine.post(accept_url(period), {"period": period.pk, "state": "submitted"}, follow=True)

    text = response.content.decode()
    assert "前进街道的状态刚刚已变为“已退回”" in text and "您的“验收”未执行" in text
    assert Approval.objects.get(area__code="220104001").status == "returned"
    assert StateChange.objects.filter(transition="accept").count() == 1


def test_every_step_leaves_a_history_row_that_the_areas_page_lists(period, leaves, community_a1, street_a, client_for):
    a1 = client_for(community_a1)
    enter_all(a1, "220104001001", leaves, period)
    submit(a1, "220104001001", period)
    client_for(street_a).post(
        reverse("assessment:entry_return", args=["220104001001"]), {"period": period.pk, "reason": "照片不清晰"}
    )

    rows = list(StateChange.objects.order_by("pk").values_list("user__username", "from_state", "to_state", "reason"))
    assert rows == [
        ("community_a1", "", "submitted", ""),
        ("street_a", "submitted", "returned", "照片不清晰"),
    ]
    page = a1.get(reverse("assessment:entry", args=["220104001001"]) + f"?period={period.pk}").content.decode()
    history = page[page.index("上报与验收记录") :]
    assert "street_a" in history and "<strong>退回</strong>" in history and "已上报 → 已退回" in history
    assert "原因：照片不清晰" in history
    assert "填报中 → 已上报" in history


def test_the_district_takes_the_steps_through_the_api_with_the_pages_refusals(
    submitted_street, period, district_org, street_a, client_for
):
    district = client_for(district_org)
    api = "/api/approval-steps/{}/"

    no_reason = district.post(
        api.format("return"), {"period": period.pk, "area": "220104001"}, content_type="application/json"
    )
    assert no_reason.status_code == 400 and "请填写退回原因" in no_reason.content.decode()
    not_theirs = client_for(street_a).post(
        api.format("accept"), {"period": period.pk, "area": "220104001"}, content_type="application/json"
    )
    assert not_theirs.status_code == 404  # a street does not accept, not even itself
    accepted = district.post(
        api.format("accept"),
        {"period": period.pk, "area": "220104001", "state": "submitted"},
        content_type="application/json",
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    again = district.post(
        api.format("accept"),
        {"period": period.pk, "area": "220104001", "state": "submitted"},
        content_type="application/json",
    )
    assert again.status_code == 400 and "状态刚刚已变为“已验收”" in again.content.decode()
    returned = district.post(
        api.format("return"),
        {"period": period.pk, "area": "220104001", "reason": "台账与照片不一致"},
        content_type="application/json",
    )
    assert returned.status_code == 200 and returned.json()["reason"] == "台账与照片不一致"


def test_the_buttons_are_the_declarations_only_for_who_may_and_only_from_the_right_state(
    submitted_street, period, district_org, city_org, street_a, client_for
):
    district = client_for(district_org).get(reverse("assessment:entry", args=["220104"]) + f"?period={period.pk}")
    offered = [
        (o.transition.name)
        for row in district.context["reviewed"]
        if row["area"].code == "220104001"
        for o in row["offers"]
    ]
    assert offered == ["accept", "return"]
    # The street's own page: its communities stand submitted under a submitted street — nothing to take.
    street = submitted_street.get(reverse("assessment:entry", args=["220104001"]) + f"?period={period.pk}")
    assert all(not row["offers"] for row in street.context["reviewed"])
    client_for(district_org).post(accept_url(period), {"period": period.pk})
    after = client_for(district_org).get(reverse("assessment:entry", args=["220104"]) + f"?period={period.pk}")
    offered = [
        o.transition.name for row in after.context["reviewed"] if row["area"].code == "220104001" for o in row["offers"]
    ]
    assert offered == ["return"]  # accepted: no second 验收


def test_a_state_the_approval_cannot_be_in_is_a_400_not_a_race(submitted_street, period, district_org, client_for):
    response = client_for(district_org).post(
        "/api/approval-steps/accept/",
        {"period": period.pk, "area": "220104001", "state": "approved"},
        content_type="application/json",
    )

    assert response.status_code == 400 and "“approved”不是有效的状态" in response.content.decode()
    assert Approval.objects.get(area__code="220104001").status == "submitted"
