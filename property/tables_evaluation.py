"""The evaluation's tables: each list's columns and its export's headers (core.tables)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import DateColumn, DateTimeColumn, LinkedColumn, Table

from .models_evaluation import CompanyCase, EvaluationScheme, Inspection, PropertyEvaluation


class PropertyEvaluationTable(Table):
    cards_on_phone = True
    compound = LinkedColumn(_("小区"), accessor="compound__name", order_by="compound__name")
    community = tables.Column(_("所属社区"), accessor="compound__community__name", order_by="compound__community__code")
    company = tables.Column(_("物业企业"), accessor="company__name")
    year = tables.Column(_("年度"))
    sheet_count = tables.Column(_("已交评分表"), accessor="sheet_count")
    total = tables.Column(_("综合得分"))
    grade = tables.Column(_("等级"))
    status = tables.Column(_("状态"))

    def render_compound(self, value, record):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), value)

    def render_sheet_count(self, value):
        return f"{value}/3"

    def value_sheet_count(self, value):
        return value

    class Meta(Table.Meta):
        model = PropertyEvaluation
        fields = ()


class EvaluationSchemeTable(Table):
    name = LinkedColumn(_("名称"))
    year = tables.Column(_("年度"))
    weight_party = tables.Column(_("社区党组织权重(%)"))
    weight_committee = tables.Column(_("业主委员会权重(%)"))
    weight_owners = tables.Column(_("业主代表权重(%)"))
    grade_a = tables.Column(_("A级线"))
    grade_b = tables.Column(_("B级线"))
    grade_c = tables.Column(_("C级线"))

    class Meta(Table.Meta):
        model = EvaluationScheme
        fields = ()


class RankingTable(Table):
    """The housing department's ranking: one row a company, its grade the result across its compounds."""

    cards_on_phone = True
    rank = tables.Column(_("名次"), order_by=("-mean", "name"))
    name = tables.Column(_("企业名称"))
    credit_code = tables.Column(_("统一社会信用代码"))
    rated_compounds = tables.Column(_("参评小区数"))
    mean = tables.Column(_("综合得分（平均）"))
    grade = tables.Column(_("信用等级"))
    best = tables.Column(_("最高分"), visible=False)
    worst = tables.Column(_("最低分"), visible=False)
    confirmed = tables.Column(_("住建已确认"))
    case_count = tables.Column(_("投诉与纠纷"))

    year = None  # the ranked year, carried by the breakdown's link

    def render_name(self, value, record):
        url = reverse("property:evaluation_breakdown", args=[record.pk])
        return format_html('<a href="{}?year={}">{}</a>', url, self.year or "", value)

    def value_name(self, value):
        return value

    def render_grade(self, value):
        css = {"A": "success", "B": "primary", "C": "warning", "D": "danger"}.get(value, "secondary")
        return format_html('<span class="badge text-bg-{}">{}</span>', css, value)

    def value_grade(self, value):
        return value

    class Meta(Table.Meta):
        fields = ()


class CompanyCaseTable(Table):
    cards_on_phone = True
    received_on = DateColumn("Y-m-d", verbose_name=_("受理日期"))
    company = tables.Column(_("物业企业"), accessor="company__name")
    compound = tables.Column(_("小区"), accessor="compound__name")
    kind = tables.Column(_("类别"))
    mediator = tables.Column(_("调解部门"))
    summary = tables.Column(_("事由"))
    status = tables.Column(_("状态"))

    def render_summary(self, value, record):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), value[:40])

    def value_summary(self, value):
        return value

    class Meta(Table.Meta):
        model = CompanyCase
        fields = ()


class InspectionTable(Table):
    cards_on_phone = True
    drawn_at = DateTimeColumn("Y-m-d H:i", verbose_name=_("抽取时间"))
    company = tables.Column(_("被抽查企业"), accessor="company__name")
    inspector = tables.Column(_("检查人员"), accessor="inspector")
    seed = tables.Column(_("随机种子"), visible=False)
    inspected_on = DateColumn("Y-m-d", verbose_name=_("检查日期"))
    conclusion = tables.Column(_("检查结论"))
    published_at = DateTimeColumn("Y-m-d H:i", verbose_name=_("公开时间"))

    def render_company(self, value, record):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), value)

    def value_company(self, value):
        return value

    def render_inspector(self, value):
        return value.get_full_name() or value.get_username()

    def value_inspector(self, value):
        return value.get_full_name() or value.get_username()

    class Meta(Table.Meta):
        model = Inspection
        fields = ()
