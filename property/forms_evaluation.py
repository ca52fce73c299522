"""The evaluation's forms: choices narrowed to the user's scope (core.forms); a score sheet's items
come from the evaluation's scheme and are checked by the same rules as the API (property/evaluation.py)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapMixin, ScopedModelForm
from core.guard import CHANGE
from orgs.scoping import Action

from . import evaluation as rules
from .models_evaluation import CompanyCase, EvaluationScheme, Inspection, PropertyEvaluation, SchemeItem, ScorerKind
from .permissions_evaluation import SCORE

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PropertyEvaluationForm(ScopedModelForm):
    """A company in a compound of the user's community for a year: the scheme is the year's; a
    company that does not serve the compound is refused (the model's rule)."""

    choice_actions = {"compound": SCORE, "company": Action.VIEW}

    class Meta:
        model = PropertyEvaluation
        fields = ["compound", "company", "year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["year"].initial = timezone.localdate().year
        self.fields["compound"].queryset = self.fields["compound"].queryset.select_related("community")

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            refused = self.instance.refuses(CHANGE)  # the record's own words (core/guard.py)
            if refused:
                raise ValidationError(refused)
            if self.instance.sheets.exists() and self.changed_data:
                raise ValidationError(_("已有评分表的评价不能更换企业、小区或年度；请删除评分表后再改。"))
        year = cleaned.get("year")
        if year:
            scheme = rules.scheme_for(year)
            if scheme is None:
                raise ValidationError({"year": _("没有{year}年适用的评价方案，请先由住建部门设置。").format(year=year)})
            self.instance.scheme = scheme
        return cleaned


class ScoreSheetForm(BootstrapMixin, forms.Form):
    """A scorer's sheet: its kind, who scored, and one score per item of the scheme, checked as the
    API checks them (0 to the item's maximum, one decimal)."""

    kind = forms.ChoiceField(label=_("评分主体"), choices=ScorerKind.choices)
    scorer = forms.CharField(label=_("评分人"), max_length=100, required=False, help_text=_("如：业委会主任 张某。"))

    def __init__(self, *args, evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.evaluation = evaluation
        done = set(evaluation.sheets.values_list("kind", flat=True))
        self.fields["kind"].choices = [(k, label) for k, label in ScorerKind.choices if k not in done]
        self.items = list(evaluation.scheme.items.all())
        for item in self.items:
            self.fields[f"item_{item.pk}"] = forms.CharField(
                label=_("{name}（满分 {max}）").format(name=item.name, max=item.max_score.normalize()),
                help_text=item.description,
                widget=forms.NumberInput(
                    attrs={"step": "0.1", "min": "0", "max": str(item.max_score), "class": "form-control"}
                ),
            )

    def clean(self):
        cleaned = super().clean()
        values = {str(item.pk): cleaned.get(f"item_{item.pk}") for item in self.items}
        try:
            self.scores = rules.clean_scores(self.evaluation.scheme, values)
        except ValidationError as error:
            by_name = {item.name: f"item_{item.pk}" for item in self.items}
            for key, messages in error.message_dict.items():
                field = by_name.get(key)
                for message in messages:
                    if field and field not in self.errors:
                        self.add_error(field, message)
                    elif not field:
                        self.add_error(None, message)
        return cleaned


class EvaluationSchemeForm(ScopedModelForm):
    class Meta:
        model = EvaluationScheme
        fields = ["year", "name", "weight_party", "weight_committee", "weight_owners", "grade_a", "grade_b", "grade_c"]


class SchemeItemForm(ScopedModelForm):
    choice_actions = {"scheme": Action.VIEW}

    class Meta:
        model = SchemeItem
        fields = ["scheme", "name", "max_score", "description", "order"]


class CompanyCaseForm(ScopedModelForm):
    """Recorded by the housing department against one of its companies."""

    class Meta:
        model = CompanyCase
        fields = ["company", "compound", "kind", "mediator", "received_on", "summary", "result", "status"]
        widgets = {"received_on": DATE}

    def __init__(self, *args, **kwargs):
        from .permissions import KEEP_COMPANY

        super().__init__(*args, **kwargs)
        from .models import Compound, PropertyCompany

        companies = PropertyCompany.objects.scoped(self.user, KEEP_COMPANY)
        self.fields["company"].queryset = companies
        self.fields["compound"].queryset = Compound.objects.filter(company__in=companies.values("pk"))


class InspectionResultForm(ScopedModelForm):
    """The result of a drawn inspection (the draw itself is not edited)."""

    class Meta:
        model = Inspection
        fields = ["inspected_on", "conclusion", "result"]
        widgets = {"inspected_on": DATE}


class DrawForm(BootstrapMixin, forms.Form):
    department = forms.ModelChoiceField(label=_("检查部门"), queryset=None, empty_label=None)

    def __init__(self, *args, user, **kwargs):
        from orgs.models import Department

        from .permissions import housing_departments

        super().__init__(*args, **kwargs)
        departments = Department.objects.all()
        if not user.is_superuser:
            departments = departments.filter(pk__in=housing_departments(user))
        self.fields["department"].queryset = departments
