"""经费's tables: allocations (with what is spent and the balance), expenditures and notices —
each sorted, filtered, paged and exported by the kit; the import's headers are the allocations' and
the expenditures' (funds/importers_funding.py)."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import DateColumn, DateTimeColumn, LinkedColumn, Table

from .models_funding import Allocation, Expenditure, ExpenditureStatus, FundNotice


class AreaColumn(tables.Column):
    """A community's name with its code under it; its code in the export (what an import reads)."""

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


class MoneyColumn(tables.Column):
    """Yuan with two places and thousands separators, right-aligned; exported as the plain number."""

    def __init__(self, verbose_name, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}})
        super().__init__(verbose_name, **kwargs)

    def render(self, value):
        return f"{value:,.2f}"

    def value(self, value):
        return str(value)


class LabelColumn(tables.Column):
    """A choice shown and exported by its Chinese label."""

    def render(self, value, record):
        return getattr(record, f"get_{self.accessor}_display")()

    def value(self, value, record):
        return getattr(record, f"get_{self.accessor}_display")()


class AllocationTable(Table):
    cards_on_phone = True
    name = tables.Column(_("经费"), accessor="pk", linkify=True, exclude_from_export=True, orderable=False)
    area = AreaColumn(_("社区代码"))
    year = tables.Column(_("年度"))
    fund_type = LabelColumn(_("经费类型"), accessor="fund_type")
    source = LabelColumn(_("来源"), accessor="source")
    amount = MoneyColumn(_("金额（元）"))
    committed = MoneyColumn(_("已用（元）"), accessor="committed", orderable=False, exclude_from_export=True)
    balance = MoneyColumn(_("余额（元）"), accessor="balance_left", orderable=False, exclude_from_export=True)
    allocated_on = DateColumn("Y-m-d", verbose_name=_("拨付日期"))
    note = tables.Column(_("备注"), visible=False)

    class Meta(Table.Meta):
        model = Allocation
        fields = ()

    def render_name(self, record):
        return f"{record.get_fund_type_display()}（{record.get_source_display()}）"


class ExpenditureTable(Table):
    cards_on_phone = True
    purpose = LinkedColumn(_("用途"))
    area = AreaColumn(_("社区代码"))
    allocation = tables.Column(_("经费编号"), accessor="allocation_id", visible=False)
    fund_type = tables.Column(_("经费类型"), accessor="allocation__fund_type", exclude_from_export=True)
    project = tables.Column(_("项目"), accessor="project__title")
    amount = MoneyColumn(_("金额（元）"))
    spent_on = DateColumn("Y-m-d", verbose_name=_("支出日期"))
    status = LabelColumn(_("状态"), accessor="status")
    voucher_name = tables.Column(_("凭证"), exclude_from_export=True)

    class Meta(Table.Meta):
        model = Expenditure
        fields = ()

    def render_fund_type(self, record):
        return record.allocation.get_fund_type_display()

    def render_status(self, record):
        css = {ExpenditureStatus.APPROVED: "text-bg-success", ExpenditureStatus.REJECTED: "text-bg-secondary"}
        return format_html(
            '<span class="badge {}">{}</span>', css.get(record.status, "text-bg-warning"), record.get_status_display()
        )


class FundNoticeTable(Table):
    cards_on_phone = True
    title = LinkedColumn(_("标题"))
    area = AreaColumn(_("社区代码"))
    year = tables.Column(_("年度"))
    status = LabelColumn(_("状态"), accessor="status")
    published_at = DateTimeColumn("Y-m-d H:i", verbose_name=_("公示时间"))

    class Meta(Table.Meta):
        model = FundNotice
        fields = ()
