"""Organisation life (三会一课) and 双报到 as a grid branch, a community and a reporting unit use them."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.calendar import Quarter
from orgs.models import Area
from party import queries
from party.choices import MeetingKind, OrgKind
from party.models import InServiceMember, Meeting, PartyOrganisation, ServiceRecord

from .conftest import COMMUNITY_A1, STREET_A


def test_a_grid_worker_records_a_meeting_with_who_came(party, grid_a1, client_for):
    client = client_for(grid_a1)
    form = client.get(reverse("party:meeting_add"), {"organisation": party["grid_a1"].pk}).content.decode()
    assert "张党员" in form and "李预备" in form and "王党员" not in form  # the branch's own members to tick

    response = client.post(
        reverse("party:meeting_add"),
        {
            "organisation": party["grid_a1"].pk,
            "kind": MeetingKind.GENERAL_MEETING,
            "held_on": "2026-11-20",
            "topic": "学习第一议题",
            "attendees": [party["zhang"].pk],
        },
    )

    meeting = Meeting.objects.get(topic="学习第一议题")
    assert response.status_code == 302
    assert (meeting.expected, list(meeting.attendees.all()), meeting.attendance) == (2, [party["zhang"]], "1/2")


def test_a_grid_worker_cannot_change_members(party, grid_a1, client_for):
    client = client_for(grid_a1)

    assert client.get(reverse("party:partymember_add")).status_code == 404
    assert client.get(reverse("party:partymember_edit", args=[party["zhang"].pk])).status_code == 404


def test_an_attendee_from_another_organisation_is_refused(party, street_a, client_for):
    outsider = party["grid_a1"].members.create(name="临时", status="full")
    other = PartyOrganisation.objects.create(
        name="A1社区第2网格党支部", kind=OrgKind.GRID_BRANCH, area=Area.objects.get(code="220104001001002")
    )
    outsider.organisation = other
    outsider.save()

    response = client_for(street_a).post(
        reverse("party:meeting_add"),
        {
            "organisation": party["grid_a1"].pk,
            "kind": MeetingKind.PARTY_DAY,
            "held_on": "2026-11-20",
            "topic": "越组出席",
            "attendees": [outsider.pk],
        },
    )

    assert response.status_code == 200 and not Meeting.objects.filter(topic="越组出席").exists()


def test_the_schedule_lists_the_branches_behind_their_required_meetings(party):
    start, end = Quarter(2026, 3).start, Quarter(2026, 3).end
    for month in (7, 8, 9):
        Meeting.objects.create(
            organisation=party["grid_a1"],
            kind=MeetingKind.COMMITTEE_MEETING,
            topic="支委会",
            held_on=datetime.date(2026, month, 5),
        )
    Meeting.objects.create(
        organisation=party["grid_a1"],
        kind=MeetingKind.GENERAL_MEETING,
        topic="党员大会",
        held_on=datetime.date(2026, 8, 5),
    )

    behind = {s.organisation.name: s.missing for s in queries.shortfalls(PartyOrganisation.objects.all(), start, end)}

    assert behind["A1社区第1网格党支部"] == [(MeetingKind.PARTY_LECTURE, 0, 1), (MeetingKind.PARTY_DAY, 0, 3)]
    assert (MeetingKind.COMMITTEE_MEETING, 0, 3) in behind["B1社区第1网格党支部"]


def test_the_schedule_page_chooses_a_quarter(party, street_a, client_for):
    response = client_for(street_a).get(reverse("party:meeting_schedule", args=[STREET_A]), {"quarter": "2026-3"})

    assert response.context["quarter"] == "2026年第3季度"
    assert {s.organisation.name for s in response.context["page_obj"]} >= {"A1社区第1网格党支部"}
    assert "B1" not in response.content.decode()
    # issue 15: a bad quarter falls back to the last one with a message (it was a 404, and 9999-4 a 500)
    assert (
        client_for(street_a).get(reverse("party:meeting_schedule", args=[STREET_A]), {"quarter": "x"}).status_code
        == 200
    )


def test_the_area_panel_counts_the_subtree_in_a_fixed_number_of_queries(party, street_a, client_for):
    client = client_for(street_a)
    assert "党建" in client.get(reverse("orgs:area_detail", args=[STREET_A])).content.decode()
    url = reverse("party:party_summary", args=[STREET_A])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        html = client.get(url).content.decode()
    for n in range(30):
        party["grid_a1"].members.create(name=f"党员{n}")
    # The first view after the writes recounts the codes they made stale (core.tallies): a fixed
    # number of queries too, but not the same as a view with nothing stale; compare like with like.
    client.get(url)
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert "报到在职党员" in html
    figures = queries.area_figures(Area.objects.get(code=STREET_A), street_a)
    assert (figures["organisations"], figures["members"], figures["probationary"], figures["in_service"]) == (
        3,
        32,
        1,
        1,
    )
    assert len(many) == len(few)


def test_a_reporting_units_account_sees_and_logs_only_its_own_members(party, unit_user, client_for):
    client = client_for(unit_user)

    listed = client.get(reverse("party:inservicemember_list")).context["object_list"]
    assert [m.name for m in listed] == ["赵在职"]
    assert client.get(party["qian"].get_absolute_url()).status_code == 404
    assert client.get(reverse("party:partymember_list")).status_code == 404  # the register is not for it
    assert client.get(reverse("party:servicerecord_detail", args=[party["service_b"].pk])).status_code == 404

    response = client.post(
        reverse("party:servicerecord_add"),
        {"member": party["zhao"].pk, "served_on": "2026-11-21", "hours": "1.5", "description": "帮老人买菜"},
    )
    assert response.status_code == 302
    refused = client.post(
        reverse("party:servicerecord_add"),
        {"member": party["qian"].pk, "served_on": "2026-11-21", "hours": "1", "description": "越权"},
    )
    assert refused.status_code == 200 and not ServiceRecord.objects.filter(description="越权").exists()
    # The unit logs; the community confirms.
    record = ServiceRecord.objects.get(description="帮老人买菜")
    assert client.post(reverse("party:servicerecord_confirm", args=[record.pk])).status_code == 404
    api = client.get("/api/in-service-members/", HTTP_ACCEPT="application/json").json()
    assert [m["name"] for m in api["results"]] == ["赵在职"]


def test_the_community_confirms_a_service_and_sees_who_logged_nothing(party, community_a1, client_for):
    client = client_for(community_a1)
    idle = InServiceMember.objects.create(
        name="孙未服务",
        unit=party["unit"],
        community=Area.objects.get(code=COMMUNITY_A1),
        reported_on=timezone.localdate(),
    )

    home = client.get("/").content.decode()
    url = reverse("core:home_widget", args=["idle_in_service"])
    assert f'hx-get="{url}"' in home  # loaded after the page (core.registry.Widget.lazy)
    html = client.get(url).content.decode()
    idle_widget = html[html.index("widget-idle-in-service") :]
    assert "本季度尚无服务记录的在职党员" in html and idle.name in idle_widget and "赵在职" not in idle_widget
    assert client.get(reverse("party:inservicemember_list"), {"idle": "yes"}).context["object_list"] == [idle]

    client.post(reverse("party:servicerecord_confirm", args=[party["service"].pk]))
    party["service"].refresh_from_db()
    assert party["service"].confirmed_by == community_a1 and party["service"].confirmed


def test_an_assigned_grid_must_lie_in_the_community_reported_to(party, street_a, client_for):
    response = client_for(street_a).post(
        reverse("party:inservicemember_add"),
        {
            "name": "错网格",
            "unit": party["unit"].pk,
            "community": COMMUNITY_A1,
            "grid": "220104001002",
            "reported_on": "2026-11-01",
        },
    )

    assert "分配网格须在报到社区内" in response.content.decode()


def test_the_api_records_a_meeting_and_takes_the_membership_of_the_day(party, street_a, client_for):
    response = client_for(street_a).post(
        "/api/meetings/",
        {
            "organisation": "A1社区第1网格党支部",
            "kind": "party_lecture",
            "held_on": "2026-11-02",
            "topic": "党课",
            "attendees": [party["li"].pk],
        },
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["expected"] == 2
    foreign = client_for(street_a).post(
        "/api/meetings/",
        {"organisation": "B1社区第1网格党支部", "kind": "party_lecture", "held_on": "2026-11-02", "topic": "越权"},
        content_type="application/json",
    )
    assert foreign.status_code == 400 and not Meeting.objects.filter(topic="越权").exists()


def test_a_units_account_sees_where_its_unit_reported(party, unit_user, client_for):
    html = client_for(unit_user).get(party["unit"].get_absolute_url()).content.decode()

    assert "共建协议" in html and "尚未到社区报到" not in html
    assert "您是报到单位“市住建局”的账号" in client_for(unit_user).get("/").content.decode()


def test_a_community_registers_a_unit_from_the_units_page(party, community_a1, client_for):
    client = client_for(community_a1)
    unit = party["unit"]
    unit.area = Area.objects.get(code=COMMUNITY_A1)
    unit.save()

    add = f"{reverse('party:unitregistration_add')}?unit={unit.pk}"
    assert add in client.get(unit.get_absolute_url()).content.decode()
    response = client.post(
        reverse("party:unitregistration_add"),
        {"unit": unit.pk, "community": "220104001001", "registered_on": "2026-11-02", "agreement": "重复报到"},
    )
    assert response.status_code == 200  # already registered with this community: refused in Chinese
    assert "该单位已在此社区报到" in response.content.decode()


def test_a_meetings_page_names_who_came_and_who_did_not_and_reads_in_chinese(party, street_a, client_for):
    party["meeting"].take_attendance([party["zhang"]], {party["li"].pk: "illness"})
    html = client_for(street_a).get(party["meeting"].get_absolute_url()).content.decode()

    # issue 15: the absent are those expected that day who did not come, with their reasons
    assert "出席 1 人（应到 2 人）" in html and "缺席 1 人" in html and "李预备</a>（因病请假）" in html
    member_page = client_for(street_a).get(party["zhang"].get_absolute_url()).content.decode()
    assert "流动党员</dt>" in member_page and ">否</dd>" in member_page and "False" not in member_page


def test_the_history_names_fields_and_related_records_in_chinese(party, street_a, client_for):
    organisation = party["grid_a1"]
    organisation.secretary = party["zhang"]
    organisation.founded_on = datetime.date(2012, 11, 1)
    organisation.save()

    html = client_for(street_a).get(organisation.get_absolute_url()).content.decode()

    assert "书记：— → 张党员" in html and "成立日期：" in html
    assert "secretary_id" not in html and "founded_on" not in html


def test_counting_the_organisations_behind_agrees_with_listing_them(party):
    start, end = Quarter.current().previous().start, Quarter.current().previous().end
    Meeting.objects.create(organisation=party["grid_a1"], kind=MeetingKind.PARTY_LECTURE, topic="党课", held_on=start)
    organisations = PartyOrganisation.objects.all()

    listed = queries.shortfalls(organisations, start, end)

    assert queries.behind_count(organisations, start, end) == len(listed) == 5


def test_a_grid_worker_sees_the_in_service_members_assigned_to_the_grid_and_logs_their_service(
    party, grid_a1, client_for
):
    client = client_for(grid_a1)

    assert [m.name for m in client.get(reverse("party:inservicemember_list")).context["object_list"]] == ["赵在职"]
    response = client.post(
        reverse("party:servicerecord_add"),
        {"member": party["zhao"].pk, "served_on": "2026-11-21", "hours": "2", "description": "网格巡查"},
    )
    assert response.status_code == 302
    assert client.post(reverse("party:servicerecord_confirm", args=[party["service"].pk])).status_code == 404


def test_a_detail_page_links_the_records_it_names_when_the_user_may_open_them(party, street_a, client_for):
    html = client_for(street_a).get(party["zhang"].get_absolute_url()).content.decode()

    assert f'<a href="{party["grid_a1"].get_absolute_url()}">A1社区第1网格党支部</a>' in html


def test_the_home_widget_counts_in_sql_and_lists_the_first_behind_in_area_order(party, street_a, client_for):
    start, end = Quarter.current().start, Quarter.current().end
    organisations = PartyOrganisation.objects.scoped(street_a, "party.record_meeting")

    first = queries.first_behind(organisations, start, end, 2)

    assert queries.behind_count(organisations, start, end) == len(queries.shortfalls(organisations, start, end)) == 3
    assert [s.organisation.name for s in first] == ["前进街道大工委", "A1社区大党委"]


def test_a_related_record_of_a_model_without_a_scope_is_named_not_linked(party, community_a1, client_for, monkeypatch):
    from orgs.models import User

    monkeypatch.setattr(User, "get_absolute_url", lambda self: f"/users/{self.pk}/", raising=False)
    client = client_for(community_a1)
    client.post(reverse("party:servicerecord_confirm", args=[party["service"].pk]))

    html = client.get(party["service"].get_absolute_url()).content.decode()

    assert "社区确认人" in html and f'href="/users/{community_a1.pk}/"' not in html


def test_no_form_or_api_offers_or_accepts_another_streets_members(party, street_a, client_for):
    client = client_for(street_a)
    # The meeting form of another street's branch, asked for by id: no member of theirs is offered.
    form = client.get(reverse("party:meeting_add"), {"organisation": party["grid_b1"].pk}).content.decode()
    assert "王党员" not in form
    # The browsable API's forms list no foreign member or in-service member…
    for url in ("/api/meetings/", "/api/service-records/", "/api/party-organisations/"):
        html = client.get(url, HTTP_ACCEPT="text/html").content.decode()
        assert "王党员" not in html and "钱在职" not in html, url
    # …and a foreign id is refused like a missing one.
    meeting = client.post(
        "/api/meetings/",
        {
            "organisation": "A1社区第1网格党支部",
            "kind": "party_day",
            "held_on": "2026-11-02",
            "topic": "越权",
            "attendees": [party["wang"].pk],
        },
        content_type="application/json",
    )
    service = client.post(
        "/api/service-records/",
        {"member": party["qian"].pk, "served_on": "2026-11-02", "hours": "1", "description": "越权"},
        content_type="application/json",
    )
    assert meeting.status_code == service.status_code == 400
    assert "不存在" in meeting.content.decode() or "无效" in meeting.content.decode()


def test_choosing_the_organisation_reloads_the_meeting_form_with_its_members_and_what_was_typed(
    party, grid_a1, client_for
):
    client = client_for(grid_a1)
    empty = client.get(reverse("party:meeting_add")).content.decode()
    assert 'hx-get="."' in empty and "先选择党组织" in empty and "张党员" not in empty

    # What htmx sends when the organisation is chosen: the whole form, as a query.
    reloaded = client.get(
        reverse("party:meeting_add"), {"organisation": party["grid_a1"].pk, "topic": "学习党章", "kind": "party_day"}
    ).content.decode()

    assert "张党员" in reloaded and 'value="学习党章"' in reloaded
