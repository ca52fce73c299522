"""One table per model: the list page's columns, the export's and the imports' headers."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import DateColumn, LinkedColumn, PersonalColumn, Table, YesNoColumn

from .models import Checklist, CommitteeMember, Compound, Consultation, LedgerEntry, OwnersCommittee, PropertyCompany


class PropertyCompanyTable(Table):
    """The housing bureau's register (企业名称 … 服务小区), in the order its import reads."""

    name = LinkedColumn(_("企业名称"))
    credit_code = tables.Column(_("统一社会信用代码"))
    legal_representative = tables.Column(_("法定代表人"))
    phone = PersonalColumn(_("联系电话"), field="phone")
    qualification = tables.Column(_("资质等级"))
    address = tables.Column(_("注册地址"), visible=False)
    # The compounds it serves that the viewer may see: named in the export, counted on the page.
    served = tables.Column(_("服务小区"), accessor="served_names", orderable=False, visible=False)
    served_count = tables.Column(_("服务小区数"), accessor="served_count", exclude_from_export=True)
    department = tables.Column(_("登记部门"), accessor="department__short_name", exclude_from_export=True)
    party = YesNoColumn(verbose_name=_("已建党组织"), accessor="has_party_organisation", exclude_from_export=True)

    class Meta(Table.Meta):
        model = PropertyCompany
        fields = ()


class CompoundTable(Table):
    """小区名称, 所属社区, 网格编码, 户数, 管理模式, 物业企业, 合同日期: what the compound import reads."""

    name = LinkedColumn(_("小区名称"))
    community = tables.Column(_("所属社区"), accessor="community__code", order_by="community__code")
    areas = tables.Column(_("网格编码"), accessor="area_codes", orderable=False, visible=False)
    households = tables.Column(_("户数"))
    mode = tables.Column(_("管理模式"))
    company = tables.Column(_("物业企业"), accessor="company__name")
    contract_start = DateColumn("Y-m-d", verbose_name=_("合同开始日期"))
    contract_end = DateColumn("Y-m-d", verbose_name=_("合同截止日期"))

    def render_community(self, value, record):
        return format_html('{}<span class="cell-sub code">{}</span>', record.community.name, value)

    def value_community(self, value):
        return value

    class Meta(Table.Meta):
        model = Compound
        fields = ()


class ChecklistTable(Table):
    cards_on_phone = True
    compound = LinkedColumn(_("小区"), accessor="compound__name")
    quarter = tables.Column(_("季度"))
    greening = YesNoColumn(verbose_name=_("有绿化养护"))
    repairs = YesNoColumn(verbose_name=_("有物业维修"))
    parking = YesNoColumn(verbose_name=_("有停车管理"))
    security = YesNoColumn(verbose_name=_("有治安防范"))
    cleaning = YesNoColumn(verbose_name=_("定期保洁"))

    class Meta(Table.Meta):
        model = Checklist
        fields = ()


class OwnersCommitteeTable(Table):
    cards_on_phone = True
    name = LinkedColumn(_("名称"))
    compound = tables.Column(_("小区"), accessor="compound__name")
    term_end = DateColumn("Y-m-d", verbose_name=_("任期届满"))
    members = tables.Column(_("党员/成员"), accessor="party_count", orderable=False)
    flags = tables.Column(_("提示"), accessor="pk", orderable=False, exclude_from_export=True)

    def render_members(self, value, record):
        return f"{record.party_count}/{record.member_count}"

    def value_members(self, value, record):
        return f"{record.party_count}/{record.member_count}"

    def render_flags(self, value, record):
        words = []
        if not record.member_count or 2 * record.party_count <= record.member_count:
            words.append(str(_("党员未过半")))
        if record.expired:
            words.append(str(_("任期已届满")))
        return format_html('<span class="text-danger">{}</span>', "、".join(words)) if words else "—"

    class Meta(Table.Meta):
        model = OwnersCommittee
        fields = ()


class CommitteeMemberTable(Table):
    name = LinkedColumn(_("姓名"))
    committee = tables.Column(_("业主委员会"), accessor="committee__name")
    role = tables.Column(_("职务"))
    is_party_member = YesNoColumn(verbose_name=_("党员"))

    class Meta(Table.Meta):
        model = CommitteeMember
        fields = ()


class ConsultationTable(Table):
    cards_on_phone = True
    topic = LinkedColumn(_("议题"))
    compound = tables.Column(_("小区"), accessor="compound__name")
    held_on = DateColumn("Y-m-d", verbose_name=_("日期"))
    decision = tables.Column(_("议定事项"), visible=False)
    follow_up = tables.Column(_("落实情况"), visible=False)

    class Meta(Table.Meta):
        model = Consultation
        fields = ()


class LedgerEntryTable(Table):
    cards_on_phone = True
    compound = LinkedColumn(_("小区"), accessor="compound__name")
    community = tables.Column(_("所属社区"), accessor="compound__community__name", order_by="compound__community__code")
    responsible = tables.Column(_("责任人"))
    deadline = DateColumn("Y-m-d", verbose_name=_("完成时限"))
    status = tables.Column(_("状态"))
    overdue = YesNoColumn(verbose_name=_("已逾期"), accessor="overdue", orderable=False)

    class Meta(Table.Meta):
        model = LedgerEntry
        fields = ()
