"""社区工作者's forms: every choice narrowed to the user's scope (ScopedModelForm); the office typed by
its code; the post category offered from the ladders configured (a category or grade outside the
worker's city's ladder is refused by the model's clean, in Chinese, as in the API and the import)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ScopedModelForm
from orgs.choices import AreaLevel

from .models_workers import (
    DEFAULT_LADDERS,
    Certificate,
    TrainingRecord,
    Worker,
    WorkerChange,
    WorkerRating,
)
from .permissions import KEEP_WORKERS

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def category_choices():
    """Every category of the configured ladders (the default's first), labelled as its ladder says."""
    from django.conf import settings

    ladders = getattr(settings, "WORKFORCE_LADDERS", None) or DEFAULT_LADDERS
    seen = {}
    for key in ["default", *sorted(k for k in ladders if k != "default")]:
        for category, entry in ladders.get(key, {}).get("categories", {}).items():
            seen.setdefault(category, f"{entry['label']}（{ladders[key]['name']}）")
    return list(seen.items())


class CategoryMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"] = forms.ChoiceField(
            label=self.fields["category"].label, choices=category_choices(), help_text=_("本市岗位等级序列中的岗。")
        )


class WorkerForm(CategoryMixin, ScopedModelForm):
    action = KEEP_WORKERS
    typed_keys = {"area": "code"}

    class Meta:
        model = Worker
        fields = [
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
            "note",
        ]
        widgets = {"birth_date": DATE, "hired_on": DATE, "left_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        levels = (AreaLevel.STREET, AreaLevel.COMMUNITY)
        self.fields["area"].queryset = self.fields["area"].queryset.filter(level__in=levels)
        self.fields["area"].help_text = _("所在社区（村）或街道的代码。")
        if self.instance.pk:
            # A promotion or change of post is recorded as a change (its date and reason), not typed here.
            for name in ("post", "category", "grade"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("岗位和等级的变动请在本人页面“记录变动”。")


class WorkerChangeForm(CategoryMixin, ScopedModelForm):
    action = KEEP_WORKERS

    class Meta:
        model = WorkerChange
        fields = ["worker", "changed_on", "kind", "post", "category", "grade", "reason"]
        widgets = {"changed_on": DATE}


class TrainingRecordForm(ScopedModelForm):
    action = KEEP_WORKERS

    class Meta:
        model = TrainingRecord
        fields = ["worker", "trained_on", "hours", "subject"]
        widgets = {"trained_on": DATE}


class CertificateForm(ScopedModelForm):
    action = KEEP_WORKERS

    class Meta:
        model = Certificate
        fields = ["worker", "level", "number", "obtained_on", "expires_on"]
        widgets = {"obtained_on": DATE, "expires_on": DATE}


class WorkerRatingForm(ScopedModelForm):
    action = KEEP_WORKERS

    class Meta:
        model = WorkerRating
        fields = ["worker", "year", "rating", "note"]
