"""A meeting as issue 15 asked it recorded (items 11 and 25): place, who chaired and who took the
minutes, photos; those expected are the organisation's members of the day (a 支委会's the
committee), ticked with 全选 or one by one, the others absent with a reason; the demo agrees
with itself."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from core.calendar import Quarter
from party.choices import MeetingKind, OrgKind
from party.models import Meeting, MeetingAbsence, MeetingPhoto, MemberTransfer, PartyMember, ServiceRecord

from .conftest import organisation

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def add_meeting(client, party, **data):
    fields = {
        "organisation": party["grid_a1"].pk,
        "kind": MeetingKind.GENERAL_MEETING,
        "held_on": "2026-11-20",
        "topic": "学习第一议题",
        "attendees": [party["zhang"].pk],
    }
    fields.update(data)
    return client.post(reverse("party:meeting_add"), fields)


def test_a_meeting_keeps_its_place_chair_recorder_absences_with_reasons_and_photos(
    party, grid_a1, street_a, street_b, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(grid_a1)

    response = add_meeting(
        client,
        party,
        place="网格党群服务站",
        host="张党员",
        recorder="李预备",
        **{f"reason_{party['li'].pk}": "illness"},
        photos=[SimpleUploadedFile("合影.png", PNG, "image/png"), SimpleUploadedFile("签到.png", PNG, "image/png")],
    )

    assert response.status_code == 302
    meeting = Meeting.objects.get(topic="学习第一议题")
    assert (meeting.place, meeting.host, meeting.recorder) == ("网格党群服务站", "张党员", "李预备")
    assert [(a.member, a.reason) for a in meeting.absences.all()] == [(party["li"], "illness")]
    assert meeting.expected == 2 and meeting.attendance == "1/2"
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "地点" in page and "网格党群服务站" in page and "主持人" in page and "记录人" in page
    assert "缺席 1 人" in page and "（因病请假）" in page and "会议照片（2 张）" in page
    photo = meeting.photos.first()
    assert client_for(street_a).get(photo.get_absolute_url()).status_code == 200
    assert client_for(street_b).get(photo.get_absolute_url()).status_code == 404


def test_a_photo_that_is_not_an_image_is_refused(party, grid_a1, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = add_meeting(
        client_for(grid_a1), party, photos=[SimpleUploadedFile("照片.jpg", b"MZ\x90\x00program", "image/jpeg")]
    )

    assert response.status_code == 200 and "文件内容与扩展名不符" in response.content.decode()
    assert not Meeting.objects.filter(topic="学习第一议题").exists() and not MeetingPhoto.objects.exists()


def test_a_committee_meeting_expects_the_committee_not_every_member(party, grid_a1, client_for):
    branch = party["grid_a1"]
    for n in range(3):
        PartyMember.objects.create(name=f"普通党员{n}", organisation=branch, joined_on=datetime.date(2010, 1, 1))
    branch.committee.set([party["zhang"], party["li"]])
    client = client_for(grid_a1)

    form = client.get(
        reverse("party:meeting_add"), {"organisation": branch.pk, "kind": MeetingKind.COMMITTEE_MEETING}
    ).content.decode()
    add_meeting(client, party, kind=MeetingKind.COMMITTEE_MEETING, topic="支委会")
    refused = add_meeting(
        client,
        party,
        kind=MeetingKind.COMMITTEE_MEETING,
        topic="越员",
        attendees=[branch.members.get(name="普通党员0").pk],
    )

    assert "张党员" in form and "李预备" in form and "普通党员0" not in form
    meeting = Meeting.objects.get(topic="支委会")
    assert meeting.expected == 2 and [a.member for a in meeting.absences.all()] == [party["li"]]
    assert refused.status_code == 200 and not Meeting.objects.filter(topic="越员").exists()


def test_those_expected_are_the_members_of_the_meetings_day(party, grid_a1, street_a, client_for):
    branch = party["grid_a1"]
    PartyMember.objects.create(name="新党员", organisation=branch, joined_on=datetime.date(2026, 11, 25))
    left = PartyMember.objects.create(name="转出党员", organisation=branch, joined_on=datetime.date(2005, 1, 1))
    other = organisation("A1社区第2网格党支部", OrgKind.GRID_BRANCH, "220104001001002", party["community_a1"])
    MemberTransfer.objects.create(
        member=left, from_organisation=branch, to_organisation=other, transferred_on=datetime.date(2026, 11, 22)
    )
    left.organisation = other
    left.save()

    add_meeting(client_for(street_a), party, held_on="2026-11-20")

    meeting = Meeting.objects.get(topic="学习第一议题")
    absent = {a.member.name for a in meeting.absences.all()}
    assert absent == {"李预备", "转出党员"}  # not 新党员, who joined after; still 转出党员, who left after
    assert meeting.expected == 1 + len(absent) == 3
    assert {m.name for m in queries_members_on(branch, datetime.date(2026, 11, 30))} == {"张党员", "李预备", "新党员"}


def queries_members_on(organisation, day):
    from party.models import members_on

    return members_on(organisation, day)


def test_the_meeting_form_offers_select_all_and_a_reason_for_each_member(party, grid_a1, client_for):
    html = client_for(grid_a1).get(reverse("party:meeting_add"), {"organisation": party["grid_a1"].pk}).content.decode()

    assert 'data-check-all="attendees"' in html and "全选" in html
    assert f'name="reason_{party["li"].pk}"' in html and "因病请假" in html
    assert 'enctype="multipart/form-data"' in html and 'name="photos"' in html
    for label in ("地点", "主持人", "记录人", "会议照片"):
        assert label in html


@pytest.mark.django_db
def test_the_demos_meetings_agree_with_themselves_and_every_quarter_has_activity():
    call_command("seed_demo", stdout=None)

    meetings = Meeting.objects.annotate(came=Count("attendees", distinct=True), away=Count("absences", distinct=True))
    assert meetings.exists()
    assert not [m.pk for m in meetings if m.came + m.away != m.expected]
    assert not MeetingAbsence.objects.filter(meeting__attendees=models_f("member")).exists()
    committee_meetings = Meeting.objects.filter(kind=MeetingKind.COMMITTEE_MEETING).select_related("organisation")
    for meeting in committee_meetings[:300]:
        committee = set(meeting.organisation.committee.values_list("pk", flat=True))
        assert committee and meeting.expected == len(committee)
        assert set(meeting.attendees.values_list("pk", flat=True)) <= committee
    today = datetime.date.today()
    for n in range(3):  # the quarters the assessment's demo scores
        quarter = Quarter.current(today).shifted(-n)
        start, end, label = quarter.start, quarter.end, quarter.label
        assert Meeting.objects.filter(held_on__range=(start, end)).exists(), label
        assert ServiceRecord.objects.filter(served_on__range=(start, end), confirmed_at__isnull=False).exists(), label


def models_f(name):
    from django.db.models import F

    return F(name)


def test_the_organisations_page_names_its_committee_and_its_form_chooses_it_from_its_members(
    party, street_a, client_for
):
    branch = party["grid_a1"]
    client = client_for(street_a)
    form = client.get(reverse("party:partyorganisation_edit", args=[branch.pk])).content.decode()
    assert 'name="committee"' in form and "张党员" in form and "王党员" not in form  # street B's member

    branch.committee.set([party["zhang"]])
    page = client.get(branch.get_absolute_url()).content.decode()
    assert "支委会（党委会）成员：" in page and ">张党员</a>" in page[page.index("支委会（党委会）成员：") :]
