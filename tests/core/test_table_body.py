"""core.tables.Table.body_html renders a page's rows in Python (no template loop per cell): it must
give the cells django-tables2's own template gives — choice labels, dates, defaults, localized
numbers, escaping, render methods, td attributes (callable ones too), link columns — only faster."""

import datetime
import re

import django_tables2 as tables
from django.test import RequestFactory
from django.utils import timezone
from django_tables2.utils import A

from core.tables import DateColumn, DateTimeColumn, Table, YesNoColumn
from orgs.choices import AreaLevel
from orgs.models import Area
from tests.kitapp.models import Repair, RepairStatus


class RepairTable(Table):
    title = tables.Column("事项", attrs={"td": {"class": "title", "data-x": lambda record: f"r{record.pk}"}})
    status = tables.Column("状态")
    level = tables.Column("层级", accessor="area__level")
    at = DateTimeColumn(verbose_name="时间")
    on = DateColumn(verbose_name="日期", accessor="opened_on", default="—")
    count = tables.Column("次数", accessor="visits")
    done = YesNoColumn(verbose_name="办结", accessor="done")
    link = tables.LinkColumn("kitapp:repair_detail", args=[A("pk")], text="查看", verbose_name="链接", empty_values=())
    actions = tables.Column("", empty_values=(), orderable=False)

    class Meta(Table.Meta):
        model = Repair
        fields = ()

    def render_status(self, value, record):
        return f"{value}（{record.reason or '无'}）"

    def render_actions(self, record):
        return "<b>不可信</b>" if record.pk % 2 else ""


def repairs():
    street = Area(code="220104001", name="永昌街道", level=AreaLevel.STREET)
    community = Area(code="220104001001", name="铁北社区", level=AreaLevel.COMMUNITY)
    moment = timezone.make_aware(datetime.datetime(2026, 6, 30, 23, 30), datetime.UTC)  # 7:30 next day in Beijing
    rows = []
    for pk, (area, status, reason, visits, opened, done) in enumerate(
        [
            (street, RepairStatus.RECEIVED, "", 12345, datetime.date(2026, 1, 5), True),
            (community, RepairStatus.HANDLED, "<script>alert(1)</script>", None, None, False),
            (community, "unknown", "门禁 & 路灯", 0, datetime.date(2025, 12, 31), None),
        ],
        start=1,
    ):
        repair = Repair(pk=pk, area=area, title=f"报修<{pk}>", status=status, reason=reason, at=moment)
        repair.visits, repair.opened_on, repair.done = visits, opened, done
        rows.append(repair)
    return rows


def stock_tbody(table, request):
    """The rows as django-tables2's own bootstrap5 template renders them."""
    table.template_name = "django_tables2/bootstrap5.html"
    html = table.as_html(request)
    return normalise(re.search(r"<tbody[^>]*>(.*)</tbody>", html, re.S).group(1))


def normalise(html):
    html = re.sub(r">\s+<", "><", html.strip()).replace("<td >", "<td>")
    return re.sub(r"\s+", " ", html)


def test_body_html_gives_the_cells_of_django_tables2s_template():
    request = RequestFactory().get("/")
    ours = normalise(str(RepairTable(repairs()).body_html()))
    theirs = stock_tbody(RepairTable(repairs()), request)

    assert ours == theirs
    # and what they both say, so that the comparison cannot pass on two empty bodies
    assert ours.count("<tr") == 3
    assert "已办结（&lt;script&gt;alert(1)&lt;/script&gt;）" in ours  # the label, escaped reason
    assert "unknown（门禁 &amp; 路灯）" in ours  # a value outside the choices shows as it is
    assert "街道" in ours and "社区" in ours  # a choice through a relation: its label
    assert "2026-07-01 07:30" in ours  # a moment in the local time zone
    assert "2026-01-05" in ours and "—" in ours  # a date, and the default of an empty one
    assert 'data-x="r2"' in ours  # a callable td attribute, per row
    assert "&lt;b&gt;不可信&lt;/b&gt;" in ours  # a render method's plain string is escaped
    assert "/kitapp/repairs/1/" in ours or "repairs/1" in ours  # the link column


def test_an_empty_page_shows_the_tables_empty_text():
    html = str(RepairTable([]).body_html())
    assert html == '<tr><td colspan="9">没有符合条件的记录。</td></tr>'
