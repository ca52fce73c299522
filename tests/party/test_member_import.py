"""The member import (issue #9, acceptance 2): a branch secretary's sheet goes through preview →
confirm → progress; re-importing it changes nothing; bad rows are rejected with their numbers
and write nothing; the member list's own export re-imports unchanged."""

import datetime
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from core.models import ImportJob
from party.models import MemberTransfer, PartyMember, PartyOrganisation
from party.tables import PartyMemberTable

from .conftest import valid_id_number

HEADERS = PartyMemberTable.headers()
RECENT = (timezone.localdate() - datetime.timedelta(days=100)).isoformat()  # within a probation


def sheet(rows, headers=HEADERS):
    workbook = Workbook()
    workbook.active.append(headers)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, data, name="党员.xlsx"):
    response = client.post(reverse("core:import_new", args=["party_members"]), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content[:500]
    return ImportJob.objects.filter(kind="party_members").latest("pk")


def confirm(client, job, skip_invalid=False):
    client.post(reverse("core:import_confirm", args=[job.pk]), {"skip_invalid": "1"} if skip_invalid else {})
    job.refresh_from_db()
    return job


def member_row(name, organisation, number, **extra):
    row = dict.fromkeys(HEADERS, "")
    row.update(
        {"姓名": name, "所在党组织": organisation, "身份证号": number, "党员类别": "正式党员", "入党日期": "2010-07-01"}
    )
    row.update(extra)
    return [row[h] for h in HEADERS]


def ten_thousand(branch):
    rng = random.Random(9)
    rows = []
    for n in range(10_000):
        number = valid_id_number(f"220104{1950 + n % 50}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"[:17])
        rows.append(
            member_row(
                f"党员{n:05d}", branch, number, 联系电话=f"139{n:08d}", 学历=rng.choice(["大学本科", "大专", "高中"])
            )
        )
    # ID numbers generated this way may repeat: keep the first of each
    seen, unique = set(), []
    for row in rows:
        if row[HEADERS.index("身份证号")] not in seen:
            seen.add(row[HEADERS.index("身份证号")])
            unique.append(row)
    return unique


def test_a_10000_row_sheet_previews_confirms_and_reimports_unchanged(party, street_a, client_for):
    client = client_for(street_a)
    rows = ten_thousand("A1社区第1网格党支部")
    data = sheet(rows)

    job = upload(client, data)
    assert (job.summary["new"], job.summary["rejected"]) == (len(rows), [])
    assert PartyMember.objects.count() == 3  # a preview writes nothing
    job = confirm(client, job)
    assert job.status == "done", job.error
    assert job.progress_done == job.progress_total == len(rows)
    assert PartyMember.objects.filter(organisation=party["grid_a1"]).count() == len(rows) + 2

    again = upload(client, data)
    assert (again.summary["new"], again.summary["changed"], again.summary["unchanged"]) == (0, 0, len(rows))


def test_bad_rows_are_rejected_with_their_numbers_and_nothing_is_written(party, street_a, client_for):
    client = client_for(street_a)
    good = valid_id_number("22010419800101011")
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    rows = [
        member_row("好党员", "A1社区第1网格党支部", good),
        member_row("错号", "A1社区第1网格党支部", bad),
        member_row("无此支部", "不存在的支部", valid_id_number("22010419800101021")),
        member_row("越权", "B1社区第1网格党支部", valid_id_number("22010419800101031")),
        member_row("预备", "A1社区第1网格党支部", "", 党员类别="预备党员", 入党日期=RECENT, 转正日期="2020-01-01"),
        member_row("日期", "A1社区第1网格党支部", "", 入党日期="去年"),
    ]

    job = upload(client, sheet(rows))
    rejected = {(r["row"], r["column"]): r["reason"] for r in job.summary["rejected"]}

    assert set(rejected) == {(3, "身份证号"), (4, "所在党组织"), (5, "所在党组织"), (6, "转正日期"), (7, "入党日期")}
    assert "校验位不正确" in rejected[(3, "身份证号")]
    assert rejected[(4, "所在党组织")] == rejected[(5, "所在党组织")].replace("B1社区第1网格党支部", "不存在的支部")
    job = confirm(client, job)  # all or nothing
    assert job.status != "done"
    assert not PartyMember.objects.filter(name__in=["好党员", "越权"]).exists()


def test_the_member_lists_export_reimports_unchanged_and_a_moved_member_is_transferred(party, street_a, client_for):
    client = client_for(street_a)
    exported = client.get(reverse("party:partymember_list"), {"export": "xlsx"}).content
    rows = [list(r) for r in load_workbook(io.BytesIO(exported)).active.iter_rows(values_only=True)]
    assert rows[0] == HEADERS and any(
        r[HEADERS.index("身份证号")] and "*" in r[HEADERS.index("身份证号")] for r in rows[1:]
    )

    job = upload(client, sheet(rows[1:], rows[0]))
    assert (job.summary["unchanged"], job.summary["rejected"]) == (2, [])

    second = PartyOrganisation.objects.create(
        name="A1社区第2网格党支部", kind="grid_branch", area=party["grid_a1"].area
    )
    zhang = next(r for r in rows[1:] if r[0] == "张党员")
    zhang[HEADERS.index("所在党组织")] = second.name
    job = confirm(client, upload(client, sheet([zhang], rows[0])))
    assert job.status == "done", job.error
    party["zhang"].refresh_from_db()
    assert party["zhang"].organisation == second
    assert party["zhang"].phone == "13900001111"  # the mask kept the number on record
    assert MemberTransfer.objects.filter(member=party["zhang"], to_organisation=second).exists()


def test_a_member_of_another_street_is_not_moved_by_a_sheet(party, street_a, client_for):
    PartyMember.objects.filter(pk=party["wang"].pk).update(id_number=valid_id_number("22010419800101041"))

    client = client_for(street_a)
    job = confirm(
        client,
        upload(client, sheet([member_row("王党员", "A1社区第1网格党支部", valid_id_number("22010419800101041"))])),
    )

    # Registered out of street A's sight: the row is new there, as if the number were nowhere
    # (issue #15, finding 17), and street B's record stays where it is.
    assert (job.summary["new"], job.summary["rejected"]) == (1, [])
    assert PartyMember.objects.get(pk=party["wang"].pk).organisation == party["grid_b1"]
    assert not MemberTransfer.objects.exists()


def test_the_member_list_links_to_the_import_for_those_who_may_import(party, street_a, grid_a1, client_for):
    url = reverse("core:import_new", args=["party_members"])

    assert url in client_for(street_a).get(reverse("party:partymember_list")).content.decode()
    assert url not in client_for(grid_a1).get(reverse("party:partymember_list")).content.decode()
