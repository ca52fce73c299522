"""PostgreSQL text cannot hold a NUL character. A file carrying one anywhere — a CSV past its
first 4 KB, an xlsx cell with Excel's escape _x0000_ — is refused at the preview with the row
and column to fix, so that no job exists that would fail at the write. A file full of NULs
(UTF-16, an image) is still refused as a format we do not read."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from core.models import ImportJob
from core.spreadsheets import FileRejected, read_table
from orgs.importers import AreaImporter
from orgs.models import Area

NEW_URL = reverse("core:import_new", kwargs={"kind": "areas"})
HEADER = "区划代码,名称,层级,上级代码\r\n"
UNRECOGNISED = "无法识别的文件格式：请上传 Excel（.xlsx）或 CSV 文件。"


def community_line(n, name=None):
    return f"220104002{n:03d},{name or f'B{n:03d}社区'},社区,220104002\r\n"


def csv_with_a_nul_past(offset):
    """Valid community rows, and a NUL in the name of the first row that starts past `offset`
    bytes. Returns (bytes, the Excel row number of that row)."""
    text = HEADER
    n = 2
    while len(text.encode()) <= offset:
        text += community_line(n)
        n += 1
    nul_row = n  # the header is row 1, community 002 is row 2: the row number is n
    text += community_line(n, name="B社\x00区") + community_line(n + 1)
    return text.encode(), nul_row


def xlsx_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def preview_page(client, data, name):
    return client.post(NEW_URL, {"file": SimpleUploadedFile(name, data, content_type="application/octet-stream")})


def refusal(data):
    with pytest.raises(FileRejected) as excinfo:
        read_table(data, AreaImporter.columns)
    return str(excinfo.value)


@pytest.fixture
def city_client(city_org, client_for):
    return client_for(city_org)


def test_a_nul_past_the_first_4_kb_of_a_csv_is_refused_at_the_preview_with_its_row_and_column(city_client):
    data, nul_row = csv_with_a_nul_past(5000)
    assert 5000 < data.index(b"\x00") < 5100
    before = set(Area.objects.values_list("code", flat=True))

    response = preview_page(city_client, data, "区划.csv")

    assert response.status_code == 200
    html = response.content.decode()
    assert f"第 {nul_row} 行第 B 列（名称）含有非法的空字符（NUL），请删除后重新上传。" in html
    assert "预检通过" not in html
    assert not ImportJob.objects.exists()  # no job, so nothing that could be confirmed
    assert set(Area.objects.values_list("code", flat=True)) == before


def test_the_same_csv_without_the_nul_passes_the_preview(city_client):
    data, _ = csv_with_a_nul_past(5000)

    response = preview_page(city_client, data.replace(b"\x00", b""), "区划.csv")

    assert response.status_code == 302
    assert ImportJob.objects.get().status == "previewed"


def test_an_xlsx_cell_with_excels_nul_escape_is_refused_at_the_preview(city_client):
    data = xlsx_bytes(
        [
            ["三长花名册（区划）"],  # a title row above the header
            ["区划代码", "名称", "层级", "上级代码"],
            ["220104002002", "B2社区", "社区", "220104002"],
            ["220104002003", "B3社区", "社区", "220104002_x0000_"],
        ]
    )

    response = preview_page(city_client, data, "区划.xlsx")

    assert response.status_code == 200
    assert "第 4 行第 D 列（上级代码）含有非法的空字符（NUL），请删除后重新上传。" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_nul_in_a_column_we_do_not_read_names_the_column_by_its_letter(db):
    data = (HEADER.rstrip() + ",备注\r\n" + "220104002002,B2社区,社区,220104002,无\x00\r\n").encode()

    assert refusal(data) == "第 2 行第 E 列含有非法的空字符（NUL），请删除后重新上传。"


def test_a_stray_nul_at_the_start_of_a_csv_is_named_too(db):
    data = ("区划代码,名\x00称,层级,上级代码\r\n" + community_line(2)).encode()

    assert refusal(data) == "第 1 行第 B 列含有非法的空字符（NUL），请删除后重新上传。"


def test_a_gbk_csv_with_a_nul_is_refused_with_its_row_and_column(db):
    data = (HEADER + community_line(2) + community_line(3, name="B3\x00社区")).encode("gbk")

    assert refusal(data) == "第 3 行第 B 列（名称）含有非法的空字符（NUL），请删除后重新上传。"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_csv_is_still_an_unrecognised_format(encoding, db):
    data = (HEADER + community_line(2) + community_line(3)).encode(encoding)

    assert refusal(data) == UNRECOGNISED


def test_a_binary_file_full_of_nuls_is_still_an_unrecognised_format(city_client):
    response = preview_page(city_client, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(6000), "区划.csv")

    assert UNRECOGNISED in response.content.decode()
    assert not ImportJob.objects.exists()
