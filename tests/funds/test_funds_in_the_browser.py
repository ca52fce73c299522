"""Issue 20, acceptance 1, in headless Chromium: community A1 records a demand; the reporting unit's
own account (市住建局's `danwei`) claims it, which creates a project; its in-service member's logged
hours appear on the project; the community spends from its 服务群众专项经费 on it with a voucher, the
street approves, the community publishes its notice; an anonymous visitor reads it and prints it on
one A4 sheet; a street-B cadre gets 404 on all of it but the public notice. Screenshots go to
$SCREENSHOTS when set."""

import re

import pytest

from funds.models import Project
from funds.models_funding import Expenditure, FundNotice
from funds.models_projects import Demand
from tests.grids.test_roster_loop_in_the_browser import log_in
from tests.property.test_evaluation_in_the_browser import PHONE, shoot

from .funding_cast import funds_fixture  # noqa: F401  (fixture `funds`: community A1's allocations of the year)
from .projects_cast import *  # noqa: F403  (fixtures: the units, their accounts, the service record)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_demand_claimed_served_paid_for_and_publicly_noticed(
    transactional_db,
    funds,  # noqa: F811
    community_a1,  # noqa: F811
    danwei,  # noqa: F811
    service,  # noqa: F811
    street_a,
    street_b,
    live_server,
    browser,
    tmp_path,
):
    base = live_server.url
    voucher = tmp_path / "发票.pdf"
    voucher.write_bytes(PDF)

    # Community A1 records its residents' demand.
    community = log_in(browser, base, "community_a1")
    community.goto(f"{base}/funds/demands/add/")
    community.locator("[name=area]").fill(GRID_A1)  # noqa: F405
    community.locator("[name=title]").fill("独居老人午间送餐")
    community.locator("[name=description]").fill("网格内12位独居老人需要每日午餐送餐上门")
    community.locator("[name=people]").fill("12")
    community.get_by_role("button", name="保存").click()
    demand = Demand.objects.get(title="独居老人午间送餐")
    community.wait_for_url(f"{base}{demand.get_absolute_url()}")

    # The reporting unit's own account claims it on a phone: a project owned by both sides.
    unit = log_in(browser, base, "danwei")
    unit.set_viewport_size(PHONE)
    unit.goto(f"{base}{demand.get_absolute_url()}")
    unit.get_by_role("link", name="认领", exact=True).click()
    shoot(unit, "funds-claim-phone")
    unit.get_by_role("button", name="确认认领").click()
    unit.wait_for_url(re.compile(r".*/funds/(demands|projects)/\d+/$"))
    demand.refresh_from_db()
    project = Project.objects.get(demand=demand)
    assert (demand.status, project.unit.name, project.area.code) == ("claimed", "市住建局", GRID_A1)  # noqa: F405

    # Its member's service record counts for the project: the hours appear on its page.
    community.goto(f"{base}{project.get_absolute_url()}")
    community.get_by_role("link", name="关联服务记录").click()
    community.get_by_label(re.compile("赵在职 为独居老人送餐")).check()
    community.get_by_role("button", name="关联所选记录").click()
    community.wait_for_url(f"{base}{project.get_absolute_url()}")
    assert "2.5" in community.locator("main").inner_text()

    # The community spends from its service fund on it, with the voucher; the street approves.
    community.goto(f"{base}/funds/expenditures/add/")
    community.locator("[name=allocation]").select_option(str(funds["service"].pk))
    community.locator("[name=project]").select_option(str(project.pk))
    community.locator("[name=amount]").fill("3,600.00")
    community.locator("[name=spent_on]").fill(project.started_on.isoformat())
    community.locator("[name=purpose]").fill("送餐保温箱")
    community.locator("[name=voucher]").set_input_files(str(voucher))
    shoot(community, "funds-expenditure")
    community.get_by_role("button", name="保存").click()
    spending = Expenditure.objects.get(purpose="送餐保温箱")
    community.wait_for_url(f"{base}{spending.get_absolute_url()}")
    assert (str(spending.amount), spending.voucher_name) == ("3600.00", "发票.pdf")
    street = log_in(browser, base, "street_a")
    street.goto(f"{base}{spending.get_absolute_url()}")
    street.get_by_role("link", name="审批通过", exact=True).click()
    street.get_by_role("button", name="确认审批通过").click()
    street.wait_for_url(f"{base}{spending.get_absolute_url()}")
    spending.refresh_from_db()
    assert spending.status == "approved"

    # The community publishes its notice; an anonymous visitor reads it and prints it.
    community.goto(f"{base}/funds/notices/add/")
    community.locator("[name=area]").fill(COMMUNITY_A1)  # noqa: F405
    community.locator("[name=year]").fill(str(funds["service"].year))
    community.locator("[name=title]").fill("A1社区第二期经费公示")
    community.get_by_role("button", name="保存").click()
    notice = FundNotice.objects.get(title="A1社区第二期经费公示")
    community.wait_for_url(f"{base}{notice.get_absolute_url()}")
    community.get_by_role("link", name="发布公示", exact=True).click()
    community.get_by_role("button", name="确认发布公示").click()
    community.wait_for_url(f"{base}{notice.get_absolute_url()}")
    notice.refresh_from_db()
    assert notice.published_at is not None

    visitor = browser.new_context(locale="zh-CN").new_page()
    public = f"{base}/public/funds/{COMMUNITY_A1}/"  # noqa: F405
    assert visitor.goto(public).status == 200
    board = visitor.locator("main").inner_text()
    shoot(visitor, "funds-public-notice")
    assert "A1社区第二期经费公示" in board and "独居老人午间送餐" in board and "3,600.00" in board
    assert "赵在职" not in board and "139" not in board  # nothing personal
    visitor.emulate_media(media="print")
    assert visitor.locator("[data-print]").is_hidden()
    pdf = visitor.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # one A4 sheet for the notice board

    # Street B: 404 on everything of it, the public notice excepted.
    outsider = log_in(browser, base, "street_b")
    for record in (demand, project, spending, notice):
        assert outsider.goto(f"{base}{record.get_absolute_url()}").status == 404, record
    assert outsider.goto(public).status == 200
