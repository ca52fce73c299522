"""The ledger of compounds without management (无物业小区台账): a compound recorded as 无物业 is
entered; 销号 needs a mode assigned and evidence, reopening a reason — declared steps, each with its
history row (core.StateChange) and its change in the record's history (pghistory)."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import StateChange
from property.choices import LedgerStatus, ManagementMode
from property.models import Compound, LedgerEntry

from .conftest import COMMUNITY_A1


def steps_of(entry):
    return list(
        StateChange.objects.filter(content_type=ContentType.objects.get_for_model(LedgerEntry), object_id=entry.pk)
        .order_by("pk")
        .values_list("transition", "from_state", "to_state", "reason", "user__username")
    )


def test_a_compound_recorded_without_management_is_entered_on_the_ledger(areas, community_a1, client_for):
    response = client_for(community_a1).post(
        reverse("property:compound_add"),
        {"name": "无人管小区", "community": COMMUNITY_A1, "households": "80", "mode": ManagementMode.NONE},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    entry = LedgerEntry.objects.get(compound__name="无人管小区")
    assert entry.status == LedgerStatus.OPEN
    assert entry.deadline == datetime.date(datetime.date.today().year, 12, 31)


def test_closing_with_evidence_after_a_mode_is_assigned_records_the_step(estate, street_a, client_for):
    entry = estate["entry"]

    response = client_for(street_a).post(reverse("property:ledgerentry_close", args=[entry.pk]), {"state": "open"})

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == LedgerStatus.CLOSED and entry.by == street_a
    assert steps_of(entry) == [("close", "open", "closed", "", "street_a")]
    assert entry.events.filter(status="closed").exists()  # the record's own history (pghistory)


def test_closing_is_refused_while_the_compound_is_still_without_management(areas, estate, street_a, client_for):
    bare = Compound.objects.create(name="仍无物业", community=areas[COMMUNITY_A1], mode=ManagementMode.NONE)
    entry = bare.ledger_entries.get()
    entry.evidence = SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")
    entry.save()

    response = client_for(street_a).post(
        reverse("property:ledgerentry_close", args=[entry.pk]), {"state": "open"}, follow=True
    )

    assert "仍为“无物业”，请先为小区确定管理模式" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == LedgerStatus.OPEN and steps_of(entry) == []


def test_closing_is_refused_without_evidence(estate, street_a, client_for):
    entry = estate["entry"]
    entry.evidence = ""
    entry.save()

    response = client_for(street_a).post(
        reverse("property:ledgerentry_close", args=[entry.pk]), {"state": "open"}, follow=True
    )

    assert "请先在台账中上传销号材料" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == LedgerStatus.OPEN


def test_reopening_needs_a_reason_and_is_recorded(estate, community_a1, client_for):
    entry = estate["closed"]
    client = client_for(community_a1)

    refused = client.post(reverse("property:ledgerentry_reopen", args=[entry.pk]), {"state": "closed"})
    entry.refresh_from_db()
    assert refused.status_code == 200 and entry.status == LedgerStatus.CLOSED

    client.post(reverse("property:ledgerentry_reopen", args=[entry.pk]), {"state": "closed", "reason": "协议未生效"})

    entry.refresh_from_db()
    assert entry.status == LedgerStatus.OPEN and entry.reason == "协议未生效"
    assert steps_of(entry) == [("reopen", "closed", "open", "协议未生效", "community_a1")]


def test_close_then_reopen_through_the_api_leaves_two_history_rows(estate, street_a, client_for):
    client = client_for(street_a)
    entry = estate["entry"]

    closed = client.post("/api/ledger-steps/close/", {"entry": entry.pk}, content_type="application/json")
    reopened = client.post(
        "/api/ledger-steps/reopen/", {"entry": entry.pk, "reason": "材料有误"}, content_type="application/json"
    )

    assert (closed.status_code, closed.json()["status"]) == (200, "closed")
    assert (reopened.status_code, reopened.json()["status"]) == (200, "open")
    assert [row[0] for row in steps_of(entry)] == ["close", "reopen"]


def test_a_step_on_a_state_someone_else_changed_is_refused(estate, street_a, client_for):
    entry = estate["entry"]
    client = client_for(street_a)
    client.post(reverse("property:ledgerentry_close", args=[entry.pk]), {"state": "open"})

    again = client.post(reverse("property:ledgerentry_close", args=[entry.pk]), {"state": "open"}, follow=True)

    assert "刚刚已变为“已销号”" in again.content.decode()
    assert len(steps_of(entry)) == 1


def test_the_evidence_is_checked_as_every_upload_is(estate, street_a, client_for):
    entry = estate["entry"]

    response = client_for(street_a).post(
        reverse("property:ledgerentry_edit", args=[entry.pk]),
        {
            "responsible": "李书记",
            "plan": "",
            "deadline": "2026-12-31",
            "evidence": SimpleUploadedFile("合同.pdf", b"MZ\x90\x00 not a pdf"),
        },
    )

    assert response.status_code == 200
    assert "文件内容与扩展名不符" in response.content.decode()
    entry.refresh_from_db()
    assert entry.evidence_name == "代管协议.pdf"


def test_an_entry_due_is_told_to_the_community_once_and_not_to_the_other_street(estate, community_a1, street_b):
    from core import notices
    from core.notices import Notice, NoticeKind

    today = datetime.date.today()
    LedgerEntry.objects.filter(pk=estate["entry"].pk).update(deadline=today + datetime.timedelta(days=10))

    notices.send_due_notices(today)
    notices.send_due_notices(today)

    told = Notice.objects.filter(recipient=community_a1, kind=NoticeKind.DUE, source__startswith="property.ledger")
    assert list(told.values_list("title", flat=True)) == [
        f"无物业小区“老旧小区”须于 {(today + datetime.timedelta(days=10)).isoformat()} 前销号"
    ]
    assert told.get().url == estate["entry"].get_absolute_url()
    assert not Notice.objects.filter(recipient=street_b, source__startswith="property.ledger").exists()
