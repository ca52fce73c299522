"""Notices (core/notices.py): who holds an action at an area (the nearest), a matter told once, a
step told again renewed, the daily job of due dates and its digest of what is overdue, the senders,
and the inbox: own notices only, unread first, opened → read and on to its page, all marked read."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import gate, notices
from core.notices import Notice, NoticeKind
from core.registry import Due, DueSource, registry
from orgs.choices import Role
from tests.conftest import make_user

A1, STREET_A, DISTRICT = "220104001001", "220104001", "220104"
TODAY = datetime.date(2026, 12, 6)


@pytest.fixture
def cadres(areas):
    return {
        "a1": make_user("a1_cadre", Role.COMMUNITY_CADRE, areas[A1]),
        "street": make_user("street_cadre", Role.STREET_CADRE, areas[STREET_A]),
        "district": make_user("district_zzb", Role.ORG_DEPARTMENT, areas[DISTRICT]),
        "grid": make_user("grid_worker", Role.GRID_WORKER, areas["220104001001001"]),
    }


# --- who is told ---------------------------------------------------------------------------------


def test_the_nearest_holders_of_an_action_are_told_not_everyone_above(cadres):
    # 网格长 of a grid: the community cadre appoints; the street cadre may too, but is further.
    assert gate.holders("grids.appoint_grid_head", "220104001001001") == [cadres["a1"].pk]
    # A building head: the grid's own worker is nearest.
    assert gate.holders("grids.change_roster", "220104001001001001") == [cadres["grid"].pk]


def test_a_rule_of_below_skips_the_area_itself(cadres, areas):
    # assessment.return is the street cadre's BELOW its street: on the street itself, the district.
    assert gate.holders("assessment.return", areas[A1]) == [cadres["street"].pk]
    assert gate.holders("assessment.return", areas[STREET_A]) == [cadres["district"].pk]


def test_an_inactive_user_and_an_area_nobody_keeps_tell_nobody(cadres, areas):
    cadres["a1"].is_active = False
    cadres["a1"].save()

    assert gate.holders("assessment.enter", areas[A1]) == [cadres["street"].pk]
    assert gate.holders("assessment.accept", "2201") == []


# --- a matter told once, a step told again renewed -----------------------------------------------


def test_a_due_matter_is_told_once_and_keeps_its_read_state_while_its_text_follows_the_day(cadres):
    def tell(title):
        return notices.tell([cadres["a1"]], source="x:1", title=title, kind=NoticeKind.DUE, due_on=TODAY, url="/areas/")

    assert len(tell("文化社区有 2 条服务记录待确认")) == 1
    Notice.objects.update(read_at=datetime.datetime(2026, 12, 6, tzinfo=datetime.UTC))

    assert tell("文化社区有 3 条服务记录待确认") == []  # not told again

    notice = Notice.objects.get()
    assert notice.title == "文化社区有 3 条服务记录待确认" and notice.read_at is not None


def test_a_step_told_again_renews_its_one_notice_unread(cadres):
    notices.tell([cadres["a1"]], source="approval:1:return", title="被退回", body="原因：一")
    Notice.objects.update(read_at=datetime.datetime(2026, 12, 6, tzinfo=datetime.UTC))

    notices.tell([cadres["a1"]], source="approval:1:return", title="被退回", body="原因：二")

    notice = Notice.objects.get()
    assert notice.body == "原因：二" and notice.read_at is None


# --- the daily job and its digest ---------------------------------------------------------------


@pytest.fixture
def due_items(monkeypatch):
    """A due source whose items the test sets: due_items[:] = [Due(...)]."""
    items = []
    monkeypatch.setattr(registry, "due_sources", {"test": DueSource("test", "测试", lambda today: list(items))})
    return items


def item(key, due_on, area=A1, action="assessment.enter"):
    return Due(key=key, area=area, action=action, title=f"事项{key}", due_on=due_on, url="/areas/")


def test_the_daily_job_tells_each_due_item_once_and_digests_what_is_overdue(cadres, due_items):
    due_items[:] = [item("late", TODAY - datetime.timedelta(days=3)), item("soon", TODAY + datetime.timedelta(days=5))]

    first = notices.send_due_notices(TODAY)
    second = notices.send_due_notices(TODAY + datetime.timedelta(days=1))

    assert (first.new, first.items, first.digests) == (2, 2, 1)
    assert second.new == 0
    mine = Notice.objects.filter(recipient=cadres["a1"])
    assert sorted(mine.filter(kind=NoticeKind.DUE).values_list("title", flat=True)) == ["事项late", "事项soon"]
    digest = mine.get(kind=NoticeKind.DIGEST)  # one, renewed the next day
    assert "1 项" in digest.title and "2026-12-07" in digest.title
    assert "事项late" in digest.body and "已逾期 4 天" in digest.body and "事项soon" not in digest.body
    assert not Notice.objects.filter(recipient=cadres["street"]).exists()  # the nearest only


def test_the_digest_goes_once_nothing_is_overdue(cadres, due_items):
    due_items[:] = [item("late", TODAY - datetime.timedelta(days=1))]
    notices.send_due_notices(TODAY)
    assert Notice.objects.filter(kind=NoticeKind.DIGEST).count() == 1

    due_items[:] = []
    notices.send_due_notices(TODAY)

    assert not Notice.objects.filter(kind=NoticeKind.DIGEST).exists()
    assert Notice.objects.filter(kind=NoticeKind.DUE).count() == 1  # what was told stays in the inbox


# --- senders -----------------------------------------------------------------------------------

SENT = []


class RecordingSender(notices.NoticeSender):
    """A channel an office might add (政务微信, SMS), here keeping what it is handed."""

    def send(self, told):
        SENT.append([(n.recipient.username, n.title) for n in told])


class BrokenGateway(notices.NoticeSender):
    def send(self, told):
        raise ConnectionError("gateway unreachable")


def test_the_configured_senders_get_each_new_notice_once_after_commit_and_a_broken_one_stops_nothing(
    cadres, settings, django_capture_on_commit_callbacks
):
    settings.NOTICE_SENDERS = [
        "core.notices.InboxSender",
        "tests.core.test_notices.BrokenGateway",
        "tests.core.test_notices.RecordingSender",
    ]
    SENT.clear()

    with django_capture_on_commit_callbacks(execute=True):
        notices.tell([cadres["a1"]], source="due:1", title="到期", kind=NoticeKind.DUE, due_on=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        notices.tell([cadres["a1"]], source="due:1", title="到期", kind=NoticeKind.DUE, due_on=TODAY)

    assert SENT == [[("a1_cadre", "到期")]]
    assert Notice.objects.count() == 1


# --- the inbox ---------------------------------------------------------------------------------


def told(user, n, read=False):
    notice = Notice.objects.create(
        recipient=user, kind=NoticeKind.STEP, source=f"s:{n}", title=f"通知{n}", url=f"/areas/{A1}/assessment/"
    )
    if read:
        Notice.objects.filter(pk=notice.pk).update(read_at=notice.created_at)
    return notice


def test_the_inbox_lists_unread_first_and_filters_read_and_unread(cadres, client_for):
    old_unread, read_one, new_read = (
        told(cadres["a1"], 1),
        told(cadres["a1"], 2, read=True),
        told(cadres["a1"], 3, True),
    )
    told(cadres["street"], 4)
    client = client_for(cadres["a1"])

    page = client.get(reverse("core:notice_list")).content.decode()
    unread = client.get(reverse("core:notice_list") + "?status=unread").content.decode()

    assert page.index("通知1") < page.index("通知3") < page.index("通知2")
    assert "通知4" not in page  # another user's
    assert "通知1" in unread and "通知2" not in unread and "通知3" not in unread
    assert old_unread.pk and read_one.pk and new_read.pk


def test_opening_a_notice_reads_it_and_lands_on_its_page(cadres, client_for):
    notice = told(cadres["a1"], 1)

    response = client_for(cadres["a1"]).get(reverse("core:notice_open", args=[notice.pk]))

    assert response.status_code == 302 and response["Location"] == f"/areas/{A1}/assessment/"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_another_users_notice_is_not_found_and_stays_unread(cadres, client_for):
    notice = told(cadres["a1"], 1)

    response = client_for(cadres["street"]).get(reverse("core:notice_open", args=[notice.pk]))

    assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_a_link_to_another_site_is_not_followed(cadres, client_for):
    notice = told(cadres["a1"], 1)
    Notice.objects.filter(pk=notice.pk).update(url="https://evil.example/")

    response = client_for(cadres["a1"]).get(reverse("core:notice_open", args=[notice.pk]))

    assert response["Location"] == reverse("core:notice_list")


def test_mark_all_read_is_a_post_of_ones_own_and_asks_nothing(cadres, client_for):
    told(cadres["a1"], 1), told(cadres["a1"], 2), told(cadres["street"], 3)
    client = client_for(cadres["a1"])

    assert client.get(reverse("core:notice_read_all")).status_code == 405
    response = client.post(reverse("core:notice_read_all"), follow=True)

    assert "已将 2 条通知标为已读" in response.content.decode()
    assert not Notice.objects.filter(recipient=cadres["a1"], read_at__isnull=True).exists()
    assert Notice.objects.filter(recipient=cadres["street"], read_at__isnull=True).count() == 1


def test_the_menu_bar_counts_the_unread_in_one_query(cadres, client_for):
    told(cadres["a1"], 1), told(cadres["a1"], 2), told(cadres["a1"], 3, read=True)
    request = type("Request", (), {"user": cadres["a1"]})()

    from core.context_processors import notices as count

    with CaptureQueriesContext(connection) as queries:
        shown = count(request)["unread_notices"]
        assert len(queries) == 0  # asked only when the layout shows it
        assert shown() == 2
        assert count(request)["unread_notices"]() == 2  # once a request
    assert len(queries) == 1
    page = client_for(cadres["a1"]).get(reverse("core:notice_list")).content.decode()
    assert 'class="badge rounded-pill text-bg-danger notice-count">2' in page
