"""Entered indicators and approval by level (issue #10): a community enters its manual indicators
with evidence and submits; the street submits when its communities have; the district accepts,
which locks entry below it; a submission or an acceptance can be returned with a reason; only
accepted values count in the rollup. Evidence is type-checked, size-limited and served only to
those in scope."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment import approvals
from assessment.models import Approval, Entry, Evidence, Value
from assessment.rollup import rollup

TODAY = datetime.date.today()
DEFAULT_SET = "党建引领基层治理考核指标（默认）"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%test\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def edit_url(code, leaf, period):
    return reverse("assessment:entry_edit", args=[code, leaf.pk]) + f"?period={period.pk}"


def enter(client, code, leaf, period, numerator, denominator, evidence=None, name="photo.png"):
    data = {"period": period.pk, "numerator": numerator, "denominator": denominator, "note": "第三季度台账"}
    if evidence is not None:
        data["evidence"] = SimpleUploadedFile(name, evidence)
    return client.post(edit_url(code, leaf, period), data)


def enter_all(client, code, leaves, period):
    for n, leaf in enumerate(leaves):
        response = enter(client, code, leaf, period, 9 + n, 10, evidence=PNG)
        assert response.status_code == 302, response.content.decode()[:2000]


def submit(client, code, period):
    return client.post(reverse("assessment:entry_submit", args=[code]), {"period": period.pk}, follow=True)


def test_the_chain_community_street_district_and_only_accepted_values_count(
    period, leaves, community_a1, community_a2, street_a, district_org, client_for
):
    a1, a2, street, district = (
        client_for(community_a1),
        client_for(community_a2),
        client_for(street_a),
        client_for(district_org),
    )
    enter_all(a1, "220104001001", leaves, period)
    assert Evidence.objects.filter(entry__area__code="220104001001").count() == 2
    assert "已上报" in submit(a1, "220104001001", period).content.decode()

    refused = submit(street, "220104001", period).content.decode()
    assert "还有社区未上报：A2社区" in refused
    assert not Approval.objects.filter(area__code="220104001").exists()

    enter_all(a2, "220104001002", leaves, period)
    submit(a2, "220104001002", period)
    enter_all(street, "220104001", approvals.entered_leaves(period, "street"), period)  # the street's own
    submit(street, "220104001", period)
    assert Approval.objects.get(area__code="220104001").status == "submitted"

    rollup(period)  # submitted, not yet accepted: the entered leaves earn nothing
    before = Value.objects.get(period=period, indicator=leaves[0], area__code="220104001001")
    assert (before.numerator, before.denominator, before.points) == (0, 0, 0)

    page = district.get(reverse("assessment:entry", args=["220104"]) + f"?period={period.pk}").content.decode()
    assert "前进街道" in page and "验收" in page
    district.post(reverse("assessment:entry_accept", args=["220104001"]), {"period": period.pk})
    assert Approval.objects.get(area__code="220104001").status == "accepted"

    rollup(period)
    after = Value.objects.get(period=period, indicator=leaves[0], area__code="220104001001")
    assert (after.numerator, after.denominator, after.value) == (9, 10, Decimal("0.9"))
    assert after.points > 0  # linear from 0.6 to 1: 75 points
    assert Value.objects.get(period=period, indicator=leaves[0], area__code="220104002001").points == 0  # not entered

    # Accepted: entry below is locked, for the community and for the street alike.
    locked = enter(a1, "220104001001", leaves[0], period, 1, 10)
    assert locked.status_code == 302
    assert Entry.objects.get(area__code="220104001001", indicator=leaves[0]).numerator == 9


def test_a_return_carries_its_reason_and_reopens_entry(
    period, leaves, community_a1, street_a, district_org, client_for, areas
):
    a1, street = client_for(community_a1), client_for(street_a)
    enter_all(a1, "220104001001", leaves, period)
    submit(a1, "220104001001", period)
    assert enter(a1, "220104001001", leaves[0], period, 1, 10).status_code == 302  # refused: submitted
    assert Entry.objects.get(area__code="220104001001", indicator=leaves[0]).numerator == 9

    street.post(reverse("assessment:entry_return", args=["220104001001"]), {"period": period.pk, "reason": "  "})
    assert Approval.objects.get(area__code="220104001001").status == "submitted"  # a reason is required
    street.post(
        reverse("assessment:entry_return", args=["220104001001"]), {"period": period.pk, "reason": "佐证照片不清晰"}
    )
    returned = Approval.objects.get(area__code="220104001001")
    assert (returned.status, returned.reason) == ("returned", "佐证照片不清晰")
    page = a1.get(reverse("assessment:entry", args=["220104001001"]) + f"?period={period.pk}").content.decode()
    assert "佐证照片不清晰" in page

    enter(a1, "220104001001", leaves[0], period, 10, 10)
    assert Entry.objects.get(area__code="220104001001", indicator=leaves[0]).numerator == 10


def test_a_community_cannot_be_returned_while_its_street_stands_submitted(
    period, leaves, community_a1, community_a2, street_a, client_for
):
    for user, code in ((community_a1, "220104001001"), (community_a2, "220104001002")):
        client = client_for(user)
        enter_all(client, code, leaves, period)
        submit(client, code, period)
    street = client_for(street_a)
    enter_all(street, "220104001", approvals.entered_leaves(period, "street"), period)
    submit(street, "220104001", period)
    assert Approval.objects.get(area__code="220104001").status == "submitted"

    response = street.post(
        reverse("assessment:entry_return", args=["220104001001"]),
        {"period": period.pk, "reason": "重新核对"},
        follow=True,
    )

    assert "前进街道已上报，不能再退回其下级" in response.content.decode()
    assert Approval.objects.get(area__code="220104001001").status == "submitted"


def test_a_street_cannot_accept_and_a_community_cannot_reach_its_sibling(
    period, leaves, community_a1, community_a2, street_a, client_for
):
    a1 = client_for(community_a1)
    enter_all(a1, "220104001001", leaves, period)
    submit(a1, "220104001001", period)
    evidence = Evidence.objects.first()

    sibling = client_for(community_a2)
    assert sibling.get(reverse("assessment:entry", args=["220104001001"])).status_code == 404
    assert sibling.get(edit_url("220104001001", leaves[0], period)).status_code == 404
    assert sibling.get(reverse("assessment:evidence", args=[evidence.pk])).status_code == 404
    assert enter(sibling, "220104001001", leaves[0], period, 1, 10).status_code == 404
    # The street may return its communities but accepting is the district's.
    assert (
        client_for(street_a)
        .post(reverse("assessment:entry_accept", args=["220104001001"]), {"period": period.pk})
        .status_code
        == 404
    )
    assert Approval.objects.get(area__code="220104001001").status == "submitted"


def test_evidence_is_checked_for_type_and_size_and_served_only_in_scope(
    period, leaves, community_a1, street_a, street_b, client_for, settings
):
    a1 = client_for(community_a1)
    renamed = enter(a1, "220104001001", leaves[0], period, 5, 10, evidence=b"MZ\x90\x00program", name="scan.pdf")
    assert "文件内容与扩展名不符" in renamed.content.decode()
    assert not Entry.objects.exists()  # a bad file loses nothing: the form is shown again, nothing half-saved
    script = enter(a1, "220104001001", leaves[0], period, 5, 10, evidence=b"#!/bin/sh", name="run.sh")
    assert "只能上传" in script.content.decode()
    too_large = enter(a1, "220104001001", leaves[0], period, 5, 10, evidence=PDF + b"0" * (10 * 1024 * 1024))
    assert "超过上限 10 MB" in too_large.content.decode()

    assert enter(a1, "220104001001", leaves[0], period, 5, 10, evidence=PDF, name="台账.pdf").status_code == 302
    evidence = Evidence.objects.get()
    download = client_for(street_a).get(reverse("assessment:evidence", args=[evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    assert client_for(street_b).get(reverse("assessment:evidence", args=[evidence.pk])).status_code == 404
    assert client_for(street_a).get(evidence.file.url).status_code == 404  # no public media URL serves it

    api = client_for(street_a).get("/api/entries/", HTTP_ACCEPT="application/json").json()["results"]
    assert [e["url"] for e in api[0]["evidence"]] == [
        "http://testserver" + reverse("assessment:evidence", args=[evidence.pk])
    ]
    assert client_for(street_b).get("/api/entries/", HTTP_ACCEPT="application/json").json()["results"] == []

    delete_url = reverse("assessment:evidence_delete", args=[evidence.pk])
    assert "确定删除" in a1.get(delete_url).content.decode()  # asks first
    a1.post(delete_url, {"period": period.pk})
    assert not Evidence.objects.exists()


def test_a_numerator_above_its_denominator_is_refused_in_chinese(period, leaves, community_a1, client_for):
    response = enter(client_for(community_a1), "220104001001", leaves[0], period, 11, 10)

    assert "不能大于“承诺项目”" in response.content.decode()
    assert not Entry.objects.exists()


def test_a_closed_period_freezes_entry(period, leaves, community_a1, client_for):
    a1 = client_for(community_a1)
    enter_all(a1, "220104001001", leaves, period)
    period.status = "closed"
    period.save()

    enter(a1, "220104001001", leaves[0], period, 1, 10)
    response = submit(a1, "220104001001", period)

    assert Entry.objects.get(area__code="220104001001", indicator=leaves[0]).numerator == 9
    assert "已冻结" in response.content.decode()
    assert not Approval.objects.exists()


def test_the_district_returns_an_acceptance_with_its_reason_and_the_values_stop_counting(
    period, leaves, community_a1, community_a2, street_a, district_org, client_for
):
    for user, code in ((community_a1, "220104001001"), (community_a2, "220104001002")):
        client = client_for(user)
        enter_all(client, code, leaves, period)
        submit(client, code, period)
    street, district = client_for(street_a), client_for(district_org)
    street_leaves = approvals.entered_leaves(period, "street")
    enter_all(street, "220104001", street_leaves, period)
    submit(street, "220104001", period)
    district.post(reverse("assessment:entry_accept", args=["220104001"]), {"period": period.pk})
    rollup(period)
    assert Value.objects.get(period=period, indicator=leaves[0], area__code="220104001001").numerator == 9

    district.post(
        reverse("assessment:entry_return", args=["220104001"]),
        {"period": period.pk, "reason": "为民办实事台账与照片不一致"},
    )

    returned = Approval.objects.get(area__code="220104001")
    assert (returned.status, returned.reason) == ("returned", "为民办实事台账与照片不一致")
    page = street.get(reverse("assessment:entry", args=["220104001"]) + f"?period={period.pk}").content.decode()
    assert "为民办实事台账与照片不一致" in page
    enter(street, "220104001", street_leaves[0], period, 3, 6)  # the street's own values open again
    assert Entry.objects.get(area__code="220104001", indicator=street_leaves[0]).numerator == 3
    rollup(period)  # no longer accepted: the entered values earn nothing until accepted again
    assert Value.objects.get(period=period, indicator=leaves[0], area__code="220104001001").numerator == 0
