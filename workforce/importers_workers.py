"""The workers' spreadsheet a street keeps, on the kit's flow (core.resources: upload → preview with
Excel row numbers and Chinese reasons → confirm → job → report). Headers are the workers' table's
(社区代码, 姓名, 身份证号, 岗位, 岗位类别, 等级, 入职日期, 兼职 …): a worker is found by 社区代码 and
身份证号 among the user's (a re-import updates them); the post, gender and education by their Chinese
labels; the category by its label on the city's ladder (正职, 副职 …). A grade outside the city's
ladder, a full-time worker already in post in another community, a bad ID number: the row is refused
with the model's reason, as the form and the API refuse it."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import widgets
from import_export.fields import Field

from core.choices import Gender
from core.importing import register as register_importer
from core.resources import ChoiceLabelWidget, ResourceImporter, ScopedForeignKeyWidget, ScopedResource
from orgs.models import Area
from party.choices import Education

from .models_workers import Worker, WorkerPost, category_label
from .permissions import KEEP_WORKERS
from .tables_workers import WorkerTable

YES, NO = {"是", "兼职", "y", "yes", "1", "true"}, {"", "否", "专职", "n", "no", "0", "false"}


class YesNoWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip().lower()
        if text in YES:
            return True
        if text in NO:
            return False
        raise ValueError(_("“{value}”应填“是”或“否”。").format(value=value))

    def render(self, value, obj=None, **kwargs):
        return _("是") if value else _("否")


class CategoryWidget(widgets.Widget):
    """岗位类别 as the sheet writes it (the ladder's label); the model's clean finds its key."""

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            raise ValueError(_("请填写岗位类别。"))
        return text

    def render(self, value, obj=None, **kwargs):
        return category_label(obj.area.code, value) if obj is not None and obj.area_id else value


class GradeWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        try:
            grade = super().clean(value, row, **kwargs)
        except (ValueError, ArithmeticError):
            raise ValueError(_("等级“{value}”应为 1–18 的整数。").format(value=value)) from None
        if grade is None:
            raise ValueError(_("请填写等级。"))
        return grade


class WorkerResource(ScopedResource):
    area = Field(attribute="area", widget=ScopedForeignKeyWidget(Area, "code", action=KEEP_WORKERS))
    gender = Field(attribute="gender", widget=ChoiceLabelWidget(Gender.choices))
    education = Field(attribute="education", widget=ChoiceLabelWidget(Education.choices))
    post = Field(attribute="post", widget=ChoiceLabelWidget(WorkerPost.choices))
    category = Field(attribute="category", widget=CategoryWidget())
    grade = Field(attribute="grade", widget=GradeWidget())
    birth_date = Field(attribute="birth_date", widget=widgets.DateWidget())
    hired_on = Field(attribute="hired_on", widget=widgets.DateWidget())
    left_on = Field(attribute="left_on", widget=widgets.DateWidget())
    part_time = Field(attribute="part_time", widget=YesNoWidget())

    class Meta:
        model = Worker
        table = WorkerTable
        fields = (
            "area",
            "name",
            "gender",
            "birth_date",
            "id_number",
            "phone",
            "education",
            "post",
            "category",
            "grade",
            "hired_on",
            "left_on",
            "part_time",
        )
        import_id_fields = ("area", "id_number")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, user=None, action=None, **kwargs):
        super().__init__(user, action, **kwargs)
        self.fields = {name: self.fields[name] for name in self._meta.fields}


def register():
    register_importer(
        ResourceImporter.declare("workforce_workers", WorkerResource, KEEP_WORKERS, title=gettext_lazy("社区工作者"))
    )
