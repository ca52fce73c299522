"""The ledger of compounds without management (无物业小区台账): a compound recorded as 无物业 is
entered; 销号 assigns a mode with evidence in one step, reopening needs a reason — declared steps, each with its
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


def pdf(name="代管协议.pdf", size=0):
    return SimpleUploadedFile(name, b"%PDF-1.4 x" + b"0" * size, content_type="application/pdf")


def close(client, entry, **fields):
    data = {"state": "open", "mode": ManagementMode.COMMUNITY, "evidence": pdf(), **fields}
    return client.post(reverse("property:ledgerentry_close", args=[entry.pk]), data, follow=True)


def test_the_close_page_asks_the_mode_and_the_evidence(areas, estate, street_a, client_for):
    bare = Compound.objects.create(name="仍无物业", community=areas[COMMUNITY_A1], mode=ManagementMode.NONE)
    page = client_for(street_a).get(reverse("property:ledgerentry_close", args=[bare.ledger_entries.get().pk]))

    html = page.content.decode()
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in html
    assert "新的管理模式" in html and "销号材料" in html and "社区代管" in html
    assert 'value="none"' not in html  # 无物业 is not offered


def test_one_step_sets_the_mode_and_closes_the_entry_with_its_history(areas, estate, street_a, client_for):
    bare = Compound.objects.create(name="仍无物业", community=areas[COMMUNITY_A1], mode=ManagementMode.NONE)
    entry = bare.ledger_entries.get()

    response = close(client_for(street_a), entry, evidence=pdf("托管协议.pdf"))

    assert "已为" in response.content.decode()
    entry.refresh_from_db()
    bare.refresh_from_db()
    assert bare.mode == ManagementMode.COMMUNITY and bare.company is None
    assert entry.status == LedgerStatus.CLOSED and entry.by == street_a and entry.evidence_name == "托管协议.pdf"
    assert steps_of(entry) == [("close", "open", "closed", "", "street_a")]
    assert entry.events.filter(status="closed").exists()  # the record's own history (pghistory)
    assert bare.events.filter(mode=ManagementMode.COMMUNITY).exists()


def test_one_step_with_a_company_for_professional_management(areas, estate, street_a, client_for):
    bare = Compound.objects.create(name="仍无物业", community=areas[COMMUNITY_A1], mode=ManagementMode.NONE)
    entry = bare.ledger_entries.get()

    close(client_for(street_a), entry, mode=ManagementMode.PROFESSIONAL, company=estate["company"].pk)

    bare.refresh_from_db()
    entry.refresh_from_db()
    assert (bare.mode, bare.company, entry.status) == (
        ManagementMode.PROFESSIONAL,
        estate["company"],
        LedgerStatus.CLOSED,
    )


def refused(client, entry, compound, text, **fields):
    response = close(client, entry, **fields)
    assert response.status_code == 200
    assert text in response.content.decode(), response.content.decode()[:3000]
    entry.refresh_from_db()
    compound.refresh_from_db()
    assert entry.status == LedgerStatus.OPEN and steps_of(entry) == []
    assert compound.mode == ManagementMode.NONE


def test_one_step_refusals_save_nothing(areas, estate, street_a, client_for):
    bare = Compound.objects.create(name="仍无物业", community=areas[COMMUNITY_A1], mode=ManagementMode.NONE)
    entry = bare.ledger_entries.get()
    client = client_for(street_a)

    refused(client, entry, bare, "文件内容与扩展名不符", evidence=SimpleUploadedFile("合同.pdf", b"MZ\x90\x00 no"))
    refused(client, entry, bare, "只能上传", evidence=SimpleUploadedFile("合同.exe", b"MZ\x90\x00 no"))
    refused(client, entry, bare, "文件大小超过上限 10 MB", evidence=pdf(size=10 * 1024 * 1024))
    refused(client, entry, bare, "请上传销号材料", evidence="")
    refused(client, entry, bare, "不在可用的选项中", mode=ManagementMode.NONE)
    refused(client, entry, bare, "专业物业的小区须选择物业企业", mode=ManagementMode.PROFESSIONAL)
    refused(client, entry, bare, "不选物业企业", mode=ManagementMode.OWNERS, company=estate["company"].pk)
    # A company of another district's register: not one street A may name.
    refused(client, entry, bare, "不在可用的选项中", mode=ManagementMode.PROFESSIONAL, company=estate["company_n"].pk)


def test_the_api_refuses_the_same_and_closes_in_one_step(areas, estate, street_a, client_for):
    bare = Compound.objects.create(name="仍无物业", community=areas[COMMUNITY_A1], mode=ManagementMode.NONE)
    entry = bare.ledger_entries.get()
    client = client_for(street_a)

    no_mode = client.post("/api/ledger-steps/close/", {"entry": entry.pk, "mode": "none", "evidence": pdf()})
    foreign = client.post(
        "/api/ledger-steps/close/",
        {"entry": entry.pk, "mode": "professional", "company": estate["company_n"].pk, "evidence": pdf()},
    )
    bad_file = client.post(
        "/api/ledger-steps/close/",
        {"entry": entry.pk, "mode": "community", "evidence": SimpleUploadedFile("a.pdf", b"MZ no")},
    )
    assert no_mode.status_code == 400 and "无物业" in no_mode.json()["mode"][0]
    assert foreign.status_code == 400 and "不是您可以为小区选定的物业企业" in foreign.json()["company"][0]
    assert bad_file.status_code == 400 and "文件内容与扩展名不符" in bad_file.json()["evidence"][0]
    entry.refresh_from_db()
    assert entry.status == LedgerStatus.OPEN and steps_of(entry) == []

    done = client.post("/api/ledger-steps/close/", {"entry": entry.pk, "mode": "state", "evidence": pdf()})

    assert (done.status_code, done.json()["status"]) == (200, "closed")
    bare.refresh_from_db()
    assert bare.mode == ManagementMode.STATE


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

    closed = client.post("/api/ledger-steps/close/", {"entry": entry.pk, "mode": "community", "evidence": pdf()})
    reopened = client.post(
        "/api/ledger-steps/reopen/", {"entry": entry.pk, "reason": "材料有误"}, content_type="application/json"
    )

    assert (closed.status_code, closed.json()["status"]) == (200, "closed")
    assert (reopened.status_code, reopened.json()["status"]) == (200, "open")
    assert [row[0] for row in steps_of(entry)] == ["close", "reopen"]


def test_a_step_on_a_state_someone_else_changed_is_refused(estate, street_a, client_for):
    entry = estate["entry"]
    client = client_for(street_a)
    close(client, entry)

    again = client.post(
        reverse("property:ledgerentry_close", args=[entry.pk]),
        {"state": "open", "mode": ManagementMode.COMMUNITY, "evidence": pdf()},
        follow=True,
    )

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
