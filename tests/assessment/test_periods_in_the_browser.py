"""Issue 15, 2, in headless Chromium: the city's organisation department opens a quarter by choosing
its year and number (no date to mistype), is told in words when it opens it twice, and deletes a
mistyped period left by the old form after a confirmation; the entry pages then open on the quarter."""

import datetime

import pytest

from assessment.models import Period
from orgs.choices import Role
from orgs.models import Area
from tests.conftest import make_user
from tests.grids.test_roster_loop_in_the_browser import log_in

pytestmark = [pytest.mark.browser]

TODAY = datetime.date.today()


def test_a_quarter_is_chosen_a_duplicate_is_told_and_a_mistyped_period_is_deleted(
    transactional_db, areas, live_server, browser, default_set
):
    from playwright.sync_api import expect

    make_user("city_zzb", Role.ORG_DEPARTMENT, Area.objects.get(code="2201"))
    mistyped = Period.objects.create(
        kind="quarter",
        start=datetime.date(TODAY.year + 1, 1, 1),
        end=datetime.date(TODAY.year + 1, 2, 15),
        indicator_set=default_set,
    )
    number = (TODAY.month - 1) // 3 + 1
    label = f"{TODAY.year}年第{number}季度"
    base = live_server.url
    city = log_in(browser, base, "city_zzb")

    for _attempt in range(2):
        city.goto(f"{base}/assessment/periods/")
        city.get_by_label("年份").select_option(label=f"{TODAY.year}年")
        city.get_by_label("周期").select_option(label=f"第{number}季度")
        city.get_by_label("指标体系").select_option(label=default_set.name)
        city.get_by_role("button", name="开启").click()
    expect(city.locator(".alert-danger")).to_contain_text(f"{label}已经开启（进行中），不能重复开启。")
    assert Period.objects.filter(kind="quarter", start__year=TODAY.year).count() == 1

    city.goto(f"{base}/assessment/periods/{mistyped.pk}/")
    city.get_by_role("link", name="删除").click()
    expect(city.locator("h1")).to_contain_text("删除考核周期")
    assert Period.objects.filter(pk=mistyped.pk).exists()
    city.get_by_role("button", name="确认删除").click()
    expect(city.locator(".alert-success")).to_contain_text("已删除考核周期")
    assert not Period.objects.filter(pk=mistyped.pk).exists()

    city.goto(f"{base}/areas/2201/assessment/")
    expect(city.locator("#period option[selected]")).to_have_text(f"{label}（进行中）")
