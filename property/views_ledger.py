"""台账进度: the ledger's summary at an area — remaining, closed this quarter, overdue — for the
area and each child (drill-down, like the coverage pages), its burn-down toward zero by 31 December
drawn by the dashboards' charts (static/js/dashboard.js, the vendored ECharts), and its export."""

import django_tables2 as tables
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.spreadsheets import xlsx_response
from core.views.generic import csv_response
from orgs.choices import AreaLevel
from orgs.models import Area
from orgs.scoping import Action, scoped_area

from .ledger_summary import burndown, summary

HIDDEN_LEVELS = (AreaLevel.GRID, AreaLevel.BUILDING, AreaLevel.UNIT)
# A count and its header both right-aligned: a header left over a right-aligned figure reads as the next column's.
NUMBER = {"th": {"class": "text-end"}, "td": {"class": "text-end"}}


class LedgerProgressTable(tables.Table):
    name = tables.Column(verbose_name=_("区划"), orderable=False)
    level = tables.Column(verbose_name=_("层级"), orderable=False)
    remain = tables.Column(verbose_name=_("待销号"), orderable=False, attrs=NUMBER)
    closed_this_quarter = tables.Column(verbose_name=_("本季度销号"), orderable=False, attrs=NUMBER)
    overdue = tables.Column(verbose_name=_("已逾期"), orderable=False, attrs=NUMBER)

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle"}
        template_name = "django_tables2/bootstrap5-responsive.html"

    def render_name(self, value, record):
        return format_html('<a href="{}">{}</a>', record["url"], value) if record.get("url") else value

    def render_overdue(self, value):
        return format_html('<span class="text-danger fw-semibold">{}</span>', value) if value else value


HEADERS = [_("区划代码"), _("区划"), _("层级"), _("待销号"), _("本季度销号"), _("已逾期")]


def rows_of(area, total, children):
    def row(a, f, url=""):
        return {
            "code": a.code,
            "name": a.name,
            "level": a.get_level_display(),
            "remain": f.remain,
            "closed_this_quarter": f.closed_this_quarter,
            "overdue": f.overdue,
            "url": url,
        }

    return [
        row(child, f, reverse("property:ledger_progress", args=[child.code]))
        for child, f in children
        if child.level not in HIDDEN_LEVELS
    ], row(area, total)


@login_required
def ledger_progress(request, code):
    """台账进度 at an area: its figures, its children's, the burn-down, the export (?export=xlsx|csv)."""
    area = scoped_area(request, code, Action.VIEW)
    if area.level in HIDDEN_LEVELS:
        raise Http404
    today = timezone.localdate()
    total, children = summary(area, today)
    rows, own = rows_of(area, total, children)
    fmt = request.GET.get("export")
    if fmt in ("xlsx", "csv"):
        title = _("{area}无物业小区台账进度").format(area=area.name)
        values = [
            [r["code"], r["name"], r["level"], r["remain"], r["closed_this_quarter"], r["overdue"]]
            for r in [own, *rows]
        ]
        headers = [str(h) for h in HEADERS]
        if fmt == "csv":
            return csv_response(f"{title}.csv", headers, values)
        return xlsx_response(f"{title}.xlsx", headers, values, sheet_title=str(title)[:31])
    return render(
        request,
        "property/ledger_progress.html",
        {
            "area": area,
            "breadcrumb": area.breadcrumb(),
            "figures": total,
            "table": LedgerProgressTable(rows),
            "has_children": bool(rows),
            "charts": {"burndown": burndown(area, today)},
            "year": today.year,
        },
    )


@login_required
def ledger_progress_home(request):
    """The menu's 台账进度: the summary at the highest area the user may see."""
    area = Area.objects.scoped(request.user, Action.VIEW).exclude(level__in=HIDDEN_LEVELS).order_by("depth", "code")
    area = area.first()
    if area is None:
        raise Http404
    return redirect("property:ledger_progress", area.code)
