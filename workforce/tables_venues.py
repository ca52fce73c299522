"""党群服务阵地's and 示范点's tables, each sorted, filtered, paged and exported by the kit; the
venues' export columns are the import's headers (workforce/importers_venues.py)."""

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.tables import LinkedColumn, Table, YesNoColumn

from .models_venues import DemonstrationSite, Venue


class AreaColumn(tables.Column):
    """The area's name with its code under it; its code in the export (what an import reads)."""

    def __init__(self, verbose_name, **kwargs):
        super().__init__(verbose_name, accessor="area__code", order_by="area__code", **kwargs)

    def render(self, value, record):
        return format_html('{}<span class="cell-sub code">{}</span>', record.area.name, value)

    def value(self, value):
        return value


class LabelColumn(tables.Column):
    """A choice shown and exported by its Chinese label."""

    def render(self, value, record):
        return getattr(record, f"get_{self.accessor}_display")()

    def value(self, value, record):
        return getattr(record, f"get_{self.accessor}_display")()


RIGHT = {"td": {"class": "text-end"}, "th": {"class": "text-end"}}


class VenueTable(Table):
    cards_on_phone = True
    name = LinkedColumn(_("名称"))
    area = AreaColumn(_("区划代码"))
    level = LabelColumn(_("阵地层级"), accessor="level")
    address = tables.Column(_("地址"), visible=False)
    floor_area = tables.Column(_("建筑面积（平方米）"), attrs=RIGHT)
    opening_hours = tables.Column(_("开放时间"), visible=False)
    has_sign = YesNoColumn(verbose_name=_("统一标识"), visible=False)
    has_fixed_site = YesNoColumn(verbose_name=_("固定场所"), visible=False)
    has_facilities = YesNoColumn(verbose_name=_("服务设施"), visible=False)
    has_rules = YesNoColumn(verbose_name=_("管理制度"), visible=False)
    has_team = YesNoColumn(verbose_name=_("服务队伍"), visible=False)
    compliant = tables.Column(_("规范化"), exclude_from_export=True)
    lacks = tables.Column(_("不达标原因"), accessor="pk", orderable=False, exclude_from_export=True)

    class Meta(Table.Meta):
        model = Venue
        fields = ()

    def render_floor_area(self, value):
        return f"{value.normalize():f}"

    def value_floor_area(self, value):
        return str(value)

    def render_compliant(self, value):
        if value:
            return format_html('<span class="badge text-bg-success">{}</span>', _("达标"))
        return format_html('<span class="badge text-bg-danger">{}</span>', _("不达标"))

    def render_lacks(self, record):
        reasons = record.lacks()
        if not reasons:
            return "—"
        items = format_html_join("", "<li>{}</li>", ((reason,) for reason in reasons))
        return format_html('<ul class="list-unstyled small mb-0">{}</ul>', items)


class DemonstrationSiteTable(Table):
    cards_on_phone = True
    subject = tables.Column(_("示范点"), accessor="pk", linkify=True, orderable=False, exclude_from_export=True)
    area = AreaColumn(_("区划代码"))
    kind = LabelColumn(_("示范对象"), accessor="kind")
    level = LabelColumn(_("示范级别"), accessor="level")
    theme = tables.Column(_("示范主题"))
    year = tables.Column(_("命名年度"))
    document_number = tables.Column(_("命名文号"))

    class Meta(Table.Meta):
        model = DemonstrationSite
        fields = ()

    def render_subject(self, record):
        return record.subject_name()
