"""Residents' requests (issue 19): routed by category and place through the street's table, due by
the category's limit; moved through the lights by declared steps, each kept with who and when,
refused in Chinese from a wrong state or when another user moved it first; overdue and escalated
to the street; the return visit's satisfaction; the resident's phone masked; the rates for every
area of a level in one query; nothing of street A for street B."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import StateChange
from core.notices import Notice
from services import indicators_requests
from services.forms_requests import RequestForm
from services.models_requests import ResidentRequest, RoutingRule, route
from services.permissions import HANDLE_REQUEST
from services.requests_flow import REQUESTS, overdue, transfer

from .conftest import COMMUNITY_A1, COMMUNITY_A2, STREET_A, department_user
from .requests_cast import BUILDING_1, GRID_A1, GRID_A2, new_request

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def take(name, record, user, **kwargs):
    return REQUESTS.take(name, {"pk": record.pk}, user, **kwargs)


def test_routing_takes_the_deepest_rule_and_falls_back_to_the_grid_then_the_community(areas, categories, departments):
    building, a2 = areas[BUILDING_1], areas[COMMUNITY_A2]

    assert route(categories["环境卫生"], building) == (areas[GRID_A1], None)  # the grid's own rule
    assert route(categories["物业管理"], building) == (areas[COMMUNITY_A1], None)  # the community's beats the street's
    assert route(categories["物业管理"], a2) == (areas[STREET_A], None)  # only the street's covers A2
    assert route(categories["占道经营"], building) == (None, departments["chaoyang_other"])
    assert route(categories["环境卫生"], a2) == (a2, None)  # no rule, no grid: the place's community
    grid_a2 = areas[GRID_A2]
    assert route(categories["环境卫生"], grid_a2) == (grid_a2, None)  # no rule: the place's own grid (小事不出网格)
    assert route(categories["物业管理"], grid_a2) == (areas[COMMUNITY_A1], None)  # a rule sends it up


def test_a_request_is_due_by_its_categorys_limit_and_the_body_is_told(areas, categories, grid_a1, street_a):
    record = new_request(areas, categories["环境卫生"], street_a)

    assert record.responsible_area == areas[GRID_A1]
    assert record.due_on == timezone.localdate() + datetime.timedelta(days=3)
    assert Notice.objects.filter(recipient=grid_a1, source__startswith=f"services.request:{record.pk}:").exists()


def test_a_request_routed_to_a_department_is_told_to_its_users_and_read_by_them_alone(
    areas, categories, departments, client_for, minzheng
):
    chengguan = department_user("chengguan", departments["chaoyang_other"])
    record = new_request(areas, categories["占道经营"], chengguan)
    other = new_request(areas, categories["环境卫生"], chengguan)

    assert record.responsible_department == departments["chaoyang_other"]
    assert client_for(chengguan).get(record.get_absolute_url()).status_code == 200
    assert client_for(chengguan).get(other.get_absolute_url()).status_code == 404
    assert client_for(minzheng).get(record.get_absolute_url()).status_code == 404
    take("accept", record, chengguan)
    assert ResidentRequest.objects.get(pk=record.pk).status == "handling"


def test_every_light_to_closed_with_satisfaction_each_step_kept(a_request, grid_a1, street_a):
    for name in ("accept", "submit", "verify", "close_basic"):
        take(name, a_request, grid_a1)

    record = ResidentRequest.objects.get(pk=a_request.pk)
    steps = list(
        StateChange.objects.filter(object_id=record.pk, transition__in=REQUESTS.transitions).order_by("at", "pk")
    )
    assert record.status == "closed" and record.satisfaction == "basic" and record.closed_at is not None
    assert [(s.from_state, s.to_state) for s in steps] == [
        ("received", "handling"),
        ("handling", "verifying"),
        ("verifying", "visiting"),
        ("visiting", "closed"),
    ]
    assert {s.user for s in steps} == {grid_a1}


def test_a_step_not_allowed_from_the_state_is_refused_in_chinese(a_request, grid_a1):
    with pytest.raises(ValidationError) as refused:
        take("verify", a_request, grid_a1)

    assert "当前为“待受理”，不能核验通过" in " ".join(refused.value.messages)
    assert ResidentRequest.objects.get(pk=a_request.pk).status == "received"


def test_an_unsatisfied_visit_and_a_return_need_a_reason(a_request, grid_a1):
    take("accept", a_request, grid_a1)
    with pytest.raises(ValidationError) as refused:
        take("return_received", a_request, grid_a1)
    assert "请填写原因" in refused.value.messages[0]

    take("return_received", a_request, grid_a1, reason="地址不详，请补充")
    assert ResidentRequest.objects.get(pk=a_request.pk).status == "received"


def test_two_moves_at_once_one_wins_the_other_is_told(a_request, grid_a1, street_a):
    take("accept", a_request, grid_a1, seen="received")

    with pytest.raises(ValidationError) as refused:
        take("accept", a_request, street_a, seen="received")  # saw it received too

    assert "刚刚已变为“办理中”" in refused.value.messages[0]
    assert StateChange.objects.filter(object_id=a_request.pk, transition="accept").count() == 1


def test_reopening_a_closed_request_counts_and_clears_its_visit(a_request, grid_a1, street_a, client_for):
    for name in ("accept", "submit", "verify", "close_satisfied"):
        take(name, a_request, grid_a1)

    assert client_for(grid_a1).post(reverse("services:residentrequest_reopen", args=[a_request.pk])).status_code == 404
    take("reopen", a_request, street_a, reason="居民反映问题复发")

    record = ResidentRequest.objects.get(pk=a_request.pk)
    assert (record.status, record.reopened, record.satisfaction, record.closed_at) == ("handling", 1, "", None)


def test_transfer_sends_to_another_body_with_a_reason(areas, a_request, street_a, departments):
    with pytest.raises(ValidationError) as refused:
        transfer(a_request, street_a, area=areas[GRID_A1], reason="换人")
    assert "已由“第1网格" in refused.value.messages[0]

    transfer(a_request, street_a, department=departments["chaoyang_other"], reason="属执法事项")

    record = ResidentRequest.objects.get(pk=a_request.pk)
    assert record.responsible_department == departments["chaoyang_other"] and record.responsible_area is None
    assert StateChange.objects.get(object_id=record.pk, transition="transfer").reason == "属执法事项"


def test_the_street_transfers_through_the_api_and_a_sibling_street_is_not_found(
    a_request, street_a, street_b, grid_a1, departments, client_for
):
    url = "/api/request-steps/transfer/"
    body = {"request": a_request.pk, "state": "received", "reason": "属执法事项"}
    to_department = {**body, "responsible_department": departments["chaoyang_other"].pk}

    outsider = client_for(street_b).post(url, to_department, content_type="application/json")
    grid_worker = client_for(grid_a1).post(url, to_department, content_type="application/json")
    both = client_for(street_a).post(
        url, {**to_department, "responsible_area": COMMUNITY_A1}, content_type="application/json"
    )
    foreign = client_for(street_a).post(
        url, {**body, "responsible_department": departments["nanguan"].pk}, content_type="application/json"
    )

    assert (outsider.status_code, grid_worker.status_code) == (404, 404)
    assert both.status_code == 400 and "只选一项" in both.content.decode()
    assert foreign.status_code == 400 and "不在您所在的区、市" in foreign.content.decode()
    assert not StateChange.objects.filter(object_id=a_request.pk, transition="transfer").exists()

    done = client_for(street_a).post(url, to_department, content_type="application/json")

    assert done.status_code == 200, done.content
    assert (done.json()["responsible_department"], done.json()["status"]) == (
        departments["chaoyang_other"].pk,
        "received",
    )
    record = ResidentRequest.objects.get(pk=a_request.pk)
    assert record.responsible_department == departments["chaoyang_other"] and record.responsible_area is None
    assert StateChange.objects.get(object_id=record.pk, transition="transfer").user == street_a
    again = client_for(street_a).post(url, to_department, content_type="application/json")
    assert again.status_code == 400 and "另一个承办单位" in again.content.decode()


def test_overdue_is_flagged_filtered_and_escalated_to_the_street(
    a_request, areas, categories, grid_a1, street_a, client_for
):
    late = new_request(areas, categories["环境卫生"], grid_a1)
    ResidentRequest.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=2))
    closed_late = new_request(areas, categories["环境卫生"], grid_a1)
    ResidentRequest.objects.filter(pk=closed_late.pk).update(status="closed", due_on=datetime.date(2020, 1, 1))

    assert (
        ResidentRequest.objects.get(pk=late.pk).overdue and not ResidentRequest.objects.get(pk=closed_late.pk).overdue
    )
    page = client_for(street_a).get(reverse("services:residentrequest_list"), {"overdue": "true"}).content.decode()
    assert late.number in page and a_request.number not in page and closed_late.number not in page
    due = list(overdue(timezone.localdate()))
    assert [(d.record.pk, d.area, d.action) for d in due] == [(late.pk, STREET_A, "services.transfer_request")]


def test_the_residents_phone_is_masked_unless_granted(a_request, grid_a1, client_for, grant_personal_data):
    page = client_for(grid_a1).get(a_request.get_absolute_url()).content.decode()
    api = client_for(grid_a1).get(f"/api/requests/{a_request.pk}/").json()

    assert "13900001111" not in page and "139****1111" in page
    assert api["resident_phone"] == "139****1111" and "王先生" not in str(api)
    grant_personal_data(grid_a1)
    assert client_for(grid_a1).get(f"/api/requests/{a_request.pk}/").json()["resident_phone"] == "13900001111"


def test_a_place_outside_the_scope_and_a_wrong_photo_are_refused(areas, categories, grid_a1):
    data = {"area": COMMUNITY_A2, "channel": "grid", "category": categories["环境卫生"].pk, "description": "路灯不亮"}
    photo = SimpleUploadedFile("现场.png", b"MZ\x90\x00not a png")

    form = RequestForm(data, {"photo": photo}, user=grid_a1)

    assert not form.is_valid()
    assert "不在您的管辖范围内" in form.errors["area"][0]
    assert "文件内容与扩展名不符" in form.errors["photo"][0]
    good = RequestForm({**data, "area": BUILDING_1}, {"photo": SimpleUploadedFile("现场.png", PNG)}, user=grid_a1)
    assert good.is_valid(), good.errors
    assert good.save().photo


def test_a_category_of_another_street_is_refused(areas, categories, street_a):
    data = {"area": BUILDING_1, "channel": "street", "category": categories["b_category"].pk, "description": "x"}

    form = RequestForm(data, user=street_a)

    assert not form.is_valid() and "category" in form.errors


def test_street_b_finds_nothing_of_street_a(a_request, street_b, client_for):
    client = client_for(street_b)

    assert client.get(a_request.get_absolute_url()).status_code == 404
    assert client.get(f"/api/requests/{a_request.pk}/").status_code == 404
    assert a_request.number not in client.get(reverse("services:residentrequest_list")).content.decode()


def test_the_search_finds_a_request_by_number_or_content_in_scope_and_never_by_the_residents_name(
    a_request, areas, categories, grid_a1, street_a, street_b, departments, client_for
):
    routed = new_request(areas, categories["占道经营"], grid_a1)
    ResidentRequest.objects.filter(pk=routed.pk).update(description="商户占道摆摊")
    chengguan, minzheng = (
        department_user(name, departments[key]) for name, key in (("cg", "chaoyang_other"), ("mz", "chaoyang"))
    )

    def found(user, query, record):
        page = client_for(user).get(reverse("core:search"), {"q": query}).content.decode()
        return record.get_absolute_url() in page

    assert found(grid_a1, a_request.number, a_request) and found(street_a, str(a_request), a_request)
    assert found(street_a, "堆放杂物", a_request) and not found(street_a, "王先生", a_request)
    assert found(chengguan, "占道摆摊", routed) and not found(chengguan, "堆放杂物", a_request)
    assert not found(minzheng, "占道摆摊", routed)
    assert not found(street_b, a_request.number, a_request) and not found(street_b, "堆放杂物", a_request)


def test_the_rates_for_every_area_of_a_level_in_one_query(
    areas, categories, grid_a1, street_a, django_assert_num_queries
):
    records = [new_request(areas, categories["环境卫生"], grid_a1) for _n in range(4)]
    a2 = new_request(areas, categories["物业管理"], grid_a1, place=COMMUNITY_A2)
    for record, visit in zip(records[:3], ("close_satisfied", "close_basic", "close_unsatisfied"), strict=True):
        for name in ("accept", "submit", "verify"):
            take(name, record, grid_a1)
        take(visit, record, grid_a1, reason="没修好")
    take("reopen", records[2], street_a, reason="复发")
    ResidentRequest.objects.filter(pk=records[0].pk).update(due_on=datetime.date(2020, 1, 1))  # closed late
    today = timezone.localdate()
    start, end = today.replace(day=1), today + datetime.timedelta(days=1)
    a, a1, a2_id = areas[STREET_A].pk, areas[COMMUNITY_A1].pk, areas[COMMUNITY_A2].pk

    with django_assert_num_queries(1):
        closed = indicators_requests.closed(["street", "community"], start, end)
    on_time = indicators_requests.on_time("community", start, end)
    satisfied = indicators_requests.satisfied("street", start, end)
    reopened = indicators_requests.reopened("community", start, end)

    assert closed == {a: (2, 5), a1: (2, 4), a2_id: (0, 1)}
    assert on_time == {a1: (1, 4), a2_id: (0, 1)}
    assert satisfied == {a: (2, 2)}  # the reopened one's visit is no longer counted
    assert reopened == {a1: (1, 4), a2_id: (0, 1)}
    assert a2.area.code == COMMUNITY_A2


def test_the_sources_and_figures_are_registered():
    from core.registry import registry

    keys = set(registry.indicator_sources)
    assert {
        "services.requests_closed",
        "services.requests_on_time",
        "services.requests_satisfied",
        "services.requests_reopened",
    } <= keys
    assert {"services.requests_open", "services.requests_overdue"} <= {f.key for f in registry.figures}


def test_the_routing_table_refuses_a_rule_without_a_body_or_with_both(areas, categories, departments):
    rule = RoutingRule(area=areas[STREET_A], category=categories["环境卫生"])
    with pytest.raises(ValidationError) as refused:
        rule.full_clean()
    assert "选择且只选择一项" in " ".join(refused.value.messages)


def test_a_closed_request_is_not_transferred_and_the_page_says_why(a_request, grid_a1, street_a, client_for):
    for name in ("accept", "submit", "verify", "close_satisfied"):
        take(name, a_request, grid_a1)
    client = client_for(street_a)

    response = client.get(reverse("services:residentrequest_transfer_to", args=[a_request.pk]), follow=True)

    assert "只有待受理或办理中的诉求才能转办" in response.content.decode()
    assert not StateChange.objects.filter(object_id=a_request.pk, transition="transfer").exists()


def test_the_five_steps_of_a_deliberation_keep_their_order(a_request, community_a1, client_for):
    data = {
        "request": a_request.pk,
        "topic": "楼道杂物清理公约",
        "participants": "居民代表、物业、社区“两委”",
        "collect": "入户收集意见",
        "collect_on": "2026-11-02",
        "review": "社区党委审查",
        "review_on": "2026-11-01",
    }

    refused = client_for(community_a1).post(reverse("services:deliberation_add"), data)
    data["review_on"] = "2026-11-05"
    saved = client_for(community_a1).post(reverse("services:deliberation_add"), data)

    assert "各步骤的日期须按顺序" in refused.content.decode()
    assert saved.status_code == 302 and a_request.deliberation.review == "社区党委审查"


def test_a_request_is_read_where_it_is_placed_and_where_it_is_handled_at_every_level(
    areas, categories, grid_a1, street_a, street_b, community_a1
):
    """The scope read two ways (models_requests.ResidentRequest.scope_hook): a district's by the
    joins on the codes, a street's, community's or grid's by the ids of its requests — the same
    rows either way: placed in the area, or handled there (here a request of street B's place sent
    to grid A1)."""
    from orgs.choices import Role
    from orgs.scoping import Action
    from tests.conftest import make_user

    here = new_request(areas, categories["环境卫生"], grid_a1)  # placed and handled in grid A1
    sent = new_request(areas, categories["b_category"], street_b, place="220104002")
    ResidentRequest.objects.filter(pk=sent.pk).update(responsible_area=areas[GRID_A1])
    district = make_user("district_reader", Role.ORG_DEPARTMENT, areas["220104"])

    def read(user, action=Action.VIEW):
        return set(ResidentRequest.objects.scoped(user, action).values_list("pk", flat=True))

    for user in (grid_a1, community_a1, street_a, district):
        assert read(user) == {here.pk, sent.pk}, user
    assert read(street_b) == {sent.pk}  # its place
    assert read(grid_a1, HANDLE_REQUEST) == {here.pk, sent.pk}
    assert read(street_b, HANDLE_REQUEST) == set()  # handled in grid A1, not by street B
