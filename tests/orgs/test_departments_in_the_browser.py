"""Issue 16 §3 in headless Chromium: the city's organisation department creates the user of
朝阳区住建局 — choosing the role 职能部门 brings up the department, chosen among the city's — and
the new user sees their office beside their name."""

import pytest

from orgs.choices import Role
from orgs.models import Department, DepartmentKind, RoleAssignment
from tests.conftest import PASSWORD
from tests.grids.test_roster_loop_in_the_browser import log_in

pytestmark = [pytest.mark.browser]


def test_the_department_is_asked_for_the_department_role_only(transactional_db, areas, city_org, live_server, browser):
    from playwright.sync_api import expect

    kind, _created = DepartmentKind.objects.get_or_create(name="住建")
    bureau = Department.objects.create(
        name="朝阳区住房和城乡建设局", short_name="朝阳区住建局", kind=kind, area=areas["220104"]
    )
    page = log_in(browser, live_server.url, "city_org")
    page.goto(f"{live_server.url}/users/new/")
    department = page.get_by_label("职能部门", exact=True)

    page.get_by_label("角色").select_option(label="街道干部")
    expect(department).to_be_hidden()
    page.get_by_label("角色").select_option(label="职能部门")
    expect(department).to_be_visible()

    department.select_option(label="朝阳区住房和城乡建设局（朝阳区）")
    page.get_by_label("管辖区划").press_sequentially("朝阳", delay=50)
    page.get_by_role("radio", name="朝阳区").check()
    page.get_by_label("用户名").fill("zhujian_zy")
    page.get_by_label("姓名").fill("赵文斌")
    page.locator("#id_password1").fill(PASSWORD)
    page.get_by_label("再次输入初始密码").fill(PASSWORD)
    page.get_by_role("button", name="创建用户").click()

    expect(page.locator("h1")).to_contain_text("赵文斌")
    expect(page.locator("main")).to_contain_text("朝阳区住建局")
    assignment = RoleAssignment.objects.get(user__username="zhujian_zy")
    assert (assignment.role, assignment.area.code, assignment.department) == (Role.DEPARTMENT, "220104", bureau)

    newcomer = log_in(browser, live_server.url, "zhujian_zy")
    expect(newcomer.locator(".user-office")).to_have_text("朝阳区住建局")
