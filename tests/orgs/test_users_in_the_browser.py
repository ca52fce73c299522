"""Issue #15, defects 9 and 10, in headless Chromium: the city's organisation department picks a
new user's area by typing its name and clicking it; it deactivates a user, finds them under
已停用, restores them after a confirmation, and the deactivated user is told at the login page."""

import pytest

from orgs.choices import Role
from orgs.models import RoleAssignment, User
from tests.conftest import PASSWORD
from tests.grids.test_roster_loop_in_the_browser import log_in

pytestmark = [pytest.mark.browser]


def test_the_area_of_a_new_user_is_picked_by_typing_its_name(transactional_db, areas, city_org, live_server, browser):
    from playwright.sync_api import expect

    page = log_in(browser, live_server.url, "city_org")
    page.goto(f"{live_server.url}/users/")
    page.get_by_role("link", name="新建用户").click()
    page.get_by_label("用户名").fill("wangge_a12")
    page.get_by_label("姓名").fill("赵新")
    search = page.get_by_label("管辖区划")
    search.press_sequentially("A1", delay=50)
    community = page.locator('input[type=radio][value="220104001001"]')  # A1社区
    expect(community).to_be_visible()
    page.get_by_label("角色").select_option(label="网格员")
    expect(community).to_have_count(0)  # the role narrows the areas found: no grid worker over a community
    search.fill("")
    search.press_sequentially("第2", delay=50)
    choice = page.get_by_role("radio", name="第2网格")
    expect(choice).to_be_visible()
    choice.check()
    page.locator("#id_password1").fill("first-login-pw-77")
    page.get_by_label("再次输入初始密码").fill("first-login-pw-77")
    page.get_by_role("button", name="创建用户").click()

    expect(page.locator("h1")).to_contain_text("赵新")
    user = User.objects.get(username="wangge_a12")
    assert list(user.role_assignments.values_list("role", "area__code")) == [(Role.GRID_WORKER, "220104001001002")]


def test_the_unit_account_asks_for_the_unit_and_not_the_area(transactional_db, areas, city_org, live_server, browser):
    from playwright.sync_api import expect

    from party.choices import UnitKind
    from party.models import ReportingUnit

    unit = ReportingUnit.objects.create(name="市住建局", kind=UnitKind.AGENCY, area=areas["220104001"])
    page = log_in(browser, live_server.url, "city_org")
    page.goto(f"{live_server.url}/users/new/")
    page.get_by_label("角色").select_option(label="报到单位账号")

    expect(page.get_by_label("管辖区划")).to_be_hidden()
    page.get_by_label("报到单位").select_option(label="市住建局")
    page.get_by_label("用户名").fill("danwei_zj")
    page.get_by_label("姓名").fill("周晓光")
    page.locator("#id_password1").fill("first-login-pw-77")
    page.get_by_label("再次输入初始密码").fill("first-login-pw-77")
    page.get_by_role("button", name="创建用户").click()

    expect(page.locator("h1")).to_contain_text("周晓光")
    assert list(User.objects.get(username="danwei_zj").reporting_units.all()) == [unit]


def test_a_deactivated_user_is_found_again_and_restored(
    transactional_db, areas, city_org, grid_a1, live_server, browser
):
    from playwright.sync_api import expect

    page = log_in(browser, live_server.url, "city_org")
    base = live_server.url
    page.goto(f"{base}/users/")
    page.get_by_role("link", name="grid_a1").click()
    page.get_by_role("link", name="停用").click()
    expect(page.get_by_text("确定停用吗")).to_be_visible()
    page.get_by_role("button", name="停用").click()

    expect(page.locator("h1")).to_contain_text("已停用")  # the user's page, not 页面不存在
    expect(page.get_by_role("link", name="恢复")).to_be_visible()
    assert not User.objects.get(pk=grid_a1.pk).is_active

    # The deactivated user is told so at the login page.
    stranger = browser.new_context(locale="zh-CN").new_page()
    stranger.goto(f"{base}/login/")
    stranger.get_by_label("用户名").fill("grid_a1")
    stranger.get_by_label("密码").fill(PASSWORD)
    stranger.get_by_role("button", name="登录").click()
    expect(stranger.get_by_role("alert")).to_contain_text("您的账号已停用")

    page.goto(f"{base}/users/")
    expect(page.get_by_role("link", name="grid_a1")).to_have_count(0)  # 在用 only, by default
    page.get_by_label("状态").select_option(label="已停用")
    page.get_by_role("button", name="筛选").click()
    row = page.get_by_role("row", name="grid_a1")
    row.get_by_role("link", name="恢复").click()
    expect(page.get_by_text("确定恢复吗")).to_be_visible()
    page.get_by_role("button", name="恢复").click()

    expect(page.locator("h1")).to_contain_text("在用")
    assert User.objects.get(pk=grid_a1.pk).is_active
    assert RoleAssignment.objects.filter(user=grid_a1).exists()  # the roles were kept
