"""Issue 21, acceptance 1, in headless Chromium. A street-A cadre records a worker's promotion through
记录变动 (the worker's grade follows it) and a certificate through 登记证书, seen on the worker's page
(on a phone too); records community A1's station, which lacks 管理制度 and 服务队伍 (its page says
so); marks A1 a city-level demonstration site. A1's cadre (the secretary's office) claims a 书记项目
and reports a milestone done. The street records A1's secretary's 述职评议 of last year; once that
annual period is rolled up, the votes appear on A1's breakdown page. A street-B cadre gets 404 on
every one of those records. Screenshots go to $SCREENSHOTS when set."""

import datetime

import pytest
from django.utils import timezone

from assessment.choices import PeriodKind
from assessment.models import Indicator, IndicatorSet, Period
from assessment.rollup import rollup
from tests.grids.test_roster_loop_in_the_browser import log_in
from tests.property.test_evaluation_in_the_browser import PHONE, shoot
from workforce.models_secretaries import SecretaryMilestone, SecretaryProject, SecretaryReport
from workforce.models_venues import DemonstrationSite, Venue
from workforce.models_workers import Certificate, WorkerChange

from .workers_cast import A1, community_a1_fixture, workers_fixture  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def choose_area(page, code, area):
    """The area field: typed as its code where the form asks for one, else picked from the list."""
    field = page.locator("[name=area]")
    if field.evaluate("e => e.tagName") == "SELECT":
        field.select_option(str(area.pk))
    else:
        field.fill(code)


def review_period(year):
    """The year's period of a set whose one leaf is the secretaries' 述职评议好评率 (as
    tests/workforce/test_secretaries_late_and_sources.py rolls it up)."""
    indicators = IndicatorSet.objects.create(name="述职评议验收指标")
    system = Indicator.objects.create(indicator_set=indicators, name="队伍建设")
    Indicator.objects.create(
        indicator_set=indicators,
        parent=system,
        name="述职评议好评率",
        weight=1,
        levels=["community"],
        source="workforce.review_good_share",
    )
    return Period.objects.create(
        kind=PeriodKind.YEAR, start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31), indicator_set=indicators
    )


def test_a_street_and_a_community_keep_their_workforce_and_the_review_scores(
    transactional_db, workers, areas, street_a, street_b, community_a1, live_server, browser
):
    base = live_server.url
    former = workers["former"]
    today = timezone.localdate()
    a1 = areas[A1]

    # The street records a worker's promotion and certificate.
    cadre = log_in(browser, base, "street_a")
    cadre.goto(f"{base}{former.get_absolute_url()}")
    cadre.get_by_role("link", name="记录变动").click()
    cadre.locator("[name=changed_on]").fill("2025-07-01")
    cadre.locator("[name=kind]").select_option("promotion")
    cadre.locator("[name=post]").select_option("committee")
    cadre.locator("[name=category]").select_option("deputy")
    cadre.locator("[name=grade]").fill("8")
    cadre.locator("[name=reason]").fill("年度考核优秀晋级")
    cadre.get_by_role("button", name="保存").click()
    change = WorkerChange.objects.get(worker=former, grade=8)
    cadre.wait_for_url(f"{base}{change.get_absolute_url()}")
    assert "副职" in cadre.locator("main").inner_text()  # the ladder's label, not its key
    former.refresh_from_db()
    assert former.grade == 8

    cadre.goto(f"{base}{former.get_absolute_url()}")
    cadre.get_by_role("link", name="登记证书").click()
    cadre.locator("[name=level]").select_option("social_worker")
    cadre.locator("[name=number]").fill("SG-2025-0042")
    cadre.locator("[name=obtained_on]").fill("2025-06-20")
    cadre.get_by_role("button", name="保存").click()
    certificate = Certificate.objects.get(number="SG-2025-0042")
    cadre.wait_for_url(f"{base}{certificate.get_absolute_url()}")

    cadre.goto(f"{base}{former.get_absolute_url()}")
    page = cadre.locator("main").inner_text()
    assert "晋级：两委成员副职岗8级" in page and "SG-2025-0042" in page
    shoot(cadre, "workforce-worker-desktop")
    cadre.set_viewport_size(PHONE)
    cadre.reload()
    shoot(cadre, "workforce-worker-phone")
    cadre.set_viewport_size({"width": 1366, "height": 900})

    # A1's station, short of two of the 五有: its page says what it lacks.
    cadre.goto(f"{base}/workforce/venues/add/")
    choose_area(cadre, A1, a1)
    cadre.locator("[name=level]").select_option("station")
    cadre.locator("[name=name]").fill("A1社区党群服务站")
    cadre.locator("[name=address]").fill("文化路1号")
    cadre.locator("[name=floor_area]").fill("320")
    for name in ("has_sign", "has_fixed_site", "has_facilities"):
        cadre.locator(f"[name={name}]").check()
    cadre.get_by_role("button", name="保存").click()
    venue = Venue.objects.get(name="A1社区党群服务站")
    cadre.wait_for_url(f"{base}{venue.get_absolute_url()}")
    page = cadre.locator("main").inner_text()
    assert (venue.compliant, "不达标" in page, "缺管理制度" in page, "缺服务队伍" in page) == (False, True, True, True)
    assert "缺统一标识" not in page
    shoot(cadre, "workforce-venue-desktop")

    # A1 itself named a city-level demonstration site.
    cadre.goto(f"{base}/workforce/sites/add/")
    choose_area(cadre, A1, a1)
    cadre.locator("[name=level]").select_option("city")
    cadre.locator("[name=theme]").fill("红色物业")
    cadre.locator("[name=year]").fill(str(today.year))
    cadre.locator("[name=document_number]").fill("市组通〔2026〕8号")
    cadre.get_by_role("button", name="保存").click()
    site = DemonstrationSite.objects.get(document_number="市组通〔2026〕8号")
    cadre.wait_for_url(f"{base}{site.get_absolute_url()}")
    assert (site.area, site.level) == (a1, "city") and "市级" in cadre.locator("main").inner_text()

    # A1's secretary's office claims a project and reports its first milestone done.
    office = log_in(browser, base, "community_a1")
    office.goto(f"{base}/workforce/secretary-projects/add/")
    choose_area(office, A1, a1)
    office.locator("[name=secretary]").fill("王书记")
    office.locator("[name=year]").fill(str(today.year))
    office.locator("[name=title]").fill("老旧小区楼道微更新")
    office.locator("[name=goal]").fill("年内完成十个楼道改造")
    office.locator("[name=started_on]").fill(f"{today.year}-01-01")
    office.locator("[name=ends_on]").fill(f"{today.year}-12-31")
    office.get_by_role("button", name="保存").click()
    project = SecretaryProject.objects.get(title="老旧小区楼道微更新")
    office.wait_for_url(f"{base}{project.get_absolute_url()}")

    office.goto(f"{base}/workforce/secretary-milestones/add/")
    office.locator("[name=project]").select_option(str(project.pk))
    office.locator("[name=title]").fill("制定实施方案")
    office.locator("[name=due_on]").fill(today.isoformat())
    office.locator("[name=done_on]").fill(today.isoformat())
    office.get_by_role("button", name="保存").click()
    milestone = SecretaryMilestone.objects.get(project=project)
    office.wait_for_url(f"{base}{milestone.get_absolute_url()}")
    assert milestone.done_on == today
    office.goto(f"{base}{project.get_absolute_url()}")
    assert "制定实施方案" in office.locator("main").inner_text()
    office.set_viewport_size(PHONE)
    shoot(office, "workforce-project-phone")

    # The street records last year's 述职评议; the annual period's breakdown of A1 shows the votes.
    year = today.year - 1
    cadre.goto(f"{base}/workforce/secretary-reports/add/")
    choose_area(cadre, A1, a1)
    cadre.locator("[name=year]").fill(str(year))
    cadre.locator("[name=secretary]").fill("王书记")
    cadre.locator("[name=reported_on]").fill(f"{today.year}-01-15")
    for name, votes in (("voters", 40), ("good", 30), ("fairly_good", 6), ("fair", 3), ("poor", 1)):
        cadre.locator(f"[name={name}]").fill(str(votes))
    cadre.get_by_role("button", name="保存").click()
    report = SecretaryReport.objects.get(area=a1, year=year)
    cadre.wait_for_url(f"{base}{report.get_absolute_url()}")

    period = review_period(year)
    rollup(period)
    cadre.goto(f"{base}/areas/{A1}/dashboard/breakdown/?period={period.key}")
    line = cadre.locator(".breakdown-leaf", has_text="述职评议好评率").inner_text()
    assert "40 个评议人数中，36 个评价为好和较好的票数（90%）" in line

    outsider = log_in(browser, base, "street_b")
    for record in (former, change, certificate, venue, site, project, milestone, report):
        assert outsider.goto(f"{base}{record.get_absolute_url()}").status == 404, record
