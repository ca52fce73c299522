"""吹哨报到's forms: a whistle (its place typed by code within the street, departments of the
street's district or city, a deadline not past), and the steps' forms — 办结 with its report and
evidence, 核验评分 with quality and satisfaction."""

from django import forms
from django.forms import FileInput
from django.utils.translation import gettext_lazy as _

from core import files
from core.forms import BootstrapMixin, ScopedModelForm
from orgs.choices import AreaLevel
from orgs.models import Department
from orgs.scoping import user_scopes

from . import whistles
from .models_whistles import Whistle, WhistleType
from .permissions import BLOW_WHISTLE

SCORES = [(n, str(n)) for n in range(5, 0, -1)]


class WhistleForm(ScopedModelForm):
    """吹哨: a place of the street (by code), a type, the problem, a deadline and the departments
    called; a type with a linked record (物业纠纷 → a compound) asks which one. A whistle blown keeps
    its place, type and departments: only its wording and deadline change."""

    action = BLOW_WHISTLE
    typed_keys = {"area": "code"}

    departments = forms.ModelMultipleChoiceField(
        label=_("报到部门"),
        queryset=Department.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("本区或本市的职能部门，可多选。"),
    )
    subject = forms.ModelChoiceField(
        label=_("关联小区"),
        queryset=WhistleType.objects.none(),
        required=False,
        help_text=_("“物业纠纷”等须关联对象的类型必选。"),
    )

    class Meta:
        model = Whistle
        fields = ["area", "kind", "title", "description", "deadline"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "deadline": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].help_text = _("填写街道内社区、网格或楼栋的区划代码。")
        if self.instance.pk:  # blown: its place, type and departments stay
            for name in ("area", "kind", "departments", "subject"):
                del self.fields[name]
            return
        self.fields["kind"].queryset = WhistleType.objects.filter(active=True)
        codes = [scope.code for scope in user_scopes(self.user, BLOW_WHISTLE)]
        prefixes = {code[:n] for code in codes for n in range(2, len(code) + 1)}
        self.fields["departments"].queryset = Department.objects.filter(
            area__code__in=prefixes, area__level__in=(AreaLevel.CITY, AreaLevel.DISTRICT)
        ).select_related("kind")
        if self.user.is_superuser:
            self.fields["departments"].queryset = Department.objects.select_related("kind")
        linked = WhistleType.objects.filter(active=True).exclude(subject_model="").first()
        subjects = whistles.subject_choices(linked, self.user)
        if subjects is None:
            del self.fields["subject"]
        else:
            self.fields["subject"].queryset = subjects
            self.fields["subject"].help_text = _("“{kind}”必选。").format(kind=linked)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            if cleaned.get("deadline") and cleaned["deadline"] != self.instance.deadline:
                for field, message in whistles.blow_errors(self.user, None, cleaned["deadline"], None).items():
                    self.add_error(field, message)
            return cleaned
        errors = whistles.blow_errors(
            self.user, cleaned.get("area"), cleaned.get("deadline"), list(cleaned.get("departments") or [])
        )
        if "departments" not in cleaned and "departments" in errors:
            errors.pop("departments")  # the field's own error says it
        kind = cleaned.get("kind")
        if kind is not None and kind.subject_model and not cleaned.get("subject"):
            errors["subject"] = _("“{kind}”须选择关联的对象。").format(kind=kind)
        for field, message in errors.items():
            self.add_error(field if field in self.fields else None, message)
        return cleaned

    def save(self, commit=True):
        if self.instance.pk:
            return super().save(commit=commit)
        kind = self.cleaned_data["kind"]
        subject = self.cleaned_data.get("subject") if kind.subject_model else None
        return whistles.blow(self.instance, list(self.cleaned_data["departments"]), self.user, subject=subject)


class CloseForm(BootstrapMixin, forms.Form):
    """办结: what was done, and the evidence (checked as every upload is)."""

    report = forms.CharField(label=_("处置情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.FileField(
        label=_("办结材料"),
        required=False,
        help_text=_("现场照片、处置记录等，PDF、图片或 Word/Excel，不超过 10 MB。"),
        widget=FileInput(attrs={"accept": files.accept_attribute()}),
    )

    def __init__(self, *args, response, **kwargs):
        super().__init__(*args, **kwargs)
        self.response = response

    def clean(self):
        cleaned = super().clean()
        if "report" in self.errors:
            return cleaned
        errors = whistles.close_errors(cleaned.get("report"), cleaned.get("evidence"), bool(self.response.evidence))
        for field, message in errors.items():
            self.add_error(field, message)
        return cleaned


class VerifyForm(BootstrapMixin, forms.Form):
    """核验评分: 1–5 for quality and satisfaction; on time is computed (closed by the deadline)."""

    quality = forms.TypedChoiceField(label=_("办理质量"), choices=SCORES, coerce=int)
    satisfaction = forms.TypedChoiceField(label=_("满意度"), choices=SCORES, coerce=int)
