"""Issue 16, acceptance 6, in headless Chromium: a community submits its values; the district, told
in its inbox, opens the street's page from the notice and returns the community's submission with a
reason; the community's cadre sees the count in the menu bar, opens the inbox, opens the notice —
which reads it — and lands on the entry page that shows the reason."""

import datetime

import pytest

from assessment import approvals
from assessment.models import Approval, Evidence, Period
from core.notices import Notice
from orgs.choices import Role
from orgs.models import Area
from tests.conftest import make_user
from tests.grids.test_roster_loop_in_the_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

A1, DISTRICT = "220104001001", "220104"
REASON = "会议记录照片不清晰，请重新上传后上报。"


def test_a_return_reaches_the_community_cadre_through_the_inbox(
    transactional_db, areas, live_server, browser, tmp_path, settings, default_set
):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path
    today = datetime.date.today()
    period = Period.objects.create(kind="quarter", start=today.replace(day=1), end=today, indicator_set=default_set)
    community = Area.objects.get(code=A1)
    cadre = make_user("a1_cadre", Role.COMMUNITY_CADRE, community, last_name="刘", first_name="秀英")
    make_user("district_zzb", Role.ORG_DEPARTMENT, Area.objects.get(code=DISTRICT), last_name="李", first_name="红梅")
    for leaf in approvals.entered_leaves(period, community.level):
        entry = approvals.save_entry(period, community, leaf, cadre, 8, 10, "")
        Evidence.objects.create(entry=entry, file=f"evidence/{leaf.pk}.png", name="台账.png", size=8, uploaded_by=cadre)
    base = live_server.url
    entry_page = f"{base}/areas/{A1}/assessment/?period={period.pk}"

    # The community submits.
    a1 = log_in(browser, base, "a1_cadre")
    a1.goto(entry_page)
    a1.get_by_role("link", name="上报", exact=True).click()
    a1.get_by_role("button", name="确认上报").click()
    expect(a1.locator(".alert-success")).to_contain_text("已上报")
    expect(a1.locator(".navbar-notices .notice-count")).to_have_count(0)  # nothing for the community yet

    # The district (no street cadre in this cast: the nearest who may return) is told, and returns it.
    district = log_in(browser, base, "district_zzb")
    expect(district.locator(".navbar-notices .notice-count")).to_have_text("1条未读")
    district.locator(".navbar-notices").click()
    district.get_by_role("link", name=f"A1社区已上报{period.label}的录入值，待街道审核").click()
    expect(district.locator("h1")).to_contain_text("前进街道")
    district.locator("tr", has_text="A1社区").get_by_role("link", name="退回").click()
    district.get_by_label("退回原因").fill(REASON)
    district.get_by_role("button", name="确认退回").click()
    expect(district.locator(".alert-success")).to_contain_text("已退回A1社区")
    assert Approval.objects.get(area=community, period=period).status == "returned"

    # The community's cadre sees the count, opens the inbox, opens the notice, lands on the entry page.
    a1.goto(f"{base}/")
    expect(a1.locator(".navbar-notices .notice-count")).to_have_text("1条未读")
    a1.locator(".navbar-notices").click()
    expect(a1.locator("h1")).to_contain_text("通知")
    notice = a1.locator(".notice-unread", has_text=f"A1社区{period.label}的录入值被退回")
    expect(notice).to_contain_text(REASON)
    expect(notice).to_contain_text("操作人：李红梅")
    notice.click()
    a1.wait_for_url(entry_page)
    expect(a1.locator("body")).to_contain_text(REASON)
    expect(a1.locator(".navbar-notices .notice-count")).to_have_count(0)  # read now
    assert Notice.objects.get(recipient=cadre).read_at is not None
