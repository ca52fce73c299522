"""Issue 19, the requests' acceptance in headless Chromium on a phone-sized page (390×844): grid
A1's worker receives a resident's request with a photo, then takes it from "我的诉求" through every
light — 待受理, yellow 办理中, green 待核验, orange 待回访 — to 已办结 with the resident's
satisfaction, by the big button of each next step; street B gets 404 on it. Screenshots go to
$SCREENSHOTS when set."""

import pytest

from core.models import StateChange
from services.models_requests import ResidentRequest
from tests.grids.test_roster_loop_in_the_browser import log_in
from tests.property.test_evaluation_in_the_browser import PHONE, shoot

from .requests_cast import BUILDING_1

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_grid_worker_moves_a_request_through_every_light_on_a_phone(
    transactional_db, categories, grid_a1, street_b, live_server, browser, tmp_path
):
    base = live_server.url
    photo = tmp_path / "现场.png"
    photo.write_bytes(PNG)
    page = log_in(browser, base, "grid_a1")
    page.set_viewport_size(PHONE)

    # The resident's request, received at the grid.
    page.goto(f"{base}/services/my-requests/")
    page.get_by_role("link", name="受理诉求").click()
    page.get_by_label("事发地点（区划代码）").fill(BUILDING_1)
    page.get_by_label("诉求类型").select_option(label="环境卫生")
    page.get_by_label("诉求内容").fill("楼道堆放杂物无人清理")
    page.get_by_label("诉求人").fill("王先生")
    page.get_by_label("联系电话").fill("139 0000 1111")
    page.get_by_label("现场照片").set_input_files(str(photo))
    shoot(page, "request-add-phone")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"{base}/services/requests/*/")
    record = ResidentRequest.objects.get(description="楼道堆放杂物无人清理")
    assert (record.status, record.responsible_area.code, record.resident_phone) == (
        "received",
        "220104001001001",
        "13900001111",
    )
    assert record.photo

    # Each light in turn, from 我的诉求: the card's badge, then its big button and the confirmation.
    for state, button, next_state in (
        ("received", "签收办理", "handling"),
        ("handling", "办结提交核验", "verifying"),
        ("verifying", "核验通过", "visiting"),
        ("visiting", "回访：满意", "closed"),
    ):
        page.goto(f"{base}/services/my-requests/")
        card = page.locator(f'.my-request[data-request="{record.pk}"]')
        assert card.locator(".request-light").get_attribute("data-state") == state
        shoot(page, f"my-requests-{state}-phone")
        card.get_by_role("link", name=button).click()
        page.get_by_role("button", name=f"确认{button}").click()
        page.wait_for_url(f"{base}{record.get_absolute_url()}")
        assert page.locator(".panel-request .request-light").get_attribute("data-state") == next_state
        record.refresh_from_db()
        assert record.status == next_state

    assert record.satisfaction == "satisfied" and record.closed_at is not None
    steps = StateChange.objects.filter(object_id=record.pk).order_by("at", "pk")
    assert [s.transition for s in steps] == ["accept", "submit", "verify", "close_satisfied"]
    assert {s.user_id for s in steps} == {grid_a1.pk}
    page.goto(f"{base}/services/my-requests/")
    assert page.locator(f'.my-request[data-request="{record.pk}"]').count() == 0  # closed: off the list
    shoot(page, "request-closed-phone")

    outsider = log_in(browser, base, "street_b")
    assert outsider.goto(f"{base}{record.get_absolute_url()}").status == 404
