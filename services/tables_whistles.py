"""吹哨报到's tables: the whistles, the departments' responses (with the overdue flag) and the
quarterly ranking of departments — each sorted, filtered, paged and exported by the kit."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import DateColumn, DateTimeColumn, LinkedColumn, Table
from orgs.models import Department

from .models_whistles import OPEN_STATES, Whistle, WhistleResponse
from .tables import AreaColumn


class WhistleTable(Table):
    cards_on_phone = True
    title = LinkedColumn(_("事项"))
    kind = tables.Column(_("吹哨类型"), accessor="kind__name")
    area = AreaColumn(_("地点"), "area")
    deadline = DateColumn("Y-m-d", verbose_name=_("办结时限"))
    response_count = tables.Column(_("报到部门数"), accessor="response_count", orderable=False)
    open_count = tables.Column(_("未办结"), accessor="open_count", orderable=False)
    subject_label = tables.Column(_("关联对象"), visible=False)
    blown_at = DateTimeColumn("Y-m-d H:i", verbose_name=_("吹哨时间"))

    class Meta(Table.Meta):
        model = Whistle
        fields = ()


class WhistleResponseTable(Table):
    cards_on_phone = True
    name = tables.Column(_("吹哨事项"), accessor="whistle__title", linkify=lambda record: record.get_absolute_url())
    department = tables.Column(_("报到部门"), accessor="department__name")
    area = AreaColumn(_("地点"), "whistle__area")
    deadline = DateColumn("Y-m-d", verbose_name=_("办结时限"), accessor="whistle__deadline")
    status = tables.Column(_("状态"))
    overdue = tables.Column(_("逾期"), accessor="status", orderable=False, empty_values=())
    score = tables.Column(_("得分"))
    signed_late = tables.BooleanColumn(_("逾期报到"), visible=False)
    on_time = tables.BooleanColumn(_("按时办结"), visible=False)
    quality = tables.Column(_("办理质量"), visible=False)
    satisfaction = tables.Column(_("满意度"), visible=False)

    def render_status(self, record):
        return record.get_status_display()

    def value_status(self, record):
        return record.get_status_display()

    def _overdue(self, record):
        return record.status in OPEN_STATES and record.whistle.deadline < timezone.localdate()

    def render_overdue(self, record):
        if self._overdue(record):
            return format_html('<span class="badge text-bg-danger">{}</span>', _("已逾期"))
        if record.signed_late:
            return format_html('<span class="badge text-bg-warning">{}</span>', _("逾期报到"))
        return "—"

    def value_overdue(self, record):
        return str(_("已逾期")) if self._overdue(record) else str(_("逾期报到")) if record.signed_late else ""

    class Meta(Table.Meta):
        model = WhistleResponse
        fields = ()


class DepartmentRankingTable(Table):
    """One row a department: rank, mean score, on-time rate, counts."""

    cards_on_phone = True
    rank = tables.Column(_("名次"))
    name = tables.Column(_("部门"))
    addressed = tables.Column(_("吹哨报到数"))
    verified_count = tables.Column(_("已核验"))
    open_count = tables.Column(_("未办结"))
    signed_late_count = tables.Column(_("逾期报到"))
    mean_score = tables.Column(_("平均得分"))
    on_time_rate = tables.Column(_("按时办结率（%）"))

    class Meta(Table.Meta):
        model = Department
        fields = ()
