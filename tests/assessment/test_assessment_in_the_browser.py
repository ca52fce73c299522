"""Issue #10, acceptance 1, in headless Chromium and in Chinese: the city organisation department
opens a quarter; a community cadre enters the manual indicators with evidence and submits; the
street submits; the district accepts; the department runs the rollup and watches its progress; the
dashboard shows the districts ranked; drilling down to a community shows its breakdown down to the
vacant grids; closing the quarter freezes it, and a re-run is refused."""

import datetime

import pytest
from django.db import transaction

from assessment import approvals
from assessment.models import Approval, Evidence, Period, Score, Value
from orgs import tree
from orgs.choices import Role
from orgs.models import Area
from tests.conftest import make_user
from tests.grids.conftest import holder, id_number  # noqa: F401  (fixtures)
from tests.grids.test_coverage import hand_roster  # noqa: F401  (fixture)
from tests.grids.test_roster_loop_in_the_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

A1, A2, STREET_A, DISTRICT = "220104001001", "220104001002", "220104001", "220104"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
# A second district, so that the city has districts to rank.
NANGUAN = [
    ("220102", "南关区", "district", "2201"),
    ("220102001", "长通街道", "street", "220102"),
    ("220102001001", "明珠社区", "community", "220102001"),
    ("220102001001001", "第1网格", "grid", "220102001001"),
]


def this_quarter():
    today = datetime.date.today()
    start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    end = (start.replace(day=28) + datetime.timedelta(days=70)).replace(day=1) - datetime.timedelta(days=1)
    return start, end


def test_a_quarter_from_opening_to_frozen_in_the_browser(
    transactional_db,
    hand_roster,  # noqa: F811
    areas,
    live_server,
    browser,
    tmp_path,
    settings,
    default_set,
):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "media"
    with transaction.atomic():
        tree.bulk_load([tree.AreaRow(*row) for row in NANGUAN])
    make_user("city_zzb", Role.ORG_DEPARTMENT, Area.objects.get(code="2201"))
    make_user("district_zzb", Role.ORG_DEPARTMENT, Area.objects.get(code=DISTRICT))
    make_user("street_cadre", Role.STREET_CADRE, Area.objects.get(code=STREET_A))
    make_user("a1_cadre", Role.COMMUNITY_CADRE, Area.objects.get(code=A1))
    a2_cadre = make_user("a2_cadre", Role.COMMUNITY_CADRE, Area.objects.get(code=A2))
    base = live_server.url
    start, end = this_quarter()
    evidence = tmp_path / "会议记录.png"
    evidence.write_bytes(PNG)

    # The city's organisation department opens the quarter.
    city = log_in(browser, base, "city_zzb")
    city.goto(f"{base}/assessment/periods/")
    city.get_by_label("年份").select_option(label=f"{start.year}年")
    city.get_by_label("周期").select_option(label=f"第{(start.month - 1) // 3 + 1}季度")
    city.get_by_label("指标体系").select_option(label="党建引领基层治理考核指标（默认）")
    city.get_by_role("button", name="开启").click()
    expect(city.locator(".alert-success")).to_contain_text("已开启考核周期")
    period = Period.objects.get()

    # The community enters both manual indicators, each with its evidence, and submits.
    a1 = log_in(browser, base, "a1_cadre")
    a1.goto(f"{base}/areas/{A1}/assessment/")
    for numerator in (9, 8):
        a1.get_by_role("link", name="录入").first.click()
        a1.locator("#id_numerator").fill(str(numerator))
        a1.locator("#id_denominator").fill("10")
        a1.get_by_label("说明").fill("第四季度台账")
        a1.get_by_label("佐证材料").set_input_files(str(evidence))
        a1.get_by_role("button", name="保存", exact=True).click()
        expect(a1.locator(".alert-success")).to_contain_text("已保存")
    expect(a1.get_by_role("link", name="会议记录.png")).to_have_count(2)
    a1.get_by_role("link", name="上报").click()
    a1.get_by_role("button", name="确认上报").click()
    expect(a1.locator(".alert-success")).to_contain_text("已上报")
    expect(a1.get_by_role("link", name="修改")).to_have_count(0)  # locked once submitted

    # Its sibling submits too (through the same functions the pages call).
    for leaf in approvals.entered_leaves(period, "community"):
        saved = approvals.save_entry(period, Area.objects.get(code=A2), leaf, a2_cadre, 7, 10, "")
        Evidence.objects.create(
            entry=saved, file=f"evidence/{leaf.pk}.png", name="台账.png", size=8, uploaded_by=a2_cadre
        )
    approvals.submit(period, Area.objects.get(code=A2), a2_cadre)

    # The street enters its own and submits.
    street = log_in(browser, base, "street_cadre")
    street.goto(f"{base}/areas/{STREET_A}/assessment/")
    expect(street.locator("table")).to_contain_text("A1社区")
    for _leaf in approvals.entered_leaves(period, "street"):
        street.get_by_role("link", name="录入").first.click()
        street.locator("#id_numerator").fill("6")
        street.locator("#id_denominator").fill("6")
        street.get_by_label("佐证材料").set_input_files(str(evidence))  # required (issue 15, item 29)
        street.get_by_role("button", name="保存", exact=True).click()
    street.get_by_role("link", name="上报").click()
    street.get_by_role("button", name="确认上报").click()
    expect(street.locator(".alert-success")).to_contain_text("已上报")

    # The district accepts.
    district = log_in(browser, base, "district_zzb")
    district.goto(f"{base}/areas/{DISTRICT}/assessment/?period={period.pk}")
    district.get_by_role("link", name="验收").click()
    district.get_by_role("button", name="确认验收").click()  # asked first (issue 15, item 7)
    expect(district.locator(".alert-success")).to_contain_text("已验收前进街道")
    assert Approval.objects.get(area__code=STREET_A).status == "accepted"

    # The department runs the rollup and watches its progress.
    city.goto(f"{base}/assessment/periods/{period.pk}/")
    city.get_by_role("button", name="汇总计算").click()
    expect(city.locator(".progress")).to_be_visible()
    expect(city.get_by_text("已写入")).to_be_visible()
    assert Value.objects.get(period=period, area__code=A1, indicator__name="为民办实事项目完成率").numerator == 9

    # The dashboard ranks the districts, with its charts drawn.
    city.get_by_role("link", name="查看排名").click()
    ranking = city.locator("table.ranking tbody tr")
    expect(ranking).to_have_count(Score.objects.filter(period=period, area__level="district").count())
    expect(city.locator("table.ranking")).to_contain_text("朝阳区")
    expect(city.locator("table.ranking")).to_contain_text("南关区")
    expect(city.locator("[data-chart=ranking] canvas").first).to_be_visible()

    # Drilling down: 朝阳区 → 前进街道 → A1社区, then its breakdown down to the vacant grid.
    for name in ("朝阳区", "前进街道", "A1社区"):
        city.locator("table.ranking").get_by_role("link", name=name).click()
        expect(city.locator("h1")).to_contain_text(name)
    city.get_by_role("link", name="得分明细").click()
    expect(city.locator("h1")).to_contain_text("A1社区 得分明细")
    grid_heads = city.locator(".breakdown-leaf", has_text="网格长覆盖率")
    expect(grid_heads).to_contain_text("2 个网格中，1 个有网格长的网格")
    grid_heads.get_by_role("link", name="查看差距").click()
    expect(city.locator("#gaps")).to_contain_text("第2网格")

    # Closing the quarter freezes it; a re-run is refused.
    city.goto(f"{base}/assessment/periods/{period.pk}/")
    city.get_by_role("link", name="关闭周期").click()
    city.get_by_role("button", name="确认关闭").click()
    expect(city.locator(".alert-success")).to_contain_text("已冻结")
    expect(city.get_by_role("button", name="汇总计算")).to_have_count(0)
    before = list(Score.objects.filter(period=period).order_by("pk").values_list("area_id", "points", "rank"))
    token = city.context.cookies()
    csrf = next(c["value"] for c in token if c["name"] == "csrftoken")
    refused = city.request.post(
        f"{base}/assessment/periods/{period.pk}/run/", headers={"X-CSRFToken": csrf, "Referer": city.url}
    )
    assert "不能重新计算" in refused.text()
    assert list(Score.objects.filter(period=period).order_by("pk").values_list("area_id", "points", "rank")) == before
