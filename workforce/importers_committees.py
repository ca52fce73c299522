"""The sheet a street keeps after an election (换届后的两委成员名单), on the kit's flow (core.resources:
upload → preview with Excel row numbers and Chinese reasons → confirm → job → report).

A row names its term by 社区代码, 班子 (社区党组织委员会 / 居民委员会) and 届次号 — the term must be
recorded first, in the user's scope — and its member by 身份证号 and 职务 (a re-import updates them).
The model's rules refuse a row as the form does (a post the committee has not, dates outside the
term, the same person on the same post twice, a second 书记 or 主任) — and, since the preview
classifies the rows in order as they would be written, a row against the rows above it too."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import widgets
from import_export.fields import Field

from core.choices import Gender
from core.importing import register as register_importer
from core.resources import ChoiceLabelWidget, ResourceImporter, ScopedResource
from party.choices import Education

from .models_committees import Committee, CommitteeMember, CommitteeTerm, Post
from .permissions import KEEP_COMMITTEES
from .tables_committees import CommitteeMemberTable

CODE, COMMITTEE, NUMBER = "社区代码", "班子", "届次号"


def cell(row, header):
    value = row.get(header) if row is not None else None
    return "" if value is None else str(value).strip()


class TermOfRowWidget(widgets.ForeignKeyWidget):
    """The term a row names: its community (社区代码, in the user's scope), committee and number."""

    def __init__(self):
        super().__init__(CommitteeTerm, field="pk")
        self.user = None

    def clean(self, value, row=None, **kwargs):
        code = str(value or "").strip()
        if not code:
            raise ValueError(_("请填写{code}。").format(code=CODE))
        committee = ChoiceLabelWidget(Committee.choices).clean(cell(row, COMMITTEE))
        if not committee:
            raise ValueError(_("请填写{column}。").format(column=COMMITTEE))
        number = cell(row, NUMBER).removeprefix("第").removesuffix("届")
        if not number.isdigit():
            raise ValueError(_("{column}“{value}”不是数字。").format(column=NUMBER, value=cell(row, NUMBER)))
        term = (
            CommitteeTerm.objects.scoped(self.user, KEEP_COMMITTEES)
            .filter(area__code=code, committee=committee, number=int(number))
            .select_related("area")
            .first()
        )
        if term is None:
            raise ValueError(
                _("社区“{code}”没有第{number}届{committee}（或不在您的管辖范围内），请先录入届次。").format(
                    code=code, number=number, committee=Committee(committee).label
                )
            )
        return term

    def render(self, value, obj=None, **kwargs):
        return value.area.code if value is not None else ""


class CommitteeMemberResource(ScopedResource):
    term = Field(attribute="term", column_name=CODE, widget=TermOfRowWidget())
    committee = Field(column_name=COMMITTEE, readonly=True)
    term_number = Field(column_name=NUMBER, readonly=True)
    name = Field(attribute="name", column_name="姓名")
    id_number = Field(attribute="id_number", column_name="身份证号")
    gender = Field(attribute="gender", column_name="性别", widget=ChoiceLabelWidget(Gender.choices))
    birth_date = Field(attribute="birth_date", column_name="出生日期", widget=widgets.DateWidget())
    education = Field(attribute="education", column_name="学历", widget=ChoiceLabelWidget(Education.choices))
    post = Field(attribute="post", column_name="职务", widget=ChoiceLabelWidget(Post.choices))
    started_on = Field(attribute="started_on", column_name="任职日期", widget=widgets.DateWidget())
    ended_on = Field(attribute="ended_on", column_name="离任日期", widget=widgets.DateWidget())

    class Meta:
        model = CommitteeMember
        table = CommitteeMemberTable
        fields = (
            "term",
            "committee",
            "term_number",
            "name",
            "id_number",
            "gender",
            "birth_date",
            "education",
            "post",
            "started_on",
            "ended_on",
        )
        import_id_fields = ("term", "id_number", "post")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, user=None, action=None, **kwargs):
        super().__init__(user, action, **kwargs)
        self.fields["term"].widget.user = user
        self.fields = {name: self.fields[name] for name in self._meta.fields}
        self.fields["term"].column_name = CODE  # the table's 社区代码 column is the term's community

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute == "id_number":
            row[field.column_name] = cell(row, field.column_name).upper()
        super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)

    def dehydrate_committee(self, member):
        return member.term.get_committee_display()

    def dehydrate_term_number(self, member):
        return member.term.number


def register():
    register_importer(
        ResourceImporter.declare(
            "workforce_committee_members", CommitteeMemberResource, KEEP_COMMITTEES, title=gettext_lazy("两委成员")
        )
    )
