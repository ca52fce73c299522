"""The party's due dates (party/notices.py), told by the kit's daily job: a probation ending
within a month, services awaiting the community's confirmation (overdue after a week, then in the
digest), each told to the nearest who act on it, once."""

import datetime

import pytest
from django.utils import timezone

from core import notices
from core.notices import Notice, NoticeKind
from orgs.choices import Role
from party.notices import probation_ends
from tests.conftest import make_user

from .conftest import STREET_B


@pytest.fixture
def street_b_cadre(areas):
    return make_user("street_b_cadre", Role.STREET_CADRE, areas[STREET_B])


def titles(user, kind=NoticeKind.DUE):
    return sorted(Notice.objects.filter(recipient=user, kind=kind).values_list("title", flat=True))


def test_a_probation_ending_and_a_service_awaiting_confirmation_are_told_to_the_community(
    party, community_a1, street_b_cadre
):
    today = timezone.localdate()
    ends = probation_ends(party["li"].joined_on)

    notices.send_due_notices(today)

    assert titles(community_a1) == [
        "A1社区有 1 条在职党员服务记录待确认",
        f"预备党员李预备的预备期将于 {ends.isoformat()} 期满",
    ]
    probation = Notice.objects.get(recipient=community_a1, source__startswith="party.probation")
    assert probation.url == party["li"].get_absolute_url() and probation.due_on == ends
    # B1 has no cadre of its own: its street keeps its services (and knows nothing of A1's).
    assert titles(street_b_cadre) == ["B1社区有 1 条在职党员服务记录待确认"]


def test_a_service_unconfirmed_after_a_week_is_in_the_digest_and_leaves_it_once_confirmed(party, community_a1):
    later = timezone.localdate() + datetime.timedelta(days=8)

    notices.send_due_notices(later)

    digest = Notice.objects.get(recipient=community_a1, kind=NoticeKind.DIGEST)
    assert "A1社区有 1 条在职党员服务记录待确认" in digest.body and "已逾期 1 天" in digest.body

    party["service"].confirmed_at = timezone.now()
    party["service"].save()
    notices.send_due_notices(later)

    assert not Notice.objects.filter(recipient=community_a1, kind=NoticeKind.DIGEST).exists()
    assert Notice.objects.filter(recipient=community_a1, source__startswith="party.services").count() == 1


def test_a_probation_is_told_once_however_often_the_job_runs(party, community_a1):
    today = timezone.localdate()
    for day in range(3):
        notices.send_due_notices(today + datetime.timedelta(days=day))

    assert Notice.objects.filter(recipient=community_a1, source__startswith="party.probation").count() == 1


def test_a_member_far_from_the_end_of_probation_is_not_told(party, community_a1):
    party["li"].joined_on = timezone.localdate() - datetime.timedelta(days=200)
    party["li"].save()

    notices.send_due_notices(timezone.localdate())

    assert not Notice.objects.filter(source__startswith="party.probation").exists()
