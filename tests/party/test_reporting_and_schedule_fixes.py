"""双报到 and the meeting schedule as issue 15 found them wanting: services count once the community
confirmed them, which then locks them; in-service members are seen at their grid; the schedule
answers any quarter asked and tells a quarter under way from one missed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.calendar import Quarter
from core.registry import registry
from orgs.models import Area
from party.choices import MeetingKind, OrgKind
from party.models import Meeting, ServiceRecord

from .conftest import COMMUNITY_A1, GRID_A1, STREET_A, organisation


def test_only_the_services_the_community_confirmed_count_towards_the_in_service_rate(party):
    source = registry.indicator_sources["orgs.in_service_active"]
    community = Area.objects.get(code=COMMUNITY_A1)
    quarter = Quarter.current()
    start, end = quarter.start, quarter.end

    assert source.compute("community", start, end)[community.pk] == (0, 1)  # logged by the unit, unconfirmed
    ServiceRecord.objects.filter(pk=party["service"].pk).update(confirmed_at=timezone.now())
    assert source.compute("community", start, end)[community.pk] == (1, 1)


def test_the_communitys_home_lists_the_services_awaiting_its_confirmation(party, community_a1, client_for):
    client = client_for(community_a1)
    url = reverse("core:home_widget", args=["services_to_confirm"])
    assert f'hx-get="{url}"' in client.get("/").content.decode()  # loaded after the page
    html = client.get(url).content.decode()

    assert "待确认的服务记录（1 条）" in html
    assert party["service"].get_absolute_url() in html and "义诊" not in html  # street B's is not its own
    assert reverse("party:servicerecord_list") + "?confirmed=no" in html
    assert (
        reverse("party:servicerecord_confirm", args=[party["service"].pk]) in html and 'name="next" value="/"' in html
    )  # a confirmation made from the home page goes back to it, not to the widget's own URL


def test_a_grid_worker_and_a_unit_have_no_confirmation_queue(party, grid_a1, unit_user, client_for):
    url = reverse("core:home_widget", args=["services_to_confirm"])
    for user in (grid_a1, unit_user):
        client = client_for(user)
        assert url not in client.get("/").content.decode()  # not offered on the page
        answer = client.get(url)
        assert answer.status_code == 404 or "待确认的服务记录" not in answer.content.decode()


def test_the_service_records_are_in_the_menu(party, community_a1, client_for):
    assert reverse("party:servicerecord_list") in client_for(community_a1).get("/").content.decode()


def test_the_grid_page_counts_and_lists_the_in_service_members_assigned_to_it(party, street_a, client_for):
    client = client_for(street_a)

    summary = client.get(reverse("party:party_summary", args=[GRID_A1]))
    listed = client.get(reverse("party:inservicemember_list"), {"within": GRID_A1}).context["object_list"]

    assert summary.context["figures"]["in_service"] == 1
    assert [m.name for m in listed] == ["赵在职"]


def test_a_confirmed_service_is_locked_for_the_unit_and_the_grid_worker(
    party, grid_a1, unit_user, community_a1, client_for
):
    client_for(community_a1).post(reverse("party:servicerecord_confirm", args=[party["service"].pk]))
    record = party["service"]
    for user in (unit_user, grid_a1, community_a1):
        client = client_for(user)
        edit = client.post(
            reverse("party:servicerecord_edit", args=[record.pk]),
            {"member": party["zhao"].pk, "served_on": "2026-11-21", "hours": "9", "description": "改过"},
        )
        delete = client.post(reverse("party:servicerecord_delete", args=[record.pk]))
        assert (edit.status_code, delete.status_code) == (404, 404), user
        page = client.get(record.get_absolute_url()).content.decode()
        assert reverse("party:servicerecord_edit", args=[record.pk]) not in page
    api = client_for(unit_user).patch(
        f"/api/service-records/{record.pk}/", {"hours": "9"}, content_type="application/json"
    )
    assert api.status_code == 404
    record.refresh_from_db()
    assert (record.hours, record.description, record.confirmed) == (2, "楼道清扫", True)


def test_only_the_community_reopens_a_confirmed_service_and_the_history_says_so(
    party, grid_a1, unit_user, community_a1, client_for
):
    record = party["service"]
    client_for(community_a1).post(reverse("party:servicerecord_confirm", args=[record.pk]))
    for user in (unit_user, grid_a1):
        assert client_for(user).post(reverse("party:servicerecord_reopen", args=[record.pk])).status_code == 404

    client = client_for(community_a1)
    assert "取消确认" in client.get(reverse("party:servicerecord_reopen", args=[record.pk])).content.decode()
    client.post(reverse("party:servicerecord_reopen", args=[record.pk]))

    record.refresh_from_db()
    assert not record.confirmed and record.confirmed_by is None
    history = client.get(record.get_absolute_url()).context["history"]
    reopened = [
        e for e in history if ("确认时间" in [c[0] for c in e["changes"]]) and e["data"]["confirmed_at"] is None
    ]
    assert [e["user"] for e in reopened] == [community_a1]  # one test transaction: events share a timestamp
    edit = client_for(unit_user).get(reverse("party:servicerecord_edit", args=[record.pk]))
    assert edit.status_code == 200  # open again to its unit


@pytest.mark.parametrize("quarter", ["9999-4", "2026-5", "2026-0", "x", "2026", "-1-2"])
def test_a_bad_quarter_on_the_schedule_falls_back_with_a_message(party, street_a, client_for, quarter):
    response = client_for(street_a).get(reverse("party:meeting_schedule", args=[STREET_A]), {"quarter": quarter})

    assert response.status_code == 200
    assert "无法识别的季度" in response.content.decode()
    assert response.context["quarter"] == Quarter.current().previous().label


def in_december(monkeypatch):
    from django.utils import timezone as tz

    monkeypatch.setattr(tz, "localdate", lambda *args: datetime.date(2026, 12, 6))


def test_a_month_under_way_is_not_yet_missed(party, street_a, client_for, monkeypatch):
    in_december(monkeypatch)
    group = organisation("A1楼栋党小组", OrgKind.BUILDING_GROUP, "220104001001001001", party["grid_a1"])
    for month in (10, 11):
        Meeting.objects.create(
            organisation=group, kind=MeetingKind.GROUP_MEETING, topic="小组会", held_on=datetime.date(2026, month, 3)
        )

    page = client_for(street_a).get(reverse("party:meeting_schedule", args=[STREET_A]), {"quarter": "2026-4"})

    listed = {s.organisation.name: s for s in page.context["page_obj"]}
    assert not listed["A1楼栋党小组"].behind  # two months ended, two meetings: under way, not missed
    assert listed["A1社区第1网格党支部"].behind
    html = page.content.decode()
    assert "进行中" in html
    kept = registry.indicator_sources["orgs.meetings_kept"].compute(
        "building", datetime.date(2026, 10, 1), datetime.date(2026, 12, 31)
    )
    assert kept[group.area_id] == (1, 1)


def test_deleting_an_unconfirmed_service_leaves_a_trace(party, unit_user, client_for):
    from party.models import ServiceRecordEvent

    record = party["service"]
    client_for(unit_user).post(reverse("party:servicerecord_delete", args=[record.pk]))

    assert not ServiceRecord.objects.filter(pk=record.pk).exists()
    deleted = ServiceRecordEvent.objects.filter(pgh_obj_id=record.pk, pgh_label="delete").get()
    assert deleted.description == "楼道清扫"


def test_the_community_confirms_from_its_home_and_comes_back_to_the_queue(party, community_a1, client_for):
    client = client_for(community_a1)

    response = client.post(reverse("party:servicerecord_confirm", args=[party["service"].pk]), {"next": "/"})
    elsewhere = client.post(
        reverse("party:servicerecord_confirm", args=[party["service"].pk]), {"next": "https://example.com/"}
    )

    assert response["Location"] == "/" and elsewhere["Location"] == party["service"].get_absolute_url()
    assert "待确认的服务记录" not in client.get("/").content.decode()
