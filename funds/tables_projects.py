"""The tables of demands, resources, projects and milestones: sorted, filtered, paged and exported
by the kit; the unclaimed days of a demand, the remaining of a resource and a project's lateness
flagged."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import DateColumn, DateTimeColumn, LinkedColumn, Table

from .models import Project, ProjectStatus
from .models_projects import Demand, DemandStatus, ProjectMilestone, Resource


class AreaColumn(tables.Column):
    """An area's name with its code under it; its code in the export."""

    def __init__(self, verbose_name, path, **kwargs):
        super().__init__(verbose_name, accessor=f"{path}__code", order_by=f"{path}__code", **kwargs)
        self.path = path

    def render(self, value, record):
        area = record
        for step in self.path.split("__"):
            area = getattr(area, step)
        return format_html('{}<span class="cell-sub code">{}</span>', area.name, value)

    def value(self, value):
        return value


class StatusColumn(tables.Column):
    def render(self, value, record):
        return record.get_status_display()

    def value(self, value, record):
        return record.get_status_display()


class DemandTable(Table):
    cards_on_phone = True
    title = LinkedColumn(_("需求事项"))
    area = AreaColumn(_("社区/网格"), "area")
    urgency = tables.Column(_("紧急程度"))
    people = tables.Column(_("受益人数"))
    status = StatusColumn(_("状态"))
    waiting = tables.Column(_("待认领天数"), accessor="posted_at", orderable=False, empty_values=())
    posted_at = DateTimeColumn("Y-m-d H:i", verbose_name=_("发布时间"))
    description = tables.Column(_("需求描述"), visible=False)

    class Meta(Table.Meta):
        model = Demand
        fields = ()

    def render_urgency(self, record):
        classes = {"critical": "text-bg-danger", "urgent": "text-bg-warning"}
        return format_html(
            '<span class="badge {}">{}</span>',
            classes.get(record.urgency, "text-bg-light"),
            record.get_urgency_display(),
        )

    def value_urgency(self, record):
        return record.get_urgency_display()

    def render_waiting(self, record):
        if record.status != DemandStatus.OPEN:
            return "—"
        return _("{n} 天").format(n=record.days_open)

    def value_waiting(self, record):
        return record.days_open if record.status == DemandStatus.OPEN else ""


class ResourceTable(Table):
    cards_on_phone = True
    title = LinkedColumn(_("资源名称"))
    provider_label = tables.Column(_("提供方"))
    provider_kind = tables.Column(_("提供方类型"))
    quantity = tables.Column(_("提供数量"))
    used = tables.Column(_("已认领"), accessor="used_quantity", orderable=False)
    measure = tables.Column(_("计量单位"))
    available_to = DateColumn("Y-m-d", verbose_name=_("提供截止日期"))
    status = StatusColumn(_("状态"))
    area = AreaColumn(_("登记区划"), "area", visible=False)

    class Meta(Table.Meta):
        model = Resource
        fields = ()

    def render_provider_kind(self, record):
        return record.get_provider_kind_display()

    def value_provider_kind(self, record):
        return record.get_provider_kind_display()

    def render_quantity(self, value):
        return f"{value.normalize():f}"

    def render_used(self, value):
        return f"{value.normalize():f}" if value is not None else "0"


class ProjectTable(Table):
    cards_on_phone = True
    title = LinkedColumn(_("项目名称"))
    area = AreaColumn(_("社区/网格"), "area")
    provider_label = tables.Column(_("提供方"))
    status = StatusColumn(_("状态"))
    started_on = DateColumn("Y-m-d", verbose_name=_("开始日期"))
    due_on = DateColumn("Y-m-d", verbose_name=_("计划完成日期"))
    late = tables.Column(_("逾期"), accessor="due_on", orderable=False, empty_values=())
    hours = tables.Column(_("志愿服务时长（小时）"), accessor="service_hours", orderable=False)
    closed_on = DateColumn("Y-m-d", verbose_name=_("结项日期"), visible=False)

    class Meta(Table.Meta):
        model = Project
        fields = ()

    @staticmethod
    def is_late(record):
        return record.status == ProjectStatus.RUNNING and record.due_on and record.due_on < timezone.localdate()

    def render_late(self, record):
        if self.is_late(record):
            return format_html('<span class="badge text-bg-danger">{}</span>', _("已逾期"))
        return "—"

    def value_late(self, record):
        return _("是") if self.is_late(record) else ""


class ProjectMilestoneTable(Table):
    title = LinkedColumn(_("节点"))
    project = tables.Column(_("项目"), accessor="project__title")
    due_on = DateColumn("Y-m-d", verbose_name=_("计划完成日期"))
    done_on = DateColumn("Y-m-d", verbose_name=_("实际完成日期"))

    class Meta(Table.Meta):
        model = ProjectMilestone
        fields = ()
