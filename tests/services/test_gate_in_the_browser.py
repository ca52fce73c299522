"""Issue 19, the lists' acceptance in headless Chromium: a department pushes a task that is not on
community A1's admission list — it is stopped at the gate, and the street finds it on its home page
and approves it; a street-B cadre gets 404 on it; an anonymous visitor reads the community's
public-service list, printable, without its draft. Screenshots go to $SCREENSHOTS when set."""

import pytest

from services.choices import TaskStatus
from services.models import GateTask
from tests.grids.test_roster_loop_in_the_browser import log_in
from tests.property.test_evaluation_in_the_browser import PHONE, shoot

from .conftest import COMMUNITY_A1

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_task_off_the_list_waits_at_the_gate_until_the_street_approves(
    transactional_db, lists, departments, minzheng, street_a, street_b, live_server, browser
):
    base = live_server.url

    # 朝阳区民政局 pushes a task that is not on community A1's admission list.
    department = log_in(browser, base, "minzheng")
    department.goto(f"{base}/services/tasks/add/")
    department.get_by_label("承接社区").fill(COMMUNITY_A1)
    department.get_by_label("事项名称").fill("填报商户消防安全台账")
    department.get_by_label("工作内容").fill("逐户填报，每月上报。")
    shoot(department, "gate-push")
    department.get_by_role("button", name="保存").click()
    task = GateTask.objects.get(name="填报商户消防安全台账")
    department.wait_for_url(f"{base}{task.get_absolute_url()}")
    assert task.status == TaskStatus.STOPPED
    assert "待街道审批" in department.locator("main").inner_text()

    # The street finds it on its home page and approves it.
    street = log_in(browser, base, "street_a")
    street.wait_for_selector(".widget-gate-stops")
    assert "填报商户消防安全台账" in street.locator(".widget-gate-stops").inner_text()
    shoot(street, "gate-home")
    street.locator(".widget-gate-stops").get_by_text("填报商户消防安全台账").click()
    street.wait_for_url(f"{base}{task.get_absolute_url()}")
    street.get_by_role("link", name="批准").click()
    street.get_by_role("button", name="确认批准").click()
    street.wait_for_url(f"{base}{task.get_absolute_url()}")
    task.refresh_from_db()
    assert (task.status, task.by) == (TaskStatus.APPROVED, street_a)
    assert "街道已批准" in street.locator("main").inner_text()

    # The department sees it approved; street B finds nothing.
    department.reload()
    assert "街道已批准" in department.locator("main").inner_text()
    outsider = log_in(browser, base, "street_b")
    assert outsider.goto(f"{base}{task.get_absolute_url()}").status == 404


def test_an_anonymous_visitor_reads_a_communitys_public_service_list(transactional_db, lists, live_server, browser):
    context = browser.new_context(locale="zh-CN", viewport=PHONE)
    page = context.new_page()

    response = page.goto(f"{live_server.url}/public/lists/{COMMUNITY_A1}/")

    assert response.status == 200
    section = page.locator("#list-service")
    assert "公共服务事项清单" in section.inner_text()
    assert "老年人优待证办理" in section.inner_text() and "5个工作日" in section.inner_text()
    assert "未发布的草稿事项" not in page.content()
    assert page.get_by_role("button", name="打印").is_visible()
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="打印").is_visible()  # the print hides the page's controls
    shoot(page, "public-lists-phone")
