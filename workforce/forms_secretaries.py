"""书记项目、述职评议与街路巷的 forms: every choice narrowed to the user's scope (ScopedModelForm);
evidence checked as every upload is (core.files); the rules said on the models (a milestone before
its project, votes that do not sum) hold here through the models' clean(), and the to-many rules
(projects of the report's own area, the areas along a road within its street) are said once in
models_secretaries and asked here, by the API and by the import."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core import files
from core.forms import ScopedModelForm
from core.widgets import FileInput

from .models_secretaries import (
    Road,
    SecretaryMilestone,
    SecretaryProject,
    SecretaryProjectStatus,
    SecretaryReport,
    along_errors,
    projects_of_other_area,
)
from .permissions import KEEP_ROADS, KEEP_SECRETARY_PROJECTS, READ_ROADS, READ_SECRETARY_PROJECTS, RECORD_REVIEWS

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
EVIDENCE_HELP = _("PDF、图片或 Word/Excel 文档，不超过 10 MB。")


def check_evidence(upload):
    if upload and hasattr(upload, "size"):
        files.check_upload(upload)
    return upload


class EvidenceMixin:
    def setup_evidence(self):
        self.fields["evidence"].widget = FileInput(attrs={"accept": files.accept_attribute()})
        self.fields["evidence"].help_text = EVIDENCE_HELP

    def clean_evidence(self):
        return check_evidence(self.cleaned_data.get("evidence"))


class SecretaryProjectForm(EvidenceMixin, ScopedModelForm):
    action = KEEP_SECRETARY_PROJECTS

    class Meta:
        model = SecretaryProject
        fields = ["area", "secretary", "year", "title", "goal", "started_on", "ends_on", "evidence"]
        widgets = {"started_on": DATE, "ends_on": DATE, "goal": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_evidence()


class SecretaryMilestoneForm(EvidenceMixin, ScopedModelForm):
    action = KEEP_SECRETARY_PROJECTS

    class Meta:
        model = SecretaryMilestone
        fields = ["project", "title", "due_on", "done_on", "note", "evidence"]
        widgets = {"due_on": DATE, "done_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_evidence()
        field = self.fields["project"]
        field.queryset = field.queryset.filter(status=SecretaryProjectStatus.RUNNING)

    def clean_project(self):
        project = self.cleaned_data["project"]
        if self.instance.pk and self.instance.project_id != project.pk:
            raise forms.ValidationError(_("节点不能移到另一个书记项目。"))
        return project


class SecretaryReportForm(ScopedModelForm):
    action = RECORD_REVIEWS
    choice_actions = {"projects": READ_SECRETARY_PROJECTS}

    class Meta:
        model = SecretaryReport
        fields = [
            "area",
            "year",
            "secretary",
            "reported_on",
            "summary",
            "projects",
            "voters",
            "good",
            "fairly_good",
            "fair",
            "poor",
        ]
        widgets = {"reported_on": DATE, "summary": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        refusal = projects_of_other_area(cleaned.get("area"), cleaned.get("projects") or ())
        if refusal:
            self.add_error("projects", refusal)
        return cleaned


class RoadForm(ScopedModelForm):
    action = KEEP_ROADS
    choice_actions = {"along": READ_ROADS}
    typed_keys = {"along": "code"}

    class Meta:
        model = Road
        fields = [
            "area",
            "name",
            "kind",
            "chief_name",
            "chief_phone",
            "chief_id_number",
            "chief_since",
            "along",
            "note",
        ]
        widgets = {"chief_since": DATE}

    def clean(self):
        cleaned = super().clean()
        refusal = along_errors(cleaned.get("area"), cleaned.get("along") or ())
        if refusal:
            self.add_error("along", refusal)
        return cleaned
