"""The tables of secretary projects, their milestones, the 述职评议 and the roads: sorted, filtered,
paged and exported by the kit; a project's lateness, a review's shares and a road's vacancy shown."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import DateColumn, LinkedColumn, PersonalColumn, Table

from .models_secretaries import Road, SecretaryMilestone, SecretaryProject, SecretaryReport


class AreaColumn(tables.Column):
    """An area's name with its code under it; its code in the export (and the import's column)."""

    def __init__(self, verbose_name, path="area", **kwargs):
        super().__init__(verbose_name, accessor=f"{path}__code", order_by=f"{path}__code", **kwargs)
        self.path = path

    def render(self, value, record):
        area = record
        for step in self.path.split("__"):
            area = getattr(area, step)
        return format_html('{}<span class="cell-sub code">{}</span>', area.name, value)

    def value(self, value):
        return value


class ChoiceColumn(tables.Column):
    def render(self, value, record):
        return getattr(record, f"get_{self.accessor}_display")()

    def value(self, value, record):
        return getattr(record, f"get_{self.accessor}_display")()


class SecretaryProjectTable(Table):
    cards_on_phone = True
    title = LinkedColumn(_("项目名称"))
    area = AreaColumn(_("书记所在区划"))
    secretary = tables.Column(_("书记姓名"))
    year = tables.Column(_("年度"))
    started_on = DateColumn("Y-m-d", verbose_name=_("开始日期"))
    ends_on = DateColumn("Y-m-d", verbose_name=_("计划完成日期"))
    status = ChoiceColumn(_("状态"))
    late = tables.Column(_("是否滞后"), orderable=False, empty_values=())
    goal = tables.Column(_("项目目标"), visible=False)

    class Meta(Table.Meta):
        model = SecretaryProject
        fields = ()

    def render_late(self, record):
        if getattr(record, "late", False):
            return format_html('<span class="badge text-bg-danger">{}</span>', _("滞后"))
        return ""

    def value_late(self, record):
        return _("是") if getattr(record, "late", False) else ""


class SecretaryMilestoneTable(Table):
    title = LinkedColumn(_("节点"))
    project = tables.Column(_("书记项目"), accessor="project__title")
    due_on = DateColumn("Y-m-d", verbose_name=_("计划完成日期"))
    done_on = DateColumn("Y-m-d", verbose_name=_("实际完成日期"))
    note = tables.Column(_("进展说明"))

    class Meta(Table.Meta):
        model = SecretaryMilestone
        fields = ()


class ShareColumn(tables.Column):
    """A vote's count and its share of the voters."""

    def render(self, value, record):
        share = record.share(self.accessor)
        return format_html('{} <small class="text-body-secondary">({}%)</small>', value, f"{share * 100:.1f}")

    def value(self, value):
        return value


class SecretaryReportTable(Table):
    cards_on_phone = True
    secretary = LinkedColumn(_("书记姓名"))
    area = AreaColumn(_("书记所在区划"))
    year = tables.Column(_("年度"))
    reported_on = DateColumn("Y-m-d", verbose_name=_("述职日期"))
    voters = tables.Column(_("评议人数"))
    good = ShareColumn(_("好"))
    fairly_good = ShareColumn(_("较好"))
    fair = ShareColumn(_("一般"))
    poor = ShareColumn(_("差"))
    good_share = tables.Column(_("好评率"), orderable=False, empty_values=())
    summary = tables.Column(_("述职摘要"), visible=False)

    class Meta(Table.Meta):
        model = SecretaryReport
        fields = ()

    def render_good_share(self, record):
        return f"{record.good_share * 100:.1f}%" if record.good_share is not None else "—"

    def value_good_share(self, record):
        return f"{record.good_share * 100:.1f}%" if record.good_share is not None else ""


class RoadTable(Table):
    cards_on_phone = True
    name = LinkedColumn(_("名称"))
    area = AreaColumn(_("街道"))
    kind = ChoiceColumn(_("类型"))
    chief_name = tables.Column(_("街（路、巷）长"), empty_values=())
    chief_phone = PersonalColumn(_("街（路、巷）长电话"), field="chief_phone")
    chief_id_number = PersonalColumn(_("街（路、巷）长身份证号"), field="chief_id_number", visible=False)
    chief_since = DateColumn("Y-m-d", verbose_name=_("任职日期"))
    along_count = tables.Column(_("沿线小区、网格和楼栋"), accessor="along_count", orderable=False, empty_values=())
    note = tables.Column(_("备注"), visible=False)

    class Meta(Table.Meta):
        model = Road
        fields = ()

    def render_chief_name(self, record):
        if not record.chief_name:
            return format_html('<span class="badge text-bg-warning">{}</span>', _("空缺"))
        return format_html('{} <small class="text-body-secondary">{}</small>', record.chief_name, record.chief_title)

    def value_chief_name(self, record):
        return record.chief_name
