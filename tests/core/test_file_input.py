"""Every file input speaks Chinese (core.widgets.FileInput): Chromium's own button and state
("Choose File", "No file chosen") follow the browser's language, so the input hides behind a
选择文件 button and a line naming the file chosen — and still uploads what is chosen."""

import pytest

from core.forms import ImportUploadForm
from core.widgets import FileInput
from orgs.choices import Role
from party.forms import MeetingForm
from property.forms import LedgerCloseForm, LedgerEntryForm
from property.permissions import CHANGE_PROPERTY
from tests.conftest import make_user

COMMUNITY_A1 = "220104001001"


def test_the_import_upload_renders_a_chinese_button_over_the_hidden_input():
    html = str(ImportUploadForm(max_bytes=1024)["file"])
    assert 'type="file"' in html and 'name="file"' in html and 'accept=".xlsx,.xls,.csv"' in html
    assert 'class="visually-hidden"' in html and "data-file-input" in html  # hidden, not gone: it uploads
    assert '<label class="btn btn-outline-secondary" for="id_file">' in html
    assert "选择文件" in html and "未选择文件" in html


def test_the_evidence_and_photo_inputs_use_it(areas):
    cadre = make_user("shequ_a1", Role.COMMUNITY_CADRE, areas[COMMUNITY_A1])
    entry = str(LedgerEntryForm(user=cadre, action=CHANGE_PROPERTY)["evidence"])
    assert "data-file-input" in entry and "选择文件" in entry
    close = LedgerCloseForm.base_fields["evidence"].widget.render("evidence", None, {"id": "c"})
    assert "data-file-input" in close and "选择文件" in close
    photos = MeetingForm.base_fields["photos"].widget.render("photos", None, {"id": "p"})
    assert " multiple" in photos and "未选择文件（可多选）" in photos


class Kept:
    """A file on record as a model keeps it: its storage path, and the name it was uploaded under."""

    def __init__(self):
        self.name = "property/ledger/79/contract-79.pdf"
        self.url = "/media/property/ledger/79/contract-79.pdf"
        self.instance = type("Entry", (), {"evidence_name": "物业服务合同.pdf"})()

    def __str__(self):
        return self.name


def test_a_file_on_record_is_named_by_its_upload_name_without_a_media_link():
    html = FileInput().render("evidence", Kept(), {"id": "e"})
    assert "已上传：<span data-file-initial>物业服务合同.pdf</span>" in html and "更换文件" in html
    assert "/media/" not in html and "contract-79" not in html  # uploads are served only through scoped pages
    assert 'name="evidence-clear"' in html and "删除已上传的文件" in html


@pytest.mark.browser
@pytest.mark.slow
def test_the_chosen_file_is_named_and_uploaded(transactional_db, areas, live_server, browser, tmp_path):
    from playwright.sync_api import expect

    from core.models import ImportJob
    from tests.grids.test_roster_loop_in_the_browser import log_in

    make_user("shequ_a1", Role.COMMUNITY_CADRE, areas[COMMUNITY_A1])
    page = log_in(browser, live_server.url, "shequ_a1")
    page.goto(f"{live_server.url}/imports/compounds/new/")
    picker = page.locator(".file-picker")
    expect(picker.locator("label.btn")).to_have_text("选择文件")
    expect(picker.locator("[data-file-name]")).to_have_text("未选择文件")
    assert "Choose" not in picker.inner_text() and "No file" not in picker.inner_text()

    sheet = tmp_path / "小区.csv"
    sheet.write_text(f"小区名称,所属社区\n铁路宿舍,{COMMUNITY_A1}\n", encoding="utf-8")
    page.get_by_label("导入文件").set_input_files(str(sheet))
    expect(picker.locator("[data-file-name]")).to_have_text("小区.csv")
    page.get_by_role("button", name="上传并预检").click()
    page.wait_for_url("**/imports/*/")
    job = ImportJob.objects.get(user__username="shequ_a1")
    assert job.filename == "小区.csv"


def test_a_file_in_the_changes_is_named_without_its_storage_folders():
    from core.history import Readable
    from property.models import LedgerEntry

    readable = Readable(LedgerEntry, [])
    assert readable.value("evidence", "property/ledger/79/contract-79.pdf") == "contract-79.pdf"
    assert readable.value("evidence", "") == ""
