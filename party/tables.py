"""One table per model: the list page's columns, the export's and the member import's headers."""

import django_tables2 as tables

from core.tables import DateColumn, LinkedColumn, PersonalColumn, Table, YesNoColumn

from .models import (
    InServiceMember,
    Meeting,
    PartyMember,
    PartyOrganisation,
    ReportingUnit,
    ServiceRecord,
    UnitRegistration,
)


class PartyOrganisationTable(Table):
    name = LinkedColumn("名称")
    kind = tables.Column("类型")
    area = tables.Column("所在区划", accessor="area__name", order_by="area__code")
    parent = tables.Column("上级党组织", accessor="parent__name")

    def render_area(self, value, record):
        parent = record.area.parent
        return f"{parent.name} › {value}" if parent is not None else value

    # the head: a party group's (党小组) is its 组长, every other organisation's its 书记
    secretary = tables.Column("书记/组长", accessor="secretary__name", orderable=False)
    member_count = tables.Column("党员人数")
    next_election_on = DateColumn("Y-m-d", verbose_name="下次换届日期")

    class Meta(Table.Meta):
        model = PartyOrganisation
        fields = ()


class PartyMemberTable(Table):
    """The columns a branch secretary keeps in Excel, in that order: the member import reads them."""

    name = LinkedColumn("姓名")
    gender = tables.Column("性别")
    birth_date = DateColumn("Y-m-d", verbose_name="出生日期", visible=False)
    ethnicity = tables.Column("民族", visible=False)
    education = tables.Column("学历", visible=False)
    phone = PersonalColumn("联系电话", field="phone")
    id_number = PersonalColumn("身份证号", field="id_number")
    status = tables.Column("党员类别")
    joined_on = DateColumn("Y-m-d", verbose_name="入党日期")
    full_member_on = DateColumn("Y-m-d", verbose_name="转正日期", visible=False)
    organisation = tables.Column("所在党组织", accessor="organisation__name")
    is_flowing = YesNoColumn(verbose_name="流动党员")
    flowed_to = tables.Column("流向", visible=False)
    is_central_household = YesNoColumn(verbose_name="党员中心户")
    households_linked = tables.Column("联系户数", visible=False)
    residence = tables.Column("居住区划代码", accessor="residence__code", visible=False)

    class Meta(Table.Meta):
        model = PartyMember
        fields = ()
        # The page shows what a secretary looks for; the export (and the import) every column.
        sequence = ("name", "organisation", "status", "gender", "phone", "id_number", "joined_on", "...")


class MeetingTable(Table):
    held_on = DateColumn("Y-m-d", verbose_name="日期")
    organisation = tables.Column("党组织", accessor="organisation__name")
    kind = tables.Column("类型")
    topic = LinkedColumn("主题")
    attendance = tables.Column("出席/应到", accessor="attendance", orderable=False)

    class Meta(Table.Meta):
        model = Meeting
        fields = ()
        sequence = ("topic", "held_on", "kind", "organisation", "attendance")  # the link first, on a phone too


class UnitRegistrationTable(Table):
    unit = LinkedColumn("报到单位", accessor="unit__name")
    community = tables.Column("报到社区", accessor="community__name", order_by="community__code")
    registered_on = DateColumn("Y-m-d", verbose_name="报到日期")
    agreement = tables.Column("共建协议")
    resources = tables.Column("提供资源")

    class Meta(Table.Meta):
        model = UnitRegistration
        fields = ()


class ReportingUnitTable(Table):
    name = LinkedColumn("单位名称")
    kind = tables.Column("单位类型")
    party_organisation_name = tables.Column("单位党组织")
    area = tables.Column("登记区划", accessor="area__name", order_by="area__code")
    member_count = tables.Column("报到党员")
    contact_name = tables.Column("联系人")
    contact_phone = PersonalColumn("联系电话", field="contact_phone")

    class Meta(Table.Meta):
        model = ReportingUnit
        fields = ()
        sequence = ("name", "member_count", "...")  # what a community looks for first, on a phone too


class InServiceMemberTable(Table):
    cards_on_phone = True
    name = LinkedColumn("姓名")
    unit = tables.Column("所在单位", accessor="unit__name")
    community = tables.Column("报到社区", accessor="community__name", order_by="community__code")
    grid = tables.Column("分配网格", accessor="grid__name")
    team = tables.Column("志愿服务队")
    phone = PersonalColumn("联系电话", field="phone")
    reported_on = DateColumn("Y-m-d", verbose_name="报到日期")
    hours = tables.Column("本季度服务时长", accessor="quarter_hours")

    class Meta(Table.Meta):
        model = InServiceMember
        fields = ()


class ServiceRecordTable(Table):
    cards_on_phone = True
    served_on = DateColumn("Y-m-d", verbose_name="服务日期")
    member = tables.Column("在职党员", accessor="member__name")
    unit = tables.Column("所在单位", accessor="member__unit__name")
    description = LinkedColumn("服务内容")
    hours = tables.Column("时长（小时）")
    confirmed = YesNoColumn(verbose_name="社区已确认", accessor="confirmed", orderable=False)

    class Meta(Table.Meta):
        model = ServiceRecord
        fields = ()
        sequence = ("description", "member", "served_on", "hours", "confirmed", "unit")  # the link first
