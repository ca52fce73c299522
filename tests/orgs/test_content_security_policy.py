"""The Content-Security-Policy: only the portal's own scripts and styles, nothing inline. Every
page sends the header, and in headless Chromium the pages a cadre uses — home, an area, an
import's progress bar (set from a script, also after htmx swaps it), the API docs — load
without a single violation."""

import re
import threading
from pathlib import Path

import pytest
from django.db import connections
from django.urls import reverse

from core.models import ImportJob
from tests.conftest import PASSWORD

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"
CSP_VIOLATION = "Content Security Policy"


def test_every_page_sends_a_policy_without_inline_script_or_style(city_org, client_for):
    response = client_for(city_org).get(reverse("home"))

    policy = dict(directive.strip().split(" ", 1) for directive in response["Content-Security-Policy"].split(";"))
    assert policy == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
    }


def test_the_login_page_and_the_api_send_the_policy_too(client, db):
    assert "script-src 'self'" in client.get(reverse("login"))["Content-Security-Policy"]
    assert "script-src 'self'" in client.get("/api/areas/")["Content-Security-Policy"]


def test_no_template_has_an_inline_script_style_or_event_handler():
    offences = []
    for template in TEMPLATES.rglob("*.html"):
        html = template.read_text(encoding="utf-8")
        for pattern in (r"\sstyle\s*=", r"<style", r"<script(?![^>]*\ssrc=)[^>]*>", r"\son[a-z]+\s*=", r"hx-on"):
            offences += [f"{template.relative_to(TEMPLATES)}: {m.group(0)}" for m in re.finditer(pattern, html)]

    assert not offences, offences


def test_the_server_error_page_takes_its_style_from_the_stylesheet(rf):
    from django.views.defaults import server_error

    html = server_error(rf.get("/")).content.decode()

    assert "服务器内部错误" in html
    assert '<body class="server-error">' in html
    assert "/static/css/portal.css" in html


def test_the_api_docs_are_the_swagger_page_without_inline_script_and_redoc_is_gone(city_org, client_for):
    client = client_for(city_org)

    page = client.get("/api/docs/")
    script = client.get("/api/docs/?script=")

    assert page.status_code == 200
    html = page.content.decode()
    assert "<style" not in html
    assert re.findall(r"<script(?![^>]*\ssrc=)", html) == []
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert client.get("/api/redoc/").status_code == 404


# --- in the browser ---------------------------------------------------------------------------


@pytest.fixture
def running_job(city_org):
    """An import 30 % done, created before Playwright starts (see `off_the_event_loop`)."""
    return ImportJob.objects.create(
        kind="areas",
        user=city_org,
        filename="区划.xlsx",
        content=b"-",
        status="running",
        summary={"rows": 10, "new": 10, "changed": 0, "unchanged": 0, "skipped": 0, "rejected": []},
        progress_done=3,
        progress_total=10,
    )


def off_the_event_loop(work):
    """Runs ORM `work` from the test body in a thread of its own, which closes its connection:
    on the thread of Playwright's event loop Django would open one that nobody closes."""
    errors = []

    def run():
        try:
            work()
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


@pytest.mark.browser
@pytest.mark.slow
def test_the_pages_load_in_chromium_without_a_csp_violation(transactional_db, running_job, live_server, browser):
    from playwright.sync_api import expect

    job = running_job
    base_url = live_server.url
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    console = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))

    page.goto(f"{base_url}/login/")
    page.get_by_label("用户名").fill("city_org")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base_url}/")
    expect(page.locator(".widget-scope .card-header")).to_have_text("我的管辖范围")

    page.goto(f"{base_url}/areas/220104001/")
    expect(page.locator("h1")).to_contain_text("前进街道")

    page.goto(f"{base_url}{job.get_absolute_url()}")
    bar = page.locator("#job-progress .progress-bar")
    expect(bar).to_have_text("30%")
    assert page.evaluate("document.querySelector('#job-progress .progress-bar').style.width") == "30%"
    off_the_event_loop(lambda: ImportJob.objects.filter(pk=job.pk).update(progress_done=6))
    expect(bar).to_have_text("60%")  # htmx swapped the bar in (it polls every second)
    page.wait_for_function("document.querySelector('#job-progress .progress-bar').style.width === '60%'")

    page.goto(f"{base_url}/api/docs/")
    expect(page.locator(".swagger-ui .information-container")).to_contain_text("基层治理平台接口")
    expect(page.locator(".opblock-tag").first).to_be_visible()
    assert page.evaluate("getComputedStyle(document.body).marginTop") == "0px"  # api_docs.css applies

    context.close()

    violations = [line for line in console if CSP_VIOLATION in line]
    assert not violations, violations
    assert not [line for line in console if line.startswith("error")], console
