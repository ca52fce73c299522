"""Issue 18, the ledger's acceptance in headless Chromium: a community cadre records a compound
without management — it appears on the ledger and on the street's count; assigns 社区代管 with
evidence in one step — the entry closes, the street's remaining count and the burn-down move; a
street-B cadre gets 404 on the compound, the entry and the summary; 朝阳区's housing user reads the
progress but finds neither the roster nor the party pages (every such URL and endpoint:
test_housing_reads_no_roster_nor_party.py). Screenshots go to $SCREENSHOTS when set."""

import json

import pytest
from django.utils import timezone

from property.choices import LedgerStatus, ManagementMode
from property.models import Compound, LedgerEntry
from tests.grids.test_roster_loop_in_the_browser import log_in

from .conftest import COMMUNITY_A1, STREET_A
from .test_evaluation_in_the_browser import PHONE, shoot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def street_figures(page, base):
    page.goto(f"{base}/property/ledger/progress/{STREET_A}/")
    page.wait_for_selector("[data-chart=burndown][data-chart-state]")
    charts = json.loads(page.locator("#dashboard-charts").text_content())
    today = timezone.localdate().isoformat()
    series = charts["burndown"]
    return int(page.locator("[data-figure=remain]").inner_text()), series["open"][series["dates"].index(today)]


def test_recorded_closed_in_one_step_and_burnt_down(
    transactional_db, estate, community_a1, street_a, street_b, zhujian, live_server, browser
):
    base = live_server.url

    # The street's count before.
    street = log_in(browser, base, "street_a")
    remain_before, burnt_before = street_figures(street, base)

    # The community records a compound without management: it is on the ledger.
    community = log_in(browser, base, "community_a1")
    community.goto(f"{base}/property/compounds/add/")
    community.get_by_label("小区名称").fill("铁路老宿舍")
    community.get_by_label("所属社区").fill(COMMUNITY_A1)
    community.get_by_label("户数").fill("64")
    community.get_by_label("管理模式").select_option(label="无物业")
    community.get_by_role("button", name="保存").click()
    compound = Compound.objects.get(name="铁路老宿舍")
    community.wait_for_url(f"{base}{compound.get_absolute_url()}")
    entry = LedgerEntry.objects.get(compound=compound, status=LedgerStatus.OPEN)
    community.goto(f"{base}/property/ledger/")
    assert "铁路老宿舍" in community.locator("table").inner_text()

    remain_recorded, burnt_recorded = street_figures(street, base)
    assert (remain_recorded, burnt_recorded) == (remain_before + 1, burnt_before + 1)
    shoot(street, "ledger-progress-street")

    # 社区代管 with evidence, in one step: the entry closes.
    community.goto(f"{base}{entry.get_absolute_url()}")
    community.get_by_role("link", name="销号").click()
    community.get_by_label("新的管理模式").select_option(label="社区代管")
    community.get_by_label("销号材料").set_input_files(
        files=[{"name": "代管协议.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% agreement\n"}]
    )
    shoot(community, "ledger-close-form")
    community.get_by_role("button", name="确认销号").click()
    community.wait_for_url(f"{base}{entry.get_absolute_url()}")
    assert "已为" in community.content()
    entry.refresh_from_db()
    compound.refresh_from_db()
    assert entry.status == LedgerStatus.CLOSED and entry.evidence_name == "代管协议.pdf"
    assert compound.mode == ManagementMode.COMMUNITY

    remain_after, burnt_after = street_figures(street, base)
    assert (remain_after, burnt_after) == (remain_before, burnt_before)
    assert street.locator("[data-chart=burndown]").get_attribute("data-chart-state") == "ready"
    phone = browser.new_context(locale="zh-CN", viewport=PHONE, storage_state=street.context.storage_state())
    small = phone.new_page()
    small.goto(f"{base}/property/ledger/progress/{STREET_A}/")
    small.wait_for_selector("[data-chart=burndown][data-chart-state]")
    shoot(small, "ledger-progress-phone")

    # A street-B cadre: not found, all of it.
    outsider = log_in(browser, base, "street_b")
    for path in (
        compound.get_absolute_url(),
        entry.get_absolute_url(),
        f"/property/ledger/progress/{STREET_A}/",
        f"/property/ledger/progress/{STREET_A}/?export=xlsx",
    ):
        assert outsider.goto(f"{base}{path}").status == 404, path

    # 朝阳区's housing user: its ledger progress is there, the roster and the party are not.
    housing = log_in(browser, base, "zhujian")
    assert housing.goto(f"{base}/property/ledger/progress/{STREET_A}/").status == 200
    for path in (
        f"/grids/{STREET_A}/roster/",
        f"/grids/{COMMUNITY_A1}/coverage/",
        "/party/organisations/",
        "/party/members/",
        f"/areas/{COMMUNITY_A1}/party/chart/",
    ):
        assert housing.goto(f"{base}{path}").status == 404, path
    housing.goto(f"{base}/")
    assert housing.get_by_role("link", name="党员").count() == 0
