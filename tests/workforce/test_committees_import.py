"""The sheet a street keeps after an election, on the kit's import flow: each row's term found by
社区代码, 班子 and 届次号 in the user's scope, its member by 身份证号 and 职务 (a re-import updates
them). Refused with the row and a Chinese reason, as the form and the API refuse them: an unknown or
foreign term, the same person on the same post twice (against the record or within the sheet), a
second 书记, a post the committee has not, a bad ID number."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.identity import with_check_character
from core.models import ImportJob
from tests.grids.sheets import csv_bytes
from workforce.models_committees import CommitteeMember, CommitteeTerm

from .committees_cast import A1, B1, PEOPLE, committees_fixture, community_a1_fixture  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
KIND = "workforce_committee_members"
HEADER = ["社区代码", "班子", "届次号", "姓名", "身份证号", "性别", "出生日期", "学历", "职务", "任职日期", "离任日期"]


def upload(client, rows):
    response = client.post(
        reverse("core:import_new", args=[KIND]),
        {"file": SimpleUploadedFile("换届名单.csv", csv_bytes(rows, header=HEADER), "text/csv")},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.filter(kind=KIND).latest("pk")


def rejected(job):
    found = {}
    for r in job.summary["rejected"]:
        found.setdefault(r["row"], []).append((r["column"], r["reason"]))
    return found


def confirm(client, job):
    client.post(reverse("core:import_confirm", args=[job.pk]), {"skip_invalid": "1"})
    job.refresh_from_db()
    assert job.status == "done", job.error


def newcomer(serial, born="19960303", woman=True):
    return with_check_character(f"220104{born}{serial * 2 + (0 if woman else 1):03d}")


def test_a_new_terms_sheet_imported_and_its_bad_rows_told(committees, street_a, client_for, areas):
    new_party = CommitteeTerm.objects.create(
        area=areas["220104001002"], committee="party", number=10, elected_on=datetime.date(2021, 7, 1)
    )
    client = client_for(street_a)
    rows = [
        ["220104001002", "社区党组织委员会", "10", "张新", newcomer(11), "", "", "大学本科", "书记", "", ""],  # 2
        [
            "220104001002",
            "社区党组织委员会",
            "第10届",
            "李新",
            newcomer(12, woman=False),
            "男",
            "1996-03-03",
            "大学专科",
            "副书记",
            "",
            "",
        ],  # 3
        [
            "220104001002",
            "社区党组织委员会",
            "10",
            "王新",
            newcomer(13),
            "",
            "",
            "",
            "书记",
            "",
            "",
        ],  # 4: a second 书记 in the sheet
        ["220104001002", "社区党组织委员会", "10", "张新", newcomer(11), "", "", "", "委员", "", ""],  # 5: 张新 again
        [A1, "社区党组织委员会", "10", "丙", PEOPLE["丙"][0], "", "", "", "副书记", "", ""],  # 6: 丙 is a 委员 already
        [
            A1,
            "社区党组织委员会",
            "10",
            "戊",
            PEOPLE["戊"][0],
            "",
            "",
            "",
            "主任",
            "",
            "",
        ],  # 7: no 主任 in a party committee
        [B1, "社区党组织委员会", "10", "赵新", newcomer(14), "", "", "", "委员", "", ""],  # 8: street B's
        [A1, "居民委员会", "12", "钱新", newcomer(15), "", "", "", "委员", "", ""],  # 9: no such term
        [A1, "居民委员会", "10", "孙新", "220104199603030011", "", "", "", "委员", "", ""],  # 10: bad check digit
        [
            A1,
            "居民委员会",
            "10",
            "丙",
            PEOPLE["丙"][0],
            "女",
            "",
            "中专/高中",
            "委员",
            "",
            "",
        ],  # 11: 丙 joins the residents' committee
    ]

    job = upload(client, rows)

    reasons = rejected(job)
    assert set(reasons) == {4, 5, 6, 7, 8, 9, 10}, reasons
    text = {row: " ".join(reason for _column, reason in found) for row, found in reasons.items()}
    assert "只能有一名书记" in text[4]
    assert "同一时间在本届已有职务" in text[5]
    assert "同一时间在本届已有职务" in text[6]
    assert "没有“主任”职务" in text[7]
    assert "不在您的管辖范围内" in text[8] and "不在您的管辖范围内" in text[9]
    assert "校验位不正确" in text[10]
    assert job.summary["new"] == 3

    confirm(client, job)
    members = {m.name: m for m in CommitteeMember.objects.filter(term=new_party)}
    assert set(members) == {"张新", "李新"}
    assert members["张新"].gender == "female" and members["张新"].birth_date == datetime.date(1996, 3, 3)
    assert members["张新"].started_on == datetime.date(2021, 7, 1) and members["张新"].area_id == new_party.area_id
    bing = CommitteeMember.objects.get(term=committees["residents"], name="丙")
    assert bing.education == "secondary"
    crossing = {
        m.name
        for m in __import__("workforce.committees", fromlist=["x"]).with_flags(
            CommitteeMember.objects.filter(term=committees["party"])
        )
        if m.crossing
    }
    assert "丙" in crossing  # now on both committees


def test_a_reimport_updates_the_member_it_names(committees, community_a1, client_for):
    client = client_for(community_a1)
    rows = [[A1, "社区党组织委员会", "10", "丁", PEOPLE["丁"][0], "", "", "中专/高中", "委员", "", "2024-12-31"]]
    job = upload(client, rows)
    assert job.summary["changed"] == 1 and not job.summary["rejected"]
    confirm(client, job)
    committees["ding"].refresh_from_db()
    assert committees["ding"].ended_on == datetime.date(2024, 12, 31) and committees["ding"].education == "secondary"


def test_the_list_shows_the_term_in_one_cell_and_exports_the_sheets_columns(committees, community_a1, client_for):
    client = client_for(community_a1)
    page = client.get(reverse("workforce:committeemember_list")).content.decode()
    sheet = client.get(reverse("workforce:committeemember_list") + "?export=csv").content.decode("utf-8-sig")

    assert "居委会 第10届" in page and "<th" in page and "届次号" not in page
    header = sheet.splitlines()[0].split(",")
    assert header[:5] == ["姓名", "社区代码", "班子", "届次号", "职务"] and "班子届次" not in header
