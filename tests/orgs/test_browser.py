"""A city organisation cadre in headless Chromium: logs in through the Chinese login page,
walks the tree from home down to a community, searches from the navigation bar, and the
same pages work at a phone's width. Nothing is loaded from outside the portal."""

import time
from urllib.parse import urlsplit

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOT = "/tmp/jiceng-browser.png"
PHONE_SCREENSHOT = "/tmp/jiceng-browser-phone.png"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}


def watch_requests(page, seen):
    page.on("request", lambda request: seen.append(request.url))


def outside_requests(seen):
    return [
        url
        for url in seen
        if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).hostname not in LOCAL_HOSTS
    ]


def log_in(page, base_url):
    page.goto(f"{base_url}/")
    assert "/login/" in page.url  # anonymous visitors are sent to the login page
    page.get_by_label("用户名").fill("city_org")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base_url}/")


def test_a_cadre_logs_in_walks_the_tree_and_searches(transactional_db, city_org, live_server, browser):
    from playwright.sync_api import expect

    base_url = live_server.url
    started = time.monotonic()
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    seen, console_errors = [], []
    watch_requests(page, seen)
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))

    log_in(page, base_url)
    expect(page.locator(".widget-scope .card-header")).to_have_text("我的管辖范围")
    page.locator(".widget-scope").get_by_role("link", name="长春市").click()

    for name in ("朝阳区", "前进街道", "A1社区"):
        page.locator("table.children").get_by_role("link", name=name, exact=True).click()
        expect(page.locator("h1")).to_contain_text(name)
    assert page.url == f"{base_url}/areas/220104001001/"
    breadcrumb = page.locator(".area-breadcrumb .breadcrumb-item")
    expect(breadcrumb).to_have_text(["长春市", "朝阳区", "前进街道", "A1社区"])
    expect(page.locator("table.children")).to_contain_text("第1网格")
    page.screenshot(path=SCREENSHOT, full_page=True)

    page.get_by_role("search").get_by_role("searchbox").fill("第1网格")
    page.get_by_role("search").get_by_role("button", name="搜索").click()
    page.wait_for_url("**/search/?q=*")
    results = page.locator('.search-group[data-model="orgs.area"] .search-results a')
    expect(results).to_have_count(2)  # grid A1 and grid B1, both in the city's scope
    expect(results.first).to_contain_text("第1网格")
    state = context.storage_state()
    context.close()

    phone = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, storage_state=state
    )
    page = phone.new_page()
    page.set_default_timeout(15_000)
    watch_requests(page, seen)
    page.goto(f"{base_url}/areas/220104001001/")
    toggler = page.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    expect(page.get_by_role("search")).to_be_hidden()  # the menu is folded on a phone
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width} px)"
    page.screenshot(path=PHONE_SCREENSHOT, full_page=True)
    toggler.click()
    expect(page.locator("#portal-navbar.collapse.show")).to_be_visible()  # unfolded, animation over
    expect(page.get_by_role("search")).to_be_visible()
    phone.close()

    assert seen and not outside_requests(seen), outside_requests(seen)
    assert not console_errors, console_errors
    print(f"browser walk: {time.monotonic() - started:.1f} s, {len(seen)} requests, all local")
