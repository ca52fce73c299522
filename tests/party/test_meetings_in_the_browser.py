"""Issue 15 in headless Chromium: a meeting form double-clicked records one meeting; 全选 ticks
everyone expected; the in-service list is whole on a 390 px phone."""

import time

import pytest
from playwright.sync_api import expect

from orgs.choices import Role
from party.forms import MeetingForm
from party.models import Meeting
from tests.conftest import make_user
from tests.grids.test_roster_loop_in_the_browser import log_in

from .conftest import COMMUNITY_A1

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def meeting_form(browser, live_server, party, user):
    page = log_in(browser, live_server.url, user)
    page.goto(f"{live_server.url}/party/meetings/add/?organisation={party['grid_a1'].pk}")
    page.get_by_label("类型").select_option(label="支部党员大会")
    page.wait_for_load_state("networkidle")  # the form reloads with those expected at that meeting
    page.get_by_label("主题").fill("学习第一议题")
    return page


def test_a_meeting_form_double_clicked_records_one_meeting(transactional_db, party, live_server, browser, monkeypatch):
    make_user("shequ_a1", Role.COMMUNITY_CADRE, party["grid_a1"].area.parent)
    page = meeting_form(browser, live_server, party, "shequ_a1")
    page.get_by_label("张党员").check()

    saving = MeetingForm.save

    def slow_save(form, *args, **kwargs):  # a busy server: the first post is still being saved
        time.sleep(0.6)
        return saving(form, *args, **kwargs)

    monkeypatch.setattr(MeetingForm, "save", slow_save)  # the live server runs in this process
    # Two clicks a moment apart, the first post already at the server.
    page.evaluate(
        """() => {
            const button = document.querySelector('#object-form button[type="submit"]');
            button.click();
            return new Promise((done) => setTimeout(() => { button.click(); done(); }, 150));
        }"""
    )
    page.wait_for_url(f"{live_server.url}/party/meetings/*/")
    page.wait_for_load_state("networkidle")

    assert Meeting.objects.filter(topic="学习第一议题").count() == 1
    assert page.locator("h1").inner_text().endswith("学习第一议题")


def test_select_all_ticks_everyone_expected_and_a_second_click_unticks_them(
    transactional_db, party, live_server, browser
):
    make_user("shequ_a1", Role.COMMUNITY_CADRE, party["grid_a1"].area.parent)
    page = meeting_form(browser, live_server, party, "shequ_a1")
    boxes = page.locator('input[name="attendees"]')
    assert boxes.count() == 2

    page.get_by_role("button", name="全选").click()
    assert all(boxes.nth(n).is_checked() for n in range(2))
    assert not page.get_by_title("李预备的缺席原因").is_visible()  # no reason asked of one who came
    page.get_by_role("button", name="全选").click()
    assert not any(boxes.nth(n).is_checked() for n in range(2))
    page.get_by_title("李预备的缺席原因").select_option(label="因病请假")
    page.get_by_role("button", name="全选").click()
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"{live_server.url}/party/meetings/*/")

    meeting = Meeting.objects.get(topic="学习第一议题")
    assert meeting.attendance == "2/2" and not meeting.absences.exists()


def test_the_in_service_list_is_whole_on_a_phone(transactional_db, party, areas, live_server, browser):
    make_user("shequ_a1", Role.COMMUNITY_CADRE, areas[COMMUNITY_A1])
    page = log_in(browser, live_server.url, "shequ_a1")
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"{live_server.url}/party/in-service/")

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for label in ("分配网格", "志愿服务队", "联系电话", "报到日期", "本季度服务时长"):
        cell = page.locator(f'td[data-label="{label}"]').first
        box = cell.bounding_box()
        assert cell.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= 390, label
    assert page.locator('td[data-label="分配网格"]').first.inner_text() == "第1网格"


def test_the_list_of_those_expected_cannot_be_ticked_while_it_reloads(transactional_db, party, live_server, browser):
    """A tick given while the list reloads would be lost when the new list replaces it (a slow
    network, a busy server): until it is back, the list is disabled, and the tick given after it
    is saved."""
    make_user("shequ_a1", Role.COMMUNITY_CADRE, party["grid_a1"].area.parent)
    page = log_in(browser, live_server.url, "shequ_a1")
    page.goto(f"{live_server.url}/party/meetings/add/?organisation={party['grid_a1'].pk}")
    page.wait_for_load_state("networkidle")
    held = []
    page.route(lambda url: "kind=" in url, lambda route: held.append(route))  # the reload waits at the network

    page.get_by_label("类型").select_option(label="支部党员大会")
    page.wait_for_function("() => document.querySelector('#attendance input[name=attendees]').disabled")
    assert len(held) == 1
    assert page.locator("#attendance input, #attendance select, #attendance button").evaluate_all(
        "nodes => nodes.every((node) => node.disabled)"
    )
    held[0].continue_()
    expect(page.get_by_label("张党员")).to_be_enabled()
    page.get_by_label("张党员").check()
    page.get_by_label("主题").fill("学习第一议题")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"{live_server.url}/party/meetings/*/")

    assert list(Meeting.objects.get(topic="学习第一议题").attendees.values_list("name", flat=True)) == ["张党员"]
