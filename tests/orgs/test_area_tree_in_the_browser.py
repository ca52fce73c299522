"""The area tree opens level by level in the browser (issue 15): a street cadre opens its
community, then a grid, then a building, each level fetched when its node is opened; a second
click closes a node; nothing of the sibling street ever appears."""

import pytest

from orgs.choices import Role
from tests.conftest import make_user
from tests.grids.test_roster_loop_in_the_browser import log_in

pytestmark = [pytest.mark.browser]

STREET_A, A1, GRID_A1, BUILDING = "220104001", "220104001001", "220104001001001", "220104001001001001"
UNIT = "22010400100100100101"


def node(page, code):
    return page.locator(f'li[data-code="{code}"]')


def toggle(page, code):
    return node(page, code).locator("> .area-node-row .area-toggle")


def test_a_street_cadre_opens_the_tree_level_by_level(transactional_db, areas, live_server, browser):
    from playwright.sync_api import expect

    make_user("jiedao_a", Role.STREET_CADRE, areas[STREET_A])
    page = log_in(browser, live_server.url, "jiedao_a")
    requests = []
    page.on("request", lambda request: requests.append(request.url) if "/children/" in request.url else None)

    page.goto(f"{live_server.url}/areas/")

    expect(node(page, STREET_A)).to_be_visible()
    expect(node(page, A1)).to_be_visible()
    expect(node(page, GRID_A1)).to_have_count(0)  # not fetched until its community is opened
    expect(toggle(page, A1)).to_have_attribute("aria-expanded", "false")

    toggle(page, A1).click()
    expect(node(page, GRID_A1)).to_be_visible()
    expect(toggle(page, A1)).to_have_attribute("aria-expanded", "true")
    expect(node(page, GRID_A1)).to_contain_text("第1网格")
    expect(node(page, GRID_A1)).to_contain_text("1 个下级")

    toggle(page, GRID_A1).click()
    expect(node(page, BUILDING)).to_be_visible()
    toggle(page, BUILDING).click()
    expect(node(page, UNIT)).to_be_visible()
    expect(node(page, UNIT).locator(".area-toggle")).to_have_count(0)  # a leaf opens nothing

    toggle(page, A1).click()  # closes, without fetching again
    expect(node(page, GRID_A1)).to_be_hidden()
    toggle(page, A1).click()
    expect(node(page, UNIT)).to_be_visible()  # reopened as it was left
    assert len(requests) == 3, requests

    expect(page.get_by_text("桂林街道")).to_have_count(0)
    node(page, GRID_A1).get_by_role("link", name="第1网格").click()
    page.wait_for_url(f"{live_server.url}/areas/{GRID_A1}/")
