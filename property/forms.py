"""The forms of the property pages: every choice narrowed to the user's scope (core.forms)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import files
from core.calendar import Quarter
from core.forms import BootstrapMixin, ScopedModelForm
from core.widgets import FileInput
from orgs.choices import AreaLevel
from orgs.models import Area
from orgs.scoping import Action, user_scopes

from .choices import ManagementMode
from .models import (
    Checklist,
    CommitteeMember,
    Compound,
    Consultation,
    LedgerEntry,
    OwnersCommittee,
    PropertyCompany,
    coverage_error,
)
from .permissions import CHANGE_PROPERTY, ENGAGE_COMPANY, housing_departments

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PropertyCompanyForm(ScopedModelForm):
    """The register, kept by its housing department: the department is one the user serves in."""

    choice_actions = {"department": Action.VIEW}  # then narrowed to the user's own housing departments

    class Meta:
        model = PropertyCompany
        fields = list(PropertyCompany.KEPT_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        department = self.fields["department"]
        if not self.user.is_superuser:
            department.queryset = department.queryset.filter(pk__in=housing_departments(self.user))
        if not self.instance.pk and department.queryset.count() == 1:
            department.initial = department.queryset.first().pk


class CompanyPartyForm(ScopedModelForm):
    """A company's party links (双向进入、交叉任职), recorded by a street or community it serves:
    chosen among the organisations and members the user may see."""

    choice_actions = dict.fromkeys(PropertyCompany.PARTY_FIELDS, Action.VIEW)

    class Meta:
        model = PropertyCompany
        fields = list(PropertyCompany.PARTY_FIELDS)


class CompoundForm(ScopedModelForm):
    """The community and the grids and buildings it covers typed by code (a city has too many to
    list); the company among those registered for the user's district or already serving there."""

    typed_keys = {"community": "code", "areas": "code"}
    choice_actions = {"company": ENGAGE_COMPANY}

    class Meta:
        model = Compound
        fields = list(Compound.KEPT_FIELDS)
        widgets = {"contract_start": DATE, "contract_end": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and not self.initial.get("community"):
            # A community cadre adds its own community's compounds: its code is filled in already.
            scopes = user_scopes(self.user, CHANGE_PROPERTY)
            if len(scopes) == 1 and Area.objects.filter(code=scopes[0].code, level=AreaLevel.COMMUNITY).exists():
                self.initial["community"] = scopes[0].code

    def clean(self):
        cleaned = super().clean()
        message = coverage_error(cleaned.get("community"), cleaned.get("areas") or ())
        if message:
            self.add_error("areas", message)
        return cleaned


class ChecklistForm(ScopedModelForm):
    class Meta:
        model = Checklist
        fields = ["compound", "quarter", "greening", "repairs", "parking", "security", "cleaning", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["quarter"].initial = Quarter.current().key


class OwnersCommitteeForm(ScopedModelForm):
    class Meta:
        model = OwnersCommittee
        fields = ["compound", "name", "term_start", "term_end", "note"]
        widgets = {"term_start": DATE, "term_end": DATE}


class CommitteeMemberForm(ScopedModelForm):
    class Meta:
        model = CommitteeMember
        fields = ["committee", "name", "role", "is_party_member"]


class ConsultationForm(ScopedModelForm):
    class Meta:
        model = Consultation
        fields = ["compound", "held_on", "topic", "participants", "decision", "follow_up"]
        widgets = {
            "held_on": DATE,
            "participants": forms.Textarea(attrs={"rows": 2}),
            "decision": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 3}),
        }


class LedgerEntryForm(ScopedModelForm):
    """The responsible cadre, the plan, the deadline and the evidence of 销号 (checked as every
    upload is: core.files). Its state changes only by its declared steps (property/ledger.py)."""

    class Meta:
        model = LedgerEntry
        fields = ["compound", "responsible", "plan", "deadline", "evidence"]
        widgets = {"deadline": DATE, "plan": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].widget = FileInput(attrs={"accept": files.accept_attribute()})
        self.fields["evidence"].help_text = _("物业服务合同、代管协议等，PDF、图片或 Word/Excel，不超过 10 MB。")
        if self.instance.pk:
            self.fields["compound"].disabled = True  # an entry stays with its compound

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload and hasattr(upload, "content_type"):  # a new file (not the one on record)
            try:
                files.check_upload(upload)
            except ValidationError as error:
                raise ValidationError(error.messages) from None
        return upload

    def save(self, commit=True):
        upload = self.cleaned_data.get("evidence")
        if upload and hasattr(upload, "content_type"):
            self.instance.evidence_name = upload.name[:200]
        elif not upload:
            self.instance.evidence_name = ""
        return super().save(commit)


class LedgerCloseForm(BootstrapMixin, forms.Form):
    """销号 in one step (property/ledger.py close_with): the compound's new mode — not 无物业 — a
    company when the mode needs one (among those the user may name), and the evidence."""

    mode = forms.ChoiceField(
        label=_("新的管理模式"),
        choices=[(value, label) for value, label in ManagementMode.choices if value != ManagementMode.NONE],
    )
    company = forms.ModelChoiceField(
        label=_("物业企业"),
        queryset=PropertyCompany.objects.none(),
        required=False,
        help_text=_("专业物业必选，国企兜管可选，其他模式不选。"),
    )
    evidence = forms.FileField(
        label=_("销号材料"),
        required=False,
        help_text=_("物业服务合同、代管协议等，PDF、图片或 Word/Excel，不超过 10 MB。"),
        widget=FileInput(attrs={"accept": files.accept_attribute()}),
    )

    def __init__(self, *args, user, entry, **kwargs):
        super().__init__(*args, **kwargs)
        from .ledger import companies_to_name

        self.user, self.entry = user, entry
        if entry.evidence:
            self.fields["evidence"].help_text = _("已上传“{name}”，可不再上传；上传新文件则替换它。").format(
                name=entry.evidence_name or entry.evidence.name.rsplit("/", 1)[-1]
            )
        self.fields["company"].queryset = companies_to_name(user).order_by("name")

    def clean(self):
        from .ledger import close_errors

        cleaned = super().clean()
        if self.errors:
            return cleaned
        for name, message in close_errors(
            self.user, cleaned.get("mode"), cleaned.get("company"), cleaned.get("evidence"), bool(self.entry.evidence)
        ).items():
            self.add_error(name, message)
        return cleaned
