"""One table per model: the list pages' columns, the export's and the item import's headers."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import DateColumn, DateTimeColumn, LinkedColumn, Table

from .choices import ListKind
from .models import GateTask, ListItem, ListVersion, ServiceList


class AreaColumn(tables.Column):
    """An area's name with its code under it; its code in the export (what an import reads)."""

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


class ServiceListTable(Table):
    name = tables.Column(_("清单"), accessor="pk", orderable=False, exclude_from_export=True, linkify=True)
    area = AreaColumn(_("区划代码"), "area")
    kind = tables.Column(_("清单类型"))
    current_number = tables.Column(_("现行版本"), accessor="current_number", orderable=False)
    has_draft = tables.Column(_("草稿"), accessor="draft_number", orderable=False)

    def render_name(self, record):
        return str(record)

    def render_current_number(self, value):
        return _("第{n}版").format(n=value)

    def render_has_draft(self, value):
        return _("第{n}版待发布").format(n=value)

    class Meta(Table.Meta):
        model = ServiceList
        fields = ()


class ListVersionTable(Table):
    service_list = tables.Column(_("清单"), accessor="service_list", linkify=lambda record: record.get_absolute_url())
    area = AreaColumn(_("区划代码"), "service_list__area")
    number = tables.Column(_("版本号"))
    status = tables.Column(_("状态"))
    item_count = tables.Column(_("事项数"), accessor="item_count", orderable=False)
    published_at = DateTimeColumn("Y-m-d H:i", verbose_name=_("发布时间"))
    note = tables.Column(_("版本说明"), visible=False)

    def render_number(self, value):
        return _("第{n}版").format(n=value)

    class Meta(Table.Meta):
        model = ListVersion
        fields = ()


class ListItemTable(Table):
    """区划代码, 清单类型, 序号, 事项名称, 事项类型, 法律依据, 责任主体, 办理流程, 办理时限, 所需材料: the
    spreadsheet a street keeps, which the item import reads into the list's draft."""

    cards_on_phone = True
    version = tables.Column(_("区划代码"), accessor="version__service_list__area__code", visible=False)
    list_kind = tables.Column(_("清单类型"), accessor="version__service_list__kind", visible=False)
    order = tables.Column(_("序号"))
    name = LinkedColumn(_("事项名称"))
    category = tables.Column(_("事项类型"))
    legal_basis = tables.Column(_("法律依据"), visible=False)
    responsible = tables.Column(_("责任主体"))
    steps = tables.Column(_("办理流程"), visible=False)
    time_limit = tables.Column(_("办理时限"))
    materials = tables.Column(_("所需材料"), visible=False)
    version_label = tables.Column(
        _("所属版本"),
        accessor="version",
        orderable=False,
        exclude_from_export=True,
        linkify=lambda record: record.version.get_absolute_url(),
    )

    def value_list_kind(self, value):
        return ListKind(value).label if value in ListKind.values else value

    class Meta(Table.Meta):
        model = ListItem
        fields = ()


class GateTaskTable(Table):
    name = LinkedColumn(_("事项名称"))
    department = tables.Column(_("交办部门"), accessor="department__name")
    community = AreaColumn(_("承接社区"), "community")
    status = tables.Column(_("准入状态"))
    pushed_at = DateTimeColumn("Y-m-d H:i", verbose_name=_("交办时间"))
    due_on = DateColumn("Y-m-d", verbose_name=_("完成时限"))
    by = tables.Column(_("操作人"), accessor="by", visible=False)

    class Meta(Table.Meta):
        model = GateTask
        fields = ()
