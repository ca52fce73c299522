"""Issue 15, items 3, 7 and 29 in headless Chromium: 验收 asks first and can be cancelled; after
it the street reads its communities accepted and has no 退回 left; a value that asks for evidence
is refused without it; a breakdown's 查看差距 opens the vacancies of the period's last day."""

import datetime

import pytest

from assessment import approvals
from assessment.models import Approval, Evidence, Period
from assessment.rollup import rollup
from grids.choices import Post
from orgs.choices import Role
from orgs.models import Area
from tests.conftest import make_user
from tests.grids.conftest import holder  # noqa: F401  (fixture)
from tests.grids.test_roster_loop_in_the_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

A1, A2, STREET, DISTRICT = "220104001001", "220104001002", "220104001", "220104"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def submitted_street(period):
    """A1, A2 and street A entered (with evidence) and submitted, through the pages' functions."""
    for code in (A1, A2, STREET):
        area = Area.objects.get(code=code)
        user = make_user(f"cadre_{code}", Role.STREET_CADRE if code == STREET else Role.COMMUNITY_CADRE, area)
        for leaf in approvals.entered_leaves(period, area.level):
            entry = approvals.save_entry(period, area, leaf, user, 8, 10, "")
            Evidence.objects.create(
                entry=entry, file=f"evidence/{code}-{leaf.pk}.png", name="台账.png", size=8, uploaded_by=user
            )
        approvals.submit(period, area, user)


def test_accepting_asks_first_and_the_street_then_reads_its_communities_accepted(
    transactional_db, areas, live_server, browser, tmp_path, settings, default_set
):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path
    today = datetime.date.today()
    period = Period.objects.create(kind="quarter", start=today.replace(day=1), end=today, indicator_set=default_set)
    submitted_street(period)
    make_user("district_zzb", Role.ORG_DEPARTMENT, Area.objects.get(code=DISTRICT))
    base = live_server.url

    district = log_in(browser, base, "district_zzb")
    district.goto(f"{base}/areas/{DISTRICT}/assessment/?period={period.pk}")
    district.get_by_role("link", name="验收", exact=True).click()
    expect(district.locator("h1")).to_contain_text("验收前进街道的录入值")
    expect(district.locator(".alert-warning")).to_contain_text("确定验收吗")
    district.get_by_role("link", name="取消").click()  # nothing happens without the confirmation
    expect(district.locator("h1")).to_contain_text("朝阳区 填报与审核")
    assert Approval.objects.get(area__code=STREET).status == "submitted"

    district.get_by_role("link", name="验收", exact=True).click()
    district.get_by_role("button", name="确认验收").click()
    expect(district.locator(".alert-success")).to_contain_text("已验收前进街道")
    assert Approval.objects.get(area__code=STREET).status == "accepted"

    street = log_in(browser, base, f"cadre_{STREET}")
    street.goto(f"{base}/areas/{STREET}/assessment/?period={period.pk}")
    expect(street.locator(".card-header", has_text="所辖社区上报情况")).to_contain_text("已上报 0 · 已验收 2 · 共 2")
    expect(street.locator("table")).to_contain_text("随街道验收")
    expect(street.get_by_role("link", name="退回")).to_have_count(0)
    expect(street.locator("body")).not_to_contain_text("已已")


def test_a_value_that_asks_for_evidence_is_refused_without_it_in_the_browser(
    transactional_db, areas, live_server, browser, tmp_path, settings, default_set
):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path
    today = datetime.date.today()
    period = Period.objects.create(kind="quarter", start=today.replace(day=1), end=today, indicator_set=default_set)
    make_user("a1_cadre", Role.COMMUNITY_CADRE, Area.objects.get(code=A1))
    base = live_server.url

    a1 = log_in(browser, base, "a1_cadre")
    a1.goto(f"{base}/areas/{A1}/assessment/?period={period.pk}")
    a1.get_by_role("link", name="录入").first.click()
    a1.locator("#id_numerator").fill("9")
    a1.locator("#id_denominator").fill("10")
    a1.get_by_role("button", name="保存", exact=True).click()

    expect(a1.locator("main form")).to_contain_text("本指标须上传佐证材料，请选择文件后再保存。")
    assert not period.entries.exists()


def test_the_gap_link_of_a_past_quarter_opens_its_vacancies_in_the_browser(
    transactional_db,
    areas,
    holder,  # noqa: F811
    live_server,
    browser,
    default_set,
):
    from playwright.sync_api import expect

    holder("220104001001001", Post.GRID_HEAD, "张三")
    holder("220104001001002", Post.GRID_HEAD, "李四", start_date=datetime.date(2025, 9, 1))  # after the quarter
    q2 = Period.objects.create(
        kind="quarter", start=datetime.date(2025, 4, 1), end=datetime.date(2025, 6, 30), indicator_set=default_set
    )
    rollup(q2)
    make_user("city_zzb", Role.ORG_DEPARTMENT, Area.objects.get(code="2201"))
    base = live_server.url

    city = log_in(browser, base, "city_zzb")
    city.goto(f"{base}/areas/{A1}/dashboard/breakdown/?period={q2.pk}")
    grid_heads = city.locator(".breakdown-leaf", has_text="网格长覆盖率")
    expect(grid_heads).to_contain_text("2 个网格中，1 个有网格长的网格")
    grid_heads.get_by_role("link", name="查看差距（截至 2025-06-30）").click()

    expect(city.locator("h1")).to_contain_text("截至 2025-06-30")
    expect(city.locator("#gaps")).to_contain_text("第2网格")
    city.get_by_role("link", name="查看今天的情况").click()
    expect(city.locator("#gaps")).not_to_contain_text("第2网格")  # filled since
