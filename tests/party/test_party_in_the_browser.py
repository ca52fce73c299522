"""Issue #9, acceptance 1, in headless Chromium and in Chinese: a community cadre creates a grid
branch, adds members, records a 三会一课 meeting with attendance, registers a reporting unit and an
in-service member and logs their service, and sees all of it on the community's page and its
organisation chart; a street-B cadre gets 404 on every one of those pages; the reporting unit's
own account sees only its own members."""

import re

import pytest
from django.test import Client

from orgs.choices import Role
from party.models import InServiceMember, Meeting, PartyMember, PartyOrganisation, ReportingUnit, ServiceRecord
from tests.conftest import make_user
from tests.grids.test_roster_loop_in_the_browser import log_in

from .conftest import valid_id_number

pytestmark = [pytest.mark.browser, pytest.mark.slow]

COMMUNITY_A1, GRID_A2 = "220104001001", "220104001001002"


def fill(page, label, value):
    page.get_by_label(label).first.fill(value)


def save(page):
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()


def test_a_community_cadre_builds_its_party_side_and_street_b_sees_none_of_it(
    transactional_db, areas, live_server, browser
):
    from playwright.sync_api import expect

    make_user("shequ_a1", Role.COMMUNITY_CADRE, areas[COMMUNITY_A1])
    street_b = make_user("street_b_cadre", Role.STREET_CADRE, areas["220104002"])
    page = log_in(browser, live_server.url, "shequ_a1")
    base = live_server.url
    visited = []

    # A grid branch of the community.
    page.goto(f"{base}/party/organisations/add/")
    fill(page, "名称", "A1社区第2网格党支部")
    page.get_by_label("类型").select_option(label="网格党支部")
    fill(page, "所在区划", GRID_A2)
    save(page)
    expect(page.locator("h1")).to_have_text("A1社区第2网格党支部")
    branch = PartyOrganisation.objects.get(name="A1社区第2网格党支部")
    visited.append(page.url)

    # Two members, from the branch's page.
    for name, number in (("赵红", "22010419800101061"), ("钱明", "22010419800101071")):
        page.goto(base + branch.get_absolute_url())
        page.get_by_role("link", name="添加党员").click()
        fill(page, "姓名", name)
        fill(page, "身份证号", valid_id_number(number))
        fill(page, "联系电话", "13800000000"[: -len(str(len(visited)))] + str(len(visited)))
        save(page)
        expect(page.locator("h1")).to_have_text(name)
        visited.append(page.url)
    assert PartyMember.objects.filter(organisation=branch).count() == 2

    # A 支部党员大会 with who came, from the branch's page.
    page.goto(base + branch.get_absolute_url())
    page.get_by_role("link", name="记录组织生活").click()
    page.get_by_label("类型").select_option(label="支部党员大会")
    fill(page, "主题", "学习贯彻第一议题")
    page.get_by_label("赵红").check()
    save(page)
    expect(page.locator(".card-header", has_text="出席")).to_contain_text("出席 1 人（应到 2 人）")
    expect(page.get_by_text("缺席 1 人")).to_contain_text("钱明")  # issue 15: the absent of those expected
    visited.append(page.url)
    assert Meeting.objects.get(topic="学习贯彻第一议题").attendees.get().name == "赵红"

    # A reporting unit, registered with the community, and one of its members who reports here.
    page.goto(f"{base}/party/units/add/")
    fill(page, "单位名称", "市交通运输局")
    page.get_by_label("单位类型").select_option(label="机关")
    fill(page, "登记区划", COMMUNITY_A1)
    save(page)
    unit = ReportingUnit.objects.get(name="市交通运输局")
    visited.append(page.url)
    page.get_by_role("link", name="登记到社区报到").click()
    fill(page, "报到社区", COMMUNITY_A1)
    fill(page, "共建协议", "组织共建、活动共办、资源共享")
    save(page)
    visited.append(page.url)
    page.goto(f"{base}/party/in-service/add/")
    fill(page, "姓名", "孙在职")
    page.get_by_label("所在单位").select_option(label="市交通运输局")
    fill(page, "报到社区", COMMUNITY_A1)
    fill(page, "分配网格", GRID_A2)
    page.get_by_label("志愿服务队").select_option(label="红色教育")
    save(page)
    expect(page.locator("h1")).to_have_text("孙在职")
    visited.append(page.url)

    # Their service, logged and confirmed by the community.
    page.get_by_role("link", name="登记服务").click()
    fill(page, "服务内容", "为独居老人送餐")
    save(page)
    visited.append(page.url)
    page.get_by_role("button", name="确认服务").click()
    expect(page.locator(".alert-success")).to_contain_text("已确认该服务记录")
    assert ServiceRecord.objects.get(description="为独居老人送餐").confirmed

    # All of it on the community's page and its organisation chart.
    page.goto(f"{base}/areas/{COMMUNITY_A1}/")
    panel = page.locator(".panel-party")
    expect(panel).to_contain_text("报到在职党员")
    expect(panel.locator(".fs-5").nth(1)).to_have_text("2")  # members
    expect(panel.locator(".fs-5").nth(2)).to_have_text("1")  # reported in-service members
    page.get_by_role("link", name="党组织架构").click()
    expect(page.locator(".org-chart")).to_contain_text("A1社区第2网格党支部")
    expect(page.locator(".org-chart")).to_contain_text("2 名党员")
    visited.append(page.url)

    # Street B finds none of those pages.
    outsider = Client()
    outsider.force_login(street_b)
    for url in visited:
        path = re.sub(r"^https?://[^/]+", "", url)
        assert outsider.get(path).status_code == 404, path

    # The unit's own account sees its member and nobody else's.
    account = make_user("jiaotong", None, None)
    unit.users.add(account)
    InServiceMember.objects.create(
        name="别单位",
        unit=ReportingUnit.objects.create(name="市卫健委", kind="agency", area=areas[COMMUNITY_A1]),
        community=areas[COMMUNITY_A1],
    )
    unit_page = log_in(browser, base, "jiaotong")
    unit_page.goto(f"{base}/party/in-service/")
    expect(unit_page.locator("table")).to_contain_text("孙在职")
    expect(unit_page.locator("table")).not_to_contain_text("别单位")
