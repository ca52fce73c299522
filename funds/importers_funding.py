"""The finance office's spreadsheets of allocations and expenditures, on the kit's flow (core.resources:
upload → preview with Excel row numbers and Chinese reasons → confirm → job → report).

Amounts as offices write them: "1,234.50", "1 234.50 元", or a 金额（万元） column (×10,000) in place
of 金额（元）; an amount above the ceiling (FUNDS_CONFIRM_ABOVE) only with 大额确认 = 是. An allocation
is found by 社区代码, 年度, 经费类型 and 来源 (a re-import updates it); an expenditure by its 凭证号
among the user's, its allocation by 社区代码, 经费类型 and 来源 in the year of 支出日期 (来源 may be
left out where the community has one allocation of the type that year), its project by name. An
unknown community, an amount beyond the balance, a bad amount: refused with the row's reason."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import widgets
from import_export.fields import Field

from core.importing import register as register_importer
from core.resources import ChoiceLabelWidget, ResourceImporter, ScopedForeignKeyWidget, ScopedResource
from orgs.models import Area

from .models import Project
from .models_funding import Allocation, Expenditure, FundSource, FundType, confirm_above, parse_money, yuan
from .permissions import KEEP_ALLOCATIONS, RECORD_EXPENDITURE

YUAN, WAN, CONFIRM = "金额（元）", "金额（万元）", "大额确认"
YES = {"是", "确认", "y", "yes", "1", "true"}
CODE, TYPE, SOURCE, DATE, PROJECT = "社区代码", "经费类型", "来源", "支出日期", "项目"


def cell(row, header):
    value = row.get(header) if row is not None else None
    return "" if value is None else str(value).strip()


class MoneyWidget(widgets.Widget):
    """金额（元） — or, where it is empty, 金额（万元） × 10,000; above the ceiling only with 大额确认 = 是."""

    def clean(self, value, row=None, **kwargs):
        wan = False
        if cell(row, YUAN) == "" and cell(row, WAN) != "":
            value, wan = cell(row, WAN), True
        if str(value if value is not None else "").strip() == "":
            raise ValueError(_("请填写{yuan}或{wan}。").format(yuan=YUAN, wan=WAN))
        try:
            amount = parse_money(value, wan=wan)
        except ValidationError as error:
            raise ValueError(" ".join(error.messages)) from None
        if amount > confirm_above() and cell(row, CONFIRM).lower() not in YES:
            raise ValueError(
                _("金额 {amount} 超过 {ceiling}：请核对是否把万元当作元填写；无误请在“{confirm}”列填“是”。").format(
                    amount=yuan(amount), ceiling=yuan(confirm_above()), confirm=CONFIRM
                )
            )
        return amount

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class FundResource(ScopedResource):
    def before_import_row(self, row, **kwargs):
        if YUAN not in row and WAN in row:  # a sheet in 万元 only: the amount's column is read from it
            row[YUAN] = ""
        super().before_import_row(row, **kwargs)


class AllocationResource(FundResource):
    area = Field(
        attribute="area", column_name=CODE, widget=ScopedForeignKeyWidget(Area, "code", action=KEEP_ALLOCATIONS)
    )
    year = Field(attribute="year", column_name="年度", widget=widgets.IntegerWidget())
    fund_type = Field(attribute="fund_type", column_name=TYPE, widget=ChoiceLabelWidget(FundType.choices))
    source = Field(attribute="source", column_name=SOURCE, widget=ChoiceLabelWidget(FundSource.choices))
    amount = Field(attribute="amount", column_name=YUAN, widget=MoneyWidget())
    amount_wan = Field(column_name=WAN, readonly=True)
    confirm_large = Field(column_name=CONFIRM, readonly=True)
    allocated_on = Field(attribute="allocated_on", column_name="拨付日期", widget=widgets.DateWidget())
    note = Field(attribute="note", column_name="备注")

    class Meta:
        model = Allocation
        fields = (
            "area",
            "year",
            "fund_type",
            "source",
            "amount",
            "amount_wan",
            "confirm_large",
            "allocated_on",
            "note",
        )
        import_id_fields = ("area", "year", "fund_type", "source")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, user=None, action=None, **kwargs):
        super().__init__(user, action, **kwargs)
        self.fields = {name: self.fields[name] for name in self._meta.fields}

    def dehydrate_amount_wan(self, allocation):
        return ""

    def dehydrate_confirm_large(self, allocation):
        return ""


class AllocationOfRowWidget(widgets.ForeignKeyWidget):
    """The allocation a row spends from: its community (社区代码, in the user's scope), its type and
    source, in the year of its date."""

    def __init__(self):
        super().__init__(Allocation, field="pk")
        self.user = None

    def clean(self, value, row=None, **kwargs):
        code = str(value or "").strip()
        if not code:
            raise ValueError(_("请填写{code}。").format(code=CODE))
        area = Area.objects.scoped(self.user, RECORD_EXPENDITURE).filter(code=code).first()
        if area is None:
            raise ValueError(_("社区“{code}”不存在或不在您的管辖范围内。").format(code=code))
        kind = ChoiceLabelWidget(FundType.choices).clean(cell(row, TYPE))
        if not kind:
            raise ValueError(_("请填写{column}。").format(column=TYPE))
        source = ChoiceLabelWidget(FundSource.choices).clean(cell(row, SOURCE))
        try:
            spent_on = widgets.DateWidget().clean(row.get(DATE))
        except ValueError:
            raise ValueError(_("{column}“{value}”不是日期。").format(column=DATE, value=cell(row, DATE))) from None
        if spent_on is None:
            raise ValueError(_("请填写{column}。").format(column=DATE))
        found = list(
            Allocation.objects.filter(
                area=area, year=spent_on.year, fund_type=kind, **({"source": source} if source else {})
            )[:2]
        )
        if not found:
            raise ValueError(
                _("{area}{year}年没有{kind}的拨付记录，请先录入拨付。").format(
                    area=area.name, year=spent_on.year, kind=FundType(kind).label
                )
            )
        if len(found) > 1:
            raise ValueError(
                _("{area}{year}年有多笔{kind}（来源不同），请填写“来源”。").format(
                    area=area.name, year=spent_on.year, kind=FundType(kind).label
                )
            )
        return found[0]

    def render(self, value, obj=None, **kwargs):
        return value.area.code if value is not None else ""


class ProjectOfRowWidget(widgets.ForeignKeyWidget):
    """项目 by its name, among the projects of the row's community."""

    def __init__(self):
        super().__init__(Project, field="title")
        self.user = None

    def clean(self, value, row=None, **kwargs):
        title = str(value or "").strip()
        if not title:
            return None
        project = (
            Project.objects.scoped(self.user, RECORD_EXPENDITURE)
            .filter(Project.done_in(cell(row, CODE)), title=title)
            .first()
        )
        if project is None:
            raise ValueError(_("社区“{code}”没有名为“{title}”的项目。").format(code=cell(row, CODE), title=title))
        return project

    def render(self, value, obj=None, **kwargs):
        return value.title if value is not None else ""


class ExpenditureResource(FundResource):
    voucher_number = Field(attribute="voucher_number", column_name="凭证号")
    allocation = Field(attribute="allocation", column_name=CODE, widget=AllocationOfRowWidget())
    fund_type = Field(column_name=TYPE, readonly=True)
    source = Field(column_name=SOURCE, readonly=True)
    spent_on = Field(attribute="spent_on", column_name=DATE, widget=widgets.DateWidget())
    amount = Field(attribute="amount", column_name=YUAN, widget=MoneyWidget())
    amount_wan = Field(column_name=WAN, readonly=True)
    confirm_large = Field(column_name=CONFIRM, readonly=True)
    purpose = Field(attribute="purpose", column_name="用途")
    project = Field(attribute="project", column_name=PROJECT, widget=ProjectOfRowWidget())

    class Meta:
        model = Expenditure
        fields = (
            "voucher_number",
            "allocation",
            "fund_type",
            "source",
            "spent_on",
            "amount",
            "amount_wan",
            "confirm_large",
            "purpose",
            "project",
        )
        import_id_fields = ("voucher_number",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, user=None, action=None, **kwargs):
        super().__init__(user, action, **kwargs)
        self.fields["allocation"].widget.user = user
        self.fields["project"].widget.user = user
        self.fields = {name: self.fields[name] for name in self._meta.fields}

    def get_instance(self, instance_loader, row):
        if not cell(row, "凭证号"):
            return None  # no voucher number: always a new expenditure
        return super().get_instance(instance_loader, row)

    def dehydrate_fund_type(self, expenditure):
        return expenditure.allocation.get_fund_type_display()

    def dehydrate_source(self, expenditure):
        return expenditure.allocation.get_source_display()

    def dehydrate_amount_wan(self, expenditure):
        return ""

    def dehydrate_confirm_large(self, expenditure):
        return ""


def register():
    register_importer(
        ResourceImporter.declare(
            "funds_allocations", AllocationResource, KEEP_ALLOCATIONS, title=gettext_lazy("经费拨付")
        )
    )
    register_importer(
        ResourceImporter.declare(
            "funds_expenditures", ExpenditureResource, RECORD_EXPENDITURE, title=gettext_lazy("经费支出")
        )
    )
