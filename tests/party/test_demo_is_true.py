"""The demo's party side is true to the world (issue #15, finding 11): a probationary member
joined within the last year (a probation lasts one), every building group (楼栋党小组) has
members, and every member's record passes the rules the forms keep."""

import datetime

import pytest
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from core import calendar
from orgs.demo import _event_models
from orgs.models import User
from party.choices import MemberStatus, OrgKind
from party.models import Meeting, PartyMember, PartyOrganisation, ServiceRecord, member_errors, probation_start


@pytest.mark.django_db
@pytest.mark.slow
def test_the_small_demo_holds_no_member_its_own_rules_would_refuse(small_demo):

    probationary = PartyMember.objects.filter(status=MemberStatus.PROBATIONARY)
    assert probationary.exists()
    assert not probationary.filter(joined_on__lt=probation_start()).exists()
    assert not probationary.filter(joined_on__isnull=True).exists()
    groups = PartyOrganisation.objects.filter(kind=OrgKind.BUILDING_GROUP).annotate(n=Count("members"))
    assert groups.exists()
    assert sorted({g.n for g in groups})[0] >= 3, "a building group without members"
    refused = [(m.name, member_errors(m)) for m in PartyMember.objects.all() if member_errors(m)]
    assert refused == []
    heads = PartyOrganisation.objects.exclude(secretary=None).select_related("secretary")
    assert all(o.secretary.organisation_id == o.pk for o in heads)
    living = PartyMember.objects.exclude(residence=None).values_list("residence__level", flat=True).distinct()
    assert set(living) == {"unit"}


@pytest.mark.django_db
@pytest.mark.slow
def test_every_demo_meeting_expected_its_organisations_members_of_the_day_heads_included(small_demo):
    """The roster's heads who are party members join their grid's branch after the party's demo
    held its meetings: they were members on those days, so each meeting expected them too."""

    heads = PartyMember.objects.filter(organisation__kind=OrgKind.GRID_BRANCH).exclude(id_number="")
    branches = set(heads.values_list("organisation_id", flat=True))
    meetings = Meeting.objects.filter(organisation_id__in=branches).order_by("pk")
    assert meetings.exists()
    wrong = []
    for meeting in meetings[::7]:
        expected = set(meeting.expected_members().values_list("pk", flat=True))
        listed = set(meeting.attendees.values_list("pk", flat=True)) | set(
            meeting.absences.values_list("member_id", flat=True)
        )
        if (meeting.expected, listed) != (len(expected), expected):
            wrong.append((str(meeting), meeting.expected, len(expected), len(listed)))
    assert wrong == []


@pytest.mark.django_db
@pytest.mark.slow
def test_the_demo_services_were_confirmed_after_they_were_done_not_all_at_the_seeding(small_demo):

    confirmed = ServiceRecord.objects.exclude(confirmed_at=None)
    assert confirmed.exists()
    today = timezone.localdate()
    late = []
    for service in confirmed:
        on = timezone.localtime(service.confirmed_at).date()
        if not service.served_on <= on <= min(service.served_on + datetime.timedelta(days=14), today):
            late.append((service.served_on, on))
    assert late == []
    assert confirmed.filter(served_on__lt=today - datetime.timedelta(days=30), confirmed_at__date=today).count() == 0


@pytest.mark.django_db
@pytest.mark.slow
def test_every_quarter_the_meeting_schedule_offers_has_meetings_and_services_in_the_demo(small_demo, client):
    client.force_login(User.objects.get(username="zuzhibu"))

    offered = client.get(reverse("party:meeting_schedule", args=["2201"])).context["quarters"]

    assert len(offered) >= 4
    empty = []
    for key, label in offered:
        quarter = calendar.parse(key)
        start, end = quarter.start, quarter.end
        if not Meeting.objects.filter(held_on__range=(start, end)).exists():
            empty.append((label, "组织生活"))
        if not ServiceRecord.objects.filter(served_on__range=(start, end)).exists():
            empty.append((label, "服务记录"))
    assert empty == []


@pytest.mark.django_db
@pytest.mark.slow
def test_the_demos_own_filling_in_is_no_change_in_the_history(small_demo):
    """The demo creates its records, then fills in what it learns later (an organisation's
    secretary and founding date, the day a head took up the post): nobody changed anything, so the
    change histories and the home's 最近的变更 show no 系统 · 修改 of the seeding."""
    from grids.models import HeadAssignment

    changed = {
        model._meta.label: model.objects.filter(pgh_label="update").count()
        for model in _event_models(PartyOrganisation, HeadAssignment, Meeting)
    }
    assert changed and set(changed.values()) == {0}, changed
