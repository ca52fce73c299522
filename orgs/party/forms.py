"""The forms of the party pages: every choice narrowed to the user's scope (core.forms)."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import identity
from core.forms import ScopedModelForm

from ..places import AreaPicker, check_picked
from ..scoping import Action
from .models import (
    MEMBER_FIELDS,
    RESIDENCE_LEVELS,
    InServiceMember,
    Meeting,
    PartyMember,
    PartyOrganisation,
    ReportingUnit,
    ServiceRecord,
    UnitRegistration,
    member_on_record,
    registered_message,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PartyOrganisationForm(ScopedModelForm):
    typed_keys = {"area": "code", "covered_areas": "code"}
    # The parent, the areas an alliance links and the secretary may lie beyond what the user keeps.
    choice_actions = {"parent": Action.VIEW, "covered_areas": Action.VIEW, "secretary": Action.VIEW}

    class Meta:
        model = PartyOrganisation
        fields = [
            "name",
            "kind",
            "area",
            "parent",
            "covered_areas",
            "secretary",
            "founded_on",
            "term_started_on",
            "next_election_on",
            "note",
        ]
        widgets = {"founded_on": DATE, "term_started_on": DATE, "next_election_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # the secretary is one of the organisation's members
            self.fields["secretary"].queryset = self.fields["secretary"].queryset.filter(organisation=self.instance)
            self.fields["secretary"].label = self.instance.field_label("secretary")  # a party group's 组长
        else:  # a new organisation has no members yet: its secretary is chosen when it has
            del self.fields["secretary"]


class IdentityMixin:
    """ID numbers and phones cleaned as every app cleans them (core.identity): spaces dropped,
    x upper-cased, +86 removed; the form, the API and the import give the same answers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("id_number", "phone"):  # as typed, spaces and all: the length is checked once cleaned
            field = self.fields[name]
            field.max_length = None
            field.widget.attrs.pop("maxlength", None)
            field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]

    def clean_id_number(self):
        return cleaned(identity.id_number, self.cleaned_data.get("id_number", ""))

    def clean_phone(self):
        return cleaned(identity.phone, self.cleaned_data.get("phone", ""))


def cleaned(function, value):
    try:
        return function(value)
    except ValueError as error:
        raise ValidationError(str(error)) from None


class PartyMemberForm(IdentityMixin, ScopedModelForm):
    typed_keys = {"residence": "code"}
    choice_actions = {"residence": Action.VIEW}

    class Meta:
        model = PartyMember
        fields = list(MEMBER_FIELDS)
        widgets = {"birth_date": DATE, "joined_on": DATE, "full_member_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The residence is picked by name as it is typed (a unit, a building or a grid), not keyed in
        # as a code: the picker puts the chosen area's code where the form reads it.
        residence = self.fields["residence"]
        residence.widget = AreaPicker(
            self.user,
            levels=RESIDENCE_LEVELS,
            action=self.choice_actions["residence"],
            placeholder=_("输入楼栋、单元名称查找，如 3栋2单元"),
            attrs={"class": "form-control"},
        )
        residence.help_text = _("可输入网格、楼栋、单元名称，从列表中点选。")

    def clean(self):
        cleaned = super().clean()
        check_picked(self, "residence")  # a name typed without a script that named no one place
        return cleaned

    def clean_id_number(self):
        number = super().clean_id_number()
        registered = member_on_record(number, self.user, self.instance.pk)
        if registered is not None:
            raise ValidationError(registered_message(registered))
        return number


class TransferForm(forms.Form):
    """组织关系转接: to another organisation the user can see."""

    to_organisation = forms.ModelChoiceField(label=_("转入党组织"), queryset=PartyOrganisation.objects.none())
    transferred_on = forms.DateField(label=_("转接日期"), initial=timezone.localdate, widget=DATE)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, user, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.fields["to_organisation"].queryset = (
            PartyOrganisation.objects.scoped(user, Action.VIEW).exclude(pk=member.organisation_id).order_by("name")
        )
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )


class MeetingForm(ScopedModelForm):
    """A meeting recorded in under a minute on a phone: organisation, kind, date and topic; who
    came is ticked from the organisation's members."""

    class Meta:
        model = Meeting
        fields = ["organisation", "kind", "held_on", "topic", "attendees", "minutes"]
        widgets = {
            "held_on": DATE,
            "attendees": forms.CheckboxSelectMultiple,
            "minutes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = self.data.get("organisation") or self.initial.get("organisation") or self.instance.organisation_id
        # Only an organisation the user may record for offers its members (never one asked for by id).
        choices = self.fields["organisation"].queryset
        organisation = choices.filter(pk=chosen).first() if str(chosen or "").isdigit() else None
        attendees = self.fields["attendees"]
        attendees.queryset = organisation.members.order_by("name") if organisation else PartyMember.objects.none()
        attendees.widget.attrs["class"] = "check-list"
        attendees.help_text = _("勾选出席的党员。") if organisation else _("先选择党组织，再勾选出席的党员。")
        # Choosing the organisation reloads the form with its members, keeping what was typed.
        self.fields["organisation"].widget.attrs.update(
            {
                "hx-get": ".",
                "hx-trigger": "change",
                "hx-include": "closest form",
                "hx-target": "#object-form",
                "hx-select": "#object-form",
                "hx-swap": "outerHTML",
            }
        )

    def clean_attendees(self):
        attendees = self.cleaned_data.get("attendees")
        organisation = self.cleaned_data.get("organisation")
        if organisation and attendees and any(m.organisation_id != organisation.pk for m in attendees):
            raise ValidationError(_("出席党员须是该党组织的党员。"))
        return attendees

    def save(self, commit=True):
        meeting = super().save(commit=False)
        if not meeting.pk or "organisation" in self.changed_data:
            meeting.expected = meeting.organisation.members.count()  # the membership of the day
        if commit:
            meeting.save()
            self.save_m2m()
        return meeting


class ReportingUnitForm(ScopedModelForm):
    typed_keys = {"area": "code"}

    class Meta:
        model = ReportingUnit
        fields = ["name", "kind", "party_organisation_name", "area", "contact_name", "contact_phone"]


class UnitRegistrationForm(ScopedModelForm):
    """A community registers a reporting unit: the agreement and what the unit brings."""

    typed_keys = {"community": "code"}
    choice_actions = {"unit": Action.VIEW}

    class Meta:
        model = UnitRegistration
        fields = ["unit", "community", "registered_on", "agreement", "resources"]
        widgets = {"registered_on": DATE, "resources": forms.Textarea(attrs={"rows": 2})}


class InServiceMemberForm(IdentityMixin, ScopedModelForm):
    typed_keys = {"community": "code", "grid": "code"}
    choice_actions = {"unit": Action.VIEW}

    class Meta:
        model = InServiceMember
        fields = ["name", "gender", "phone", "id_number", "unit", "community", "grid", "team", "reported_on"]
        widgets = {"reported_on": DATE}


class ServiceRecordForm(ScopedModelForm):
    class Meta:
        model = ServiceRecord
        fields = ["member", "served_on", "hours", "description"]
        widgets = {"served_on": DATE}
