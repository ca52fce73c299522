"""The approval chain's declared steps tell who must act next (core/notices.py): a community's
submission its street, a street's the district, a return the returned area's own cadres with the
reason and a link to its entry page; the one who took the step is not told; a later step settles
the notices of the earlier; the API's steps tell the same."""

from django.urls import reverse

from assessment import approvals
from core.notices import Notice
from orgs.choices import Role
from tests.assessment.test_entry import enter_all, submit
from tests.conftest import make_user

A1, STREET = "220104001001", "220104001"


def entry_page(code, period):
    return reverse("assessment:entry", args=[code]) + f"?period={period.pk}"


def test_a_return_tells_the_returned_communitys_cadres_with_the_reason_and_its_entry_page(
    period, leaves, community_a1, street_a, district_org, client_for
):
    a1 = client_for(community_a1)
    enter_all(a1, A1, leaves, period)
    submit(a1, A1, period)

    client_for(street_a).post(
        reverse("assessment:entry_return", args=[A1]), {"period": period.pk, "reason": "佐证照片不清晰"}
    )

    notice = Notice.objects.get(recipient=community_a1)
    assert notice.title == f"A1社区{period.label}的录入值被退回"
    assert "退回原因：佐证照片不清晰" in notice.body and "操作人：street_a" in notice.body
    assert notice.url == entry_page(A1, period)
    assert notice.read_at is None
    # The street that returned it is not told; the district, further up, neither.
    assert not Notice.objects.filter(recipient__in=[street_a, district_org], source__endswith=":return").exists()


def test_a_communitys_submission_tells_its_street_and_a_streets_tells_the_district(
    period, leaves, community_a1, community_a2, street_a, district_org, client_for
):
    for user, code in ((community_a1, A1), (community_a2, "220104001002")):
        client = client_for(user)
        enter_all(client, code, leaves, period)
        submit(client, code, period)
    street = client_for(street_a)
    enter_all(street, STREET, approvals.entered_leaves(period, "street"), period)
    submit(street, STREET, period)

    to_street = Notice.objects.filter(recipient=street_a).order_by("title")
    assert [n.title for n in to_street] == [
        f"A1社区已上报{period.label}的录入值，待街道审核",
        f"A2社区已上报{period.label}的录入值，待街道审核",
    ]
    assert to_street[0].url == entry_page(STREET, period)
    to_district = Notice.objects.get(recipient=district_org)
    assert to_district.title == f"前进街道已上报{period.label}的录入值，待验收"
    assert to_district.url == entry_page("220104", period)


def test_submitting_again_settles_the_return_and_the_street_is_told_anew(
    period, leaves, community_a1, street_a, client_for
):
    a1 = client_for(community_a1)
    enter_all(a1, A1, leaves, period)
    submit(a1, A1, period)
    street = client_for(street_a)
    street.post(reverse("assessment:entry_return", args=[A1]), {"period": period.pk, "reason": "缺照片"})
    Notice.objects.filter(recipient=street_a).update(read_at="2026-01-01T00:00Z")  # the street read it

    submit(a1, A1, period)

    returned = Notice.objects.get(recipient=community_a1)
    assert returned.read_at is not None  # acted on: no longer counted
    assert Notice.objects.get(recipient=street_a).read_at is None  # told of the new submission


def test_the_apis_return_tells_the_same(period, leaves, community_a1, street_a, client_for):
    a1 = client_for(community_a1)
    enter_all(a1, A1, leaves, period)
    submit(a1, A1, period)

    response = client_for(street_a).post(
        "/api/approval-steps/return/",
        {"period": period.pk, "area": A1, "reason": "数据有误"},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert "退回原因：数据有误" in Notice.objects.get(recipient=community_a1).body


def test_a_community_without_a_cadre_of_its_own_tells_the_street_that_keeps_it(
    period, leaves, areas, street_a, district_org, client_for
):
    entering = make_user("a2_cadre", Role.COMMUNITY_CADRE, areas["220104001002"])
    client = client_for(entering)
    enter_all(client, "220104001002", leaves, period)
    submit(client, "220104001002", period)
    entering.role_assignments.all().delete()  # the community's cadre has left

    client_for(district_org).post(
        reverse("assessment:entry_return", args=["220104001002"]), {"period": period.pk, "reason": "重新核对"}
    )

    assert Notice.objects.filter(recipient=street_a, source__endswith=":return").count() == 1
