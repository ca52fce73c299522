"""The two committees' and the mentoring's tables — each sorted, filtered, paged and exported by the
kit; the members' export is the sheet a street keeps after an election and the import's headers
(workforce/importers_committees.py), 交叉任职 and 一肩挑 shown beside (derived, not imported)."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import DateColumn, LinkedColumn, PersonalColumn, Table, YesNoColumn

from .models_committees import CommitteeMember, CommitteeTerm, MentorPair, MentorStudio, StudioSession


class LabelColumn(tables.Column):
    """A choice shown and exported by its Chinese label."""

    def __init__(self, verbose_name, field, **kwargs):
        super().__init__(verbose_name, accessor=field, **kwargs)
        self.field = field

    def label(self, record):
        target = record
        *path, name = self.field.split("__")
        for step in path:
            target = getattr(target, step)
        return getattr(target, f"get_{name}_display")()

    def render(self, value, record):
        return self.label(record)

    def value(self, value, record):
        return self.label(record)


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


class CommitteeTermTable(Table):
    cards_on_phone = True
    name = tables.Column(_("届次"), accessor="pk", linkify=True, exclude_from_export=True, orderable=False)
    area = AreaColumn(_("社区代码"))
    committee = LabelColumn(_("班子"), "committee")
    number = tables.Column(_("届次号"))
    elected_on = DateColumn("Y-m-d", verbose_name=_("选举日期"))
    ends_on = DateColumn("Y-m-d", verbose_name=_("任期届满日期"))
    members_count = tables.Column(_("成员数"), accessor="members_count", orderable=False, exclude_from_export=True)
    due = tables.Column(_("换届"), accessor="ends_on", orderable=False, exclude_from_export=True, empty_values=())

    class Meta(Table.Meta):
        model = CommitteeTerm
        fields = ()

    def render_name(self, record):
        return _("第{number}届").format(number=record.number)

    def render_due(self, record):
        if record.is_due:
            return format_html('<span class="badge text-bg-warning">{}</span>', _("换届到期"))
        return ""


SHORT_COMMITTEE = {"party": _("党组织"), "residents": _("居委会")}


class TermColumn(tables.Column):
    """On the page, the committee and the term in one short cell (居委会 第10届); the export keeps
    the import's two columns (班子, 届次号), which the page does not show."""

    def render(self, value, record):
        return _("{committee} 第{number}届").format(
            committee=SHORT_COMMITTEE.get(record.term.committee, record.term.get_committee_display()),
            number=record.term.number,
        )


class CommitteeMemberTable(Table):
    cards_on_phone = True
    name = LinkedColumn(_("姓名"))
    area = AreaColumn(_("社区代码"))
    committee = LabelColumn(_("班子"), "term__committee", order_by="term__committee", visible=False)
    term_number = tables.Column(_("届次号"), accessor="term__number", visible=False)
    term = TermColumn(
        _("班子届次"), accessor="term__number", order_by=("term__committee", "-term__number"), exclude_from_export=True
    )
    post = LabelColumn(_("职务"), "post")
    id_number = PersonalColumn(_("身份证号"), field="id_number")
    gender = LabelColumn(_("性别"), "gender")
    birth_date = DateColumn("Y-m-d", verbose_name=_("出生日期"))
    education = LabelColumn(_("学历"), "education")
    started_on = DateColumn("Y-m-d", verbose_name=_("任职日期"))
    ended_on = DateColumn("Y-m-d", verbose_name=_("离任日期"))
    crossing = YesNoColumn(_("交叉任职"), accessor="crossing", orderable=False)
    one_shoulder = YesNoColumn(_("一肩挑"), accessor="one_shoulder", orderable=False)

    class Meta(Table.Meta):
        model = CommitteeMember
        fields = ()
        sequence = ("name", "area", "term", "...")


class MentorStudioTable(Table):
    cards_on_phone = True
    name = LinkedColumn(_("工作室名称"))
    area = AreaColumn(_("区划代码"))
    secretary_name = tables.Column(_("领衔书记"))
    id_number = PersonalColumn(_("身份证号"), field="id_number")
    founded_on = DateColumn("Y-m-d", verbose_name=_("成立日期"))
    sessions_count = tables.Column(_("活动次数"), accessor="sessions_count", orderable=False, exclude_from_export=True)

    class Meta(Table.Meta):
        model = MentorStudio
        fields = ()


class StudioSessionTable(Table):
    cards_on_phone = True
    topic = LinkedColumn(_("主题"))
    studio = tables.Column(_("工作室"), accessor="studio__name")
    held_on = DateColumn("Y-m-d", verbose_name=_("活动日期"))
    attendees = tables.Column(_("参加人数"))

    class Meta(Table.Meta):
        model = StudioSession
        fields = ()


class MentorPairTable(Table):
    cards_on_phone = True
    mentee_name = LinkedColumn(_("被带教人姓名"))
    area = AreaColumn(_("被带教人所在社区"))
    mentor_name = tables.Column(_("导师姓名"))
    mentor_area = AreaColumn(_("导师所在社区"), path="mentor_area")
    started_on = DateColumn("Y-m-d", verbose_name=_("开始日期"))
    ended_on = DateColumn("Y-m-d", verbose_name=_("结束日期"))

    class Meta(Table.Meta):
        model = MentorPair
        fields = ()
