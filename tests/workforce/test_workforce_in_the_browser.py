"""Issue 21, acceptance 1 (the workers' part), in headless Chromium: a street-A cadre opens a worker's
page, records a promotion through 记录变动 (the worker's grade follows it) and a certificate through
登记证书, and sees both on the worker's page, on a phone too; a street-B cadre gets 404 on the worker,
the change and the certificate. Screenshots go to $SCREENSHOTS when set."""

import pytest

from tests.grids.test_roster_loop_in_the_browser import log_in
from tests.property.test_evaluation_in_the_browser import PHONE, shoot
from workforce.models_workers import Certificate, WorkerChange

from .workers_cast import workers_fixture  # noqa: F401  (fixture `workers`)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_street_cadre_records_a_promotion_and_a_certificate(
    transactional_db, workers, street_a, street_b, live_server, browser
):
    base = live_server.url
    former = workers["former"]

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

    for path, name in (("/workforce/workers/", "list"), ("/workforce/staffing/", "staffing")):
        cadre.goto(f"{base}{path}")
        assert "李网格" in cadre.locator("main").inner_text() or name == "staffing"
        shoot(cadre, f"workforce-{name}-phone")

    outsider = log_in(browser, base, "street_b")
    for record in (former, change, certificate):
        assert outsider.goto(f"{base}{record.get_absolute_url()}").status == 404
