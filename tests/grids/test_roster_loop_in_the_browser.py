"""Issue #8, acceptance 2, in headless Chromium: a community cadre exports the community's roster,
changes two phone numbers and one head, uploads it; the preview shows exactly those three changes
and who is relieved; after confirming, the roster shows them. A street cadre's upload of another
street's sheet gets one message naming where it belongs."""

import io

import pytest
from openpyxl import load_workbook

from grids.models import HeadAssignment
from orgs.choices import Role
from tests.conftest import PASSWORD, make_user

from .sheets import csv_bytes, line

pytestmark = [pytest.mark.browser, pytest.mark.slow]

COMMUNITY_A1 = "220104001001"


def log_in(browser, base_url, username):
    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base_url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base_url}/")
    return page


def upload(page, base_url, path):
    page.goto(f"{base_url}/imports/roster/new/")
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_role("button", name="上传并预检").click()
    page.wait_for_url("**/imports/*/")


def test_a_community_cadre_fixes_three_rows_of_an_export_and_sees_exactly_them(
    transactional_db, cast_roster, areas, live_server, browser, tmp_path
):
    from playwright.sync_api import expect

    make_user("shequ_a1", Role.COMMUNITY_CADRE, areas[COMMUNITY_A1])
    page = log_in(browser, live_server.url, "shequ_a1")

    page.goto(f"{live_server.url}/grids/{COMMUNITY_A1}/roster/")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    workbook = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    name_at, phone_at, id_at = header.index("姓名"), header.index("联系电话"), header.index("身份证号")
    rows = {row[name_at].value: row for row in sheet.iter_rows(min_row=2)}
    rows["陈静"][phone_at].value = "13700000001"
    rows["王芳"][phone_at].value = "13700000002"
    rows["张伟"][name_at].value, rows["张伟"][phone_at].value, rows["张伟"][id_at].value = "新网格长", "13700000003", ""
    edited = tmp_path / "名册.xlsx"
    workbook.save(edited)

    upload(page, live_server.url, edited)

    expect(page.locator('[data-count="changed"]')).to_have_text("3")
    expect(page.locator('[data-count="new"]')).to_have_text("0")
    expect(page.locator(".warning-rows")).to_contain_text("张伟将离任网格长，由新网格长接任。")
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator(".alert-success")).to_contain_text("导入完成", timeout=30_000)

    page.goto(f"{live_server.url}/grids/{COMMUNITY_A1}/roster/")
    roster = page.locator("table.roster")
    expect(roster).to_contain_text("新网格长")
    expect(roster).to_contain_text("137****0001")
    expect(roster).to_contain_text("137****0002")
    expect(roster).not_to_contain_text("张伟")
    assert (
        HeadAssignment.objects.current().get(area__code="220104001001001", post="grid_head").person.name == "新网格长"
    )


def test_a_street_cadre_uploading_another_streets_sheet_gets_one_message(
    transactional_db, areas, street_a, live_server, browser, tmp_path
):
    from playwright.sync_api import expect

    page = log_in(browser, live_server.url, "street_a")
    sheet = tmp_path / "桂林街道.csv"
    sheet.write_bytes(
        csv_bytes(
            [
                line("220104002001001", "网格员", f"网格员{n}", phone=f"1360000{n:04d}", street="桂林街道")
                for n in range(25)
            ]
        )
    )

    upload(page, live_server.url, sheet)

    expect(page.locator(".import-message")).to_have_text(
        "此表属于桂林街道第1网格，不在您的管辖范围内，请确认上传的文件。"
    )
    expect(page.locator(".rejection-groups .list-group-item")).to_have_count(1)
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)


def test_the_preview_shows_exactly_the_two_phones_and_the_head_a_cadre_changed_with_old_and_new_values(
    transactional_db, cast_roster, areas, live_server, browser, tmp_path
):
    """Issue 15, item 8: not "修改 3" alone — whose phone changes from what to what, and who takes
    over the grid from whom, before 确认导入."""
    from playwright.sync_api import expect

    make_user("shequ_a1", Role.COMMUNITY_CADRE, areas[COMMUNITY_A1])
    page = log_in(browser, live_server.url, "shequ_a1")
    page.goto(f"{live_server.url}/grids/{COMMUNITY_A1}/roster/")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    workbook = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    name_at, phone_at, id_at = header.index("姓名"), header.index("联系电话"), header.index("身份证号")
    rows = {row[name_at].value: row for row in sheet.iter_rows(min_row=2)}
    rows["陈静"][phone_at].value = "13700000001"
    rows["王芳"][phone_at].value = "13700000002"
    rows["张伟"][name_at].value, rows["张伟"][phone_at].value, rows["张伟"][id_at].value = "新网格长", "13700000003", ""
    edited = tmp_path / "名册.xlsx"
    workbook.save(edited)

    upload(page, live_server.url, edited)

    changes = page.locator(".import-changes")
    expect(page.locator('[data-count="changed"]')).to_have_text("3")
    expect(changes.locator(".change-entry")).to_have_count(3)
    for who, label, old, new in [
        ("陈静", "联系电话", "139****0005", "137****0001"),
        ("王芳", "联系电话", "139****0002", "137****0002"),
        ("新网格长", "网格长", "张伟", "新网格长"),
    ]:
        entry = changes.locator(".change-entry").filter(has=page.locator(".change-who", has_text=who))
        expect(entry.locator(".change-field")).to_have_count(1)
        expect(entry.locator(".change-field")).to_contain_text(label)
        expect(entry.locator(".change-old")).to_have_text(old)
        expect(entry.locator(".change-new")).to_have_text(new)
    expect(changes.locator(".change-entry").filter(has_text="新网格长")).to_contain_text("A1社区第1网格")
    expect(changes.locator(".change-entry").filter(has_text="王芳")).to_contain_text("A1社区第1网格 · 1栋")
    expect(changes).not_to_contain_text("李娜")  # unchanged rows are not listed
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator(".alert-success")).to_contain_text("导入完成", timeout=30_000)
    expect(page.locator(".import-changes .change-entry")).to_have_count(3)  # the report keeps them
