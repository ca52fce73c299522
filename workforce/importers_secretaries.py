"""A street's sheet of its roads and their chiefs (街长、路长、巷长), on the kit's flow (core.resources:
upload → preview with Excel row numbers and Chinese reasons → confirm → job → report).

A road is found by 街道代码 and 名称 (a re-import updates its chief); 类型 is 街, 路 or 巷; the areas
along it are listed by their codes in one cell (separated by 、, commas or spaces) and must be
communities, grids or buildings of the same street — a row naming one outside is rejected with the
reason the form and the API give (models_secretaries.along_errors). A chief left blank is a vacancy."""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import widgets
from import_export.fields import Field

from core.importing import register as register_importer
from core.resources import ChoiceLabelWidget, ResourceImporter, ScopedForeignKeyWidget, ScopedResource
from orgs.models import Area

from .models_secretaries import Road, RoadKind, SecretaryMilestone, SecretaryProject, SecretaryReport, along_errors
from .permissions import KEEP_ROADS, KEEP_SECRETARY_PROJECTS, RECORD_REVIEWS

STREET, ALONG = "街道代码", "沿线区划代码"
SEPARATORS = re.compile(r"[、，,;；\s]+")


def along_codes(text):
    return [code for code in SEPARATORS.split(str(text or "").strip()) if code]


class AlongWidget(widgets.ManyToManyWidget):
    """The areas along a road by their codes (the row's separators normalised before)."""

    def __init__(self):
        super().__init__(Area, separator=",", field="code")

    def render(self, value, obj=None, **kwargs):
        return "、".join(area.code for area in value.all().order_by("code")) if value is not None else ""


class RoadResource(ScopedResource):
    area = Field(attribute="area", column_name=STREET, widget=ScopedForeignKeyWidget(Area, "code", action=KEEP_ROADS))
    name = Field(attribute="name", column_name="名称")
    kind = Field(attribute="kind", column_name="类型", widget=ChoiceLabelWidget(RoadKind.choices))
    chief_name = Field(attribute="chief_name", column_name="街（路、巷）长")
    chief_phone = Field(attribute="chief_phone", column_name="联系电话")
    chief_id_number = Field(attribute="chief_id_number", column_name="身份证号")
    chief_since = Field(attribute="chief_since", column_name="任职日期", widget=widgets.DateWidget())
    along = Field(attribute="along", column_name=ALONG, widget=AlongWidget())
    note = Field(attribute="note", column_name="备注")

    class Meta:
        model = Road
        fields = (
            "area",
            "name",
            "kind",
            "chief_name",
            "chief_phone",
            "chief_id_number",
            "chief_since",
            "along",
            "note",
        )
        import_id_fields = ("area", "name")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, user=None, action=None, **kwargs):
        super().__init__(user, action, **kwargs)
        self.fields = {name: self.fields[name] for name in self._meta.fields}

    def before_import_row(self, row, **kwargs):
        """The codes along the road, each found and under the row's street, or the row is refused."""
        super().before_import_row(row, **kwargs)
        codes = along_codes(row.get(ALONG))
        row[ALONG] = ",".join(codes)
        if not codes:
            return
        street = Area.objects.filter(code=str(row.get(STREET) or "").strip()).first()
        found = {area.code: area for area in Area.objects.filter(code__in=codes)}
        missing = [code for code in codes if code not in found]
        if missing:
            raise ValueError(_("沿线区划代码{codes}不存在。").format(codes="、".join(missing)))
        refusal = along_errors(street, list(found.values()))
        if refusal:
            raise ValueError(str(refusal))


class SecretaryMilestoneResource(ScopedResource):
    """A project's milestones from a sheet: 书记项目编号, 节点, 计划完成日期, 实际完成日期, 进展说明;
    found by project and title (a re-import records what was done). A milestone due before its
    project started is rejected with the model's reason (clean_model_instances)."""

    project = Field(
        attribute="project",
        column_name="书记项目编号",
        widget=ScopedForeignKeyWidget(SecretaryProject, "pk", action=KEEP_SECRETARY_PROJECTS),
    )
    title = Field(attribute="title", column_name="节点")
    due_on = Field(attribute="due_on", column_name="计划完成日期", widget=widgets.DateWidget())
    done_on = Field(attribute="done_on", column_name="实际完成日期", widget=widgets.DateWidget())
    note = Field(attribute="note", column_name="进展说明")

    class Meta:
        model = SecretaryMilestone
        fields = ("project", "title", "due_on", "done_on", "note")
        import_id_fields = ("project", "title")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, user=None, action=None, **kwargs):
        super().__init__(user, action, **kwargs)
        self.fields = {name: self.fields[name] for name in self._meta.fields}


class SecretaryReportResource(ScopedResource):
    """The year's 述职评议 from the organisation department's sheet: 区划代码, 年度, 书记姓名, 述职日期,
    述职摘要, 评议人数 and the votes 好 / 较好 / 一般 / 差; found by area and year. Votes that do not
    sum to the voters, or a negative count, are rejected with the model's reason."""

    area = Field(
        attribute="area", column_name="区划代码", widget=ScopedForeignKeyWidget(Area, "code", action=RECORD_REVIEWS)
    )
    year = Field(attribute="year", column_name="年度", widget=widgets.IntegerWidget())
    secretary = Field(attribute="secretary", column_name="书记姓名")
    reported_on = Field(attribute="reported_on", column_name="述职日期", widget=widgets.DateWidget())
    summary = Field(attribute="summary", column_name="述职摘要")
    voters = Field(attribute="voters", column_name="评议人数", widget=widgets.IntegerWidget())
    good = Field(attribute="good", column_name="好", widget=widgets.IntegerWidget())
    fairly_good = Field(attribute="fairly_good", column_name="较好", widget=widgets.IntegerWidget())
    fair = Field(attribute="fair", column_name="一般", widget=widgets.IntegerWidget())
    poor = Field(attribute="poor", column_name="差", widget=widgets.IntegerWidget())

    class Meta:
        model = SecretaryReport
        fields = (
            "area",
            "year",
            "secretary",
            "reported_on",
            "summary",
            "voters",
            "good",
            "fairly_good",
            "fair",
            "poor",
        )
        import_id_fields = ("area", "year")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, user=None, action=None, **kwargs):
        super().__init__(user, action, **kwargs)
        self.fields = {name: self.fields[name] for name in self._meta.fields}


def register():
    register_importer(
        ResourceImporter.declare("workforce_roads", RoadResource, KEEP_ROADS, title=gettext_lazy("街长路长巷长"))
    )
    register_importer(
        ResourceImporter.declare(
            "workforce_milestones",
            SecretaryMilestoneResource,
            KEEP_SECRETARY_PROJECTS,
            title=gettext_lazy("书记项目节点"),
        )
    )
    register_importer(
        ResourceImporter.declare(
            "workforce_reports", SecretaryReportResource, RECORD_REVIEWS, title=gettext_lazy("述职评议")
        )
    )
