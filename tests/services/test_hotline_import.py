"""The 12345 hotline's export imported as residents' requests (services/hotline.py): real files
built here — an xlsx with a title row and merged cells, Excel serial times and phones stored as
numbers; a CSV in GBK with the hotline's text times — placed in the importing user's scope, routed
on import, idempotent on 工单编号 (a re-import updates the state, never duplicates), each bad row
refused with its row and a Chinese reason, the rest importable; the command and the browser flow."""

import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from core.importing import execute, preview
from core.models import ImportJob, StateChange
from orgs.choices import Role
from services.hotline import HotlineImporter
from services.models_requests import Channel, ResidentRequest
from tests.conftest import make_user

from .conftest import COMMUNITY_A1, DISTRICT

pytestmark = pytest.mark.django_db

HEADERS = [
    "工单编号",
    "受理时间",
    "诉求类型",
    "诉求内容",
    "事发地址",
    "所属区县",
    "所属街道",
    "所属社区",
    "联系人",
    "联系电话",
    "承办单位",
    "办理状态",
    "办结时间",
    "回访满意度",
]
TZ = datetime.timezone(datetime.timedelta(hours=8))


def row(case, received, category="环境卫生", *, community="A1社区", street="前进街道", district="朝阳区", **more):
    values = {
        "工单编号": case,
        "受理时间": received,
        "诉求类型": category,
        "诉求内容": "楼道堆放杂物无人清理",
        "事发地址": "前进街道A1社区1栋",
        "所属区县": district,
        "所属街道": street,
        "所属社区": community,
        "联系人": "王先生",
        "联系电话": "13900001111",
        "承办单位": "",
        "办理状态": "待受理",
        "办结时间": "",
        "回访满意度": "",
        **more,
    }
    return [values[h] for h in HEADERS]


def xlsx_with_title(rows, *, merge_district=False):
    """The platform's export: a title merged across the columns above the header, and (optionally)
    所属区县 merged down over the data rows, as hand-kept sheets do."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["12345市民服务热线工单导出（2026年11月）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet.append(HEADERS)
    for values in rows:
        sheet.append(values)
    if merge_district and len(rows) > 1:
        column = HEADERS.index("所属区县") + 1
        sheet.merge_cells(start_row=3, start_column=column, end_row=2 + len(rows), end_column=column)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_in(rows, encoding):
    lines = [",".join(HEADERS)] + [",".join(str(v) for v in values) for values in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def serial(moment):
    """An Excel serial day number (what a date cell saved without its format holds)."""
    return (moment - datetime.datetime(1899, 12, 30)).total_seconds() / 86400


def rejections(plan):
    return {r.row: (r.column, r.reason) for r in plan.rejected}


def test_an_xlsx_export_with_a_title_row_merged_cells_serial_times_and_numeric_phones(
    areas, categories, departments, street_a
):
    data = xlsx_with_title(
        [
            row("HL001", serial(datetime.datetime(2026, 11, 3, 14, 5)), 联系电话=13800001111.0),
            row(
                "HL002",
                datetime.datetime(2026, 11, 4, 9, 30),  # a real date cell
                "物业管理",
                办理状态="已办结",
                办结时间=serial(datetime.datetime(2026, 11, 6, 17, 0)),
                回访满意度="基本满意",
            ),
            row("HL003", "2026-11-05 08:00:00", "占道经营", community="", 办理状态="办理中"),
            row("HL004", "2026/11/5 10:20", "环境卫生", 承办单位="朝阳区民政局", 联系电话="0431-88881234"),
        ],
        merge_district=True,
    )

    plan = execute(HotlineImporter(street_a), data)

    assert plan.rejected == [] and len(plan.new) == 4
    got = {r.case_number: r for r in ResidentRequest.objects.select_related("area")}
    first = got["HL001"]
    assert first.channel == Channel.HOTLINE and first.area.code == COMMUNITY_A1
    assert first.received_at == datetime.datetime(2026, 11, 3, 14, 5, tzinfo=TZ)
    assert first.due_on == datetime.date(2026, 11, 6)  # 环境卫生: 3 days
    assert first.resident_phone == "13800001111" and first.resident_name == "王先生"
    assert first.address == "前进街道A1社区1栋" and first.status == "received"
    assert first.responsible_area.code == COMMUNITY_A1  # no rule contains the community: the community
    second = got["HL002"]
    assert (second.status, second.satisfaction) == ("closed", "basic")
    assert second.closed_at == datetime.datetime(2026, 11, 6, 17, 0, tzinfo=TZ)
    assert second.responsible_area.code == COMMUNITY_A1  # 物业管理: community A1's own rule, the deeper
    third = got["HL003"]
    assert third.area.code == "220104001" and third.status == "handling"  # no community: the street
    assert third.responsible_department == departments["chaoyang_other"]  # 占道经营's rule
    fourth = got["HL004"]
    assert fourth.responsible_department == departments["chaoyang"]  # the hotline's 承办单位 by name
    assert fourth.resident_phone == "0431-88881234" and fourth.hotline_body == "朝阳区民政局"
    assert StateChange.objects.filter(object_id=second.pk, transition="hotline_import", to_state="closed").exists()


def test_a_gbk_csv_with_text_times_bad_rows_refused_with_their_reason_the_rest_imported(
    areas, categories, departments, street_a
):
    data = csv_in(
        [
            row("HL101", "2026年11月3日 14:05", 联系电话="13800001111.0"),  # row 2
            row("HL102", "2026年11月3日 15:00", community="不存在社区"),  # 3: unknown community
            row("HL103", "2026年11月3日 15:10", "不存在的类型"),  # 4: unknown category
            row("HL104", "前天下午", "环境卫生"),  # 5: bad time
            row("HL101", "2026年11月3日 16:00"),  # 6: the case again
            row("HL105", "2026年11月3日 16:10", street="桂林街道", community="B1社区"),  # 7: street B's
            row("HL106", "2026年11月3日 16:20", street="不存在街道"),  # 8: unknown street
            row("HL107", "2026年11月3日 16:30", 办理状态="已办结", 回访满意度="非常满意"),  # 9
        ],
        "gbk",
    )

    plan = preview(HotlineImporter(street_a), data)
    reasons = rejections(plan)

    assert set(reasons) == {3, 4, 5, 6, 7, 8}
    assert reasons[3] == ("所属社区", "所属街道下找不到该社区：所属社区须与区划中的名称一致")
    assert reasons[4][0] == "诉求类型" and "没有这个诉求类型" in reasons[4][1]
    assert reasons[5][0] == "受理时间" and "时间无法识别" in reasons[5][1]
    assert reasons[6] == ("工单编号", "工单编号在本文件中重复（与第 2 行相同）")
    assert reasons[7][1] == "该地点不在您的管辖范围内"
    assert reasons[8][0] == "所属街道" and "找不到该街道" in reasons[8][1]
    assert not ResidentRequest.objects.exists()  # a preview writes nothing

    execute(HotlineImporter(street_a), data, skip_invalid=True)

    assert set(ResidentRequest.objects.values_list("case_number", flat=True)) == {"HL101", "HL107"}
    first = ResidentRequest.objects.get(case_number="HL101")
    assert first.received_at == datetime.datetime(2026, 11, 3, 14, 5, tzinfo=TZ)
    assert first.resident_phone == "13800001111"
    assert ResidentRequest.objects.get(case_number="HL107").satisfaction == "satisfied"


def test_a_utf8_csv_with_a_bom_reads_the_same(areas, categories, departments, street_a):
    data = b"\xef\xbb\xbf" + csv_in([row("HL201", "2026-11-03 14:05:00")], "utf-8")

    plan = execute(HotlineImporter(street_a), data)

    assert len(plan.new) == 1 and ResidentRequest.objects.get().case_number == "HL201"


def test_a_re_import_updates_the_states_and_never_duplicates(areas, categories, departments, street_a):
    first = [row("HL301", "2026-11-03 14:05"), row("HL302", "2026-11-03 15:05", 办理状态="办理中")]
    execute(HotlineImporter(street_a), xlsx_with_title(first))
    again = [
        row("HL301", "2026-11-03 14:05", 办理状态="已办结", 办结时间="2026-11-05 10:00", 回访满意度="不满意"),
        row("HL302", "2026-11-03 15:05", 办理状态="办理中"),  # unchanged
        row("HL303", "2026-11-04 09:00"),  # new
    ]

    plan = execute(HotlineImporter(street_a), xlsx_with_title(again))

    assert (len(plan.new), len(plan.changed), plan.unchanged) == (1, 1, 1)
    assert ResidentRequest.objects.count() == 3
    closed = ResidentRequest.objects.get(case_number="HL301")
    assert (closed.status, closed.satisfaction) == ("closed", "unsatisfied")
    assert closed.closed_at == datetime.datetime(2026, 11, 5, 10, 0, tzinfo=TZ)
    assert StateChange.objects.filter(
        object_id=closed.pk, transition="hotline_sync", from_state="received", to_state="closed"
    ).exists()
    [entry] = plan.details["changed"]
    assert ["状态", "待受理", "已办结"] in entry["changes"]

    plan = execute(HotlineImporter(street_a), xlsx_with_title(again))  # the third time: nothing to do
    assert (len(plan.new), len(plan.changed), plan.unchanged) == (0, 0, 3)
    assert ResidentRequest.objects.count() == 3


def test_a_street_cannot_import_into_another_street_nor_update_its_cases(
    areas, categories, departments, street_a, street_b
):
    execute(HotlineImporter(street_a), csv_in([row("HL401", "2026-11-03 14:05")], "utf-8"))
    in_b = {"street": "桂林街道", "community": "B1社区"}
    data = csv_in(
        [
            row("HL402", "2026-11-03 14:05"),  # street A's community
            row("HL403", "2026-11-03 14:05", **in_b),
            row("HL401", "2026-11-03 14:05", 办理状态="已办结", **in_b),  # street A's case, said to be in B1
        ],
        "utf-8",
    )

    plan = preview(HotlineImporter(street_b), data)

    assert rejections(plan) == {
        2: ("所属街道", "该地点不在您的管辖范围内"),
        4: ("工单编号", "该工单已登记在您管辖范围以外的地点"),
    }
    assert len(plan.new) == 1  # B1's row, with street B's own 环境卫生


def test_the_district_imports_every_street_of_it(areas, categories, departments):
    district = make_user("chaoyang_zzb", Role.ORG_DEPARTMENT, areas[DISTRICT])
    data = csv_in(
        [row("HL501", "2026-11-03 14:05"), row("HL502", "2026-11-03 14:05", street="桂林街道", community="B1社区")],
        "utf-8",
    )

    plan = execute(HotlineImporter(district), data)

    assert plan.rejected == [] and ResidentRequest.objects.count() == 2
    assert ResidentRequest.objects.get(case_number="HL502").category == categories["b_category"]


def test_the_command_imports_as_a_user_and_refuses_without_skip_invalid(
    areas, categories, departments, street_a, tmp_path, capsys
):
    path = tmp_path / "12345.csv"
    path.write_bytes(csv_in([row("HL601", "2026-11-03 14:05"), row("HL602", "2026-11-03 14:05", "无此类型")], "gbk"))

    with pytest.raises(SystemExit) as refused:
        call_command("import_hotline", str(path), "--user", "street_a", "--json")
    assert refused.value.code == 1
    summary = json.loads(capsys.readouterr().out)
    assert [r["row"] for r in summary["rejected"]] == [3] and not ResidentRequest.objects.exists()

    call_command("import_hotline", str(path), "--user", "street_a", "--skip-invalid")

    assert list(ResidentRequest.objects.values_list("case_number", flat=True)) == ["HL601"]
    assert "新增 1" in capsys.readouterr().out


def test_the_browser_flow_previews_grouped_rejections_then_imports_as_a_job(
    areas, categories, departments, street_a, client_for
):
    client = client_for(street_a)
    listing = client.get(reverse("services:residentrequest_list")).content.decode()
    assert reverse("core:import_new", args=["hotline_requests"]) in listing
    rows = [row(f"HL7{n:02d}", "2026-11-03 14:05") for n in range(5)]
    rows += [row(f"HL8{n:02d}", "2026-11-03 14:05", "无此类型") for n in range(3)]
    rows.append(row("HL900", "2026-11-03 14:05", community="无此社区"))

    response = client.post(
        reverse("core:import_new", args=["hotline_requests"]),
        {"file": SimpleUploadedFile("12345.xlsx", xlsx_with_title(rows))},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.get(kind="hotline_requests")
    page = client.get(job.get_absolute_url()).content.decode()
    assert "所在街道（区）没有这个诉求类型" in page and "3 行" in page  # one group of three
    assert "所属街道下找不到该社区" in page
    assert not ResidentRequest.objects.exists()

    client.post(reverse("core:import_confirm", args=[job.pk]), {"skip_invalid": "1"})

    job.refresh_from_db()
    assert job.status == "done", job.error
    assert ResidentRequest.objects.filter(channel="hotline").count() == 5
    assert job.report["new"] == 5


def test_only_who_may_import_sees_the_upload(areas, categories, grid_a1, client_for):
    community = make_user("shequ", Role.COMMUNITY_CADRE, areas[COMMUNITY_A1])
    for user in (grid_a1, community):
        client = client_for(user)
        assert client.get(reverse("core:import_new", args=["hotline_requests"])).status_code == 404
        listing = client.get(reverse("services:residentrequest_list")).content.decode()
        assert reverse("core:import_new", args=["hotline_requests"]) not in listing


def test_received_at_is_the_hotlines_time_not_the_import(areas, categories, departments, street_a):
    execute(HotlineImporter(street_a), csv_in([row("HL950", "2020-01-02 03:04")], "utf-8"))

    record = ResidentRequest.objects.get()
    assert timezone.localtime(record.received_at).date() == datetime.date(2020, 1, 2)
    assert record.due_on == datetime.date(2020, 1, 5)


def test_who_handles_the_imported_requests_is_told_once_with_how_many_wait(
    areas, categories, departments, street_a, community_a1, grid_a1
):
    from core.notices import Notice

    rows = [
        row("HL501", "2026-11-03 14:05"),
        row("HL502", "2026-11-04 09:30"),
        row("HL503", "2026-11-04 10:00", 办理状态="已办结", 办结时间="2026-11-05 10:00", 回访满意度="满意"),
    ]

    execute(HotlineImporter(street_a), xlsx_with_title(rows))

    [told] = Notice.objects.filter(recipient=community_a1)
    assert told.title == "12345热线导入：2 件诉求待办理"
    assert told.body.startswith("其中已超期 ") and told.url == reverse("services:my_requests")
    assert not Notice.objects.filter(recipient=grid_a1).exists()  # the community's, not below it
    assert not Notice.objects.filter(recipient=street_a).exists()  # who imported them

    execute(HotlineImporter(street_a), xlsx_with_title(rows))  # nothing new: no one is told again
    assert Notice.objects.filter(recipient=community_a1).count() == 1
