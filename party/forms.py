"""The forms of the party pages: every choice narrowed to the user's scope (core.forms)."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import files
from core.forms import ScopedModelForm
from core.widgets import FileInput
from orgs.places import AreaPicker, check_picked
from orgs.scoping import Action

from .choices import AbsenceReason, MeetingKind
from .models import (
    MEMBER_FIELDS,
    RESIDENCE_LEVELS,
    InServiceMember,
    Meeting,
    MeetingPhoto,
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
    choice_actions = {
        "parent": Action.VIEW,
        "covered_areas": Action.VIEW,
        "secretary": Action.VIEW,
        "committee": Action.VIEW,
    }

    class Meta:
        model = PartyOrganisation
        fields = [
            "name",
            "kind",
            "area",
            "parent",
            "covered_areas",
            "secretary",
            "committee",
            "founded_on",
            "term_started_on",
            "next_election_on",
            "note",
        ]
        widgets = {
            "founded_on": DATE,
            "term_started_on": DATE,
            "next_election_on": DATE,
            "committee": forms.CheckboxSelectMultiple(attrs={"class": "check-list"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # the secretary and the committee are of the organisation's members
            for name in ("secretary", "committee"):
                self.fields[name].queryset = self.fields[name].queryset.filter(organisation=self.instance)
            self.fields["secretary"].label = self.instance.field_label("secretary")  # a party group's 组长
        else:  # a new organisation has no members yet: they are chosen when it has
            del self.fields["secretary"]
            del self.fields["committee"]


class PartyMemberForm(ScopedModelForm):
    """ID numbers and phones are cleaned by their model fields (core.fields), as the API and the
    import clean them."""

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
        number = self.cleaned_data.get("id_number", "")
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


class AttendanceWidget(forms.CheckboxSelectMultiple):
    """出席 ticked for each member expected, a reason for each left unticked, and 全选 (select
    all): one row a member, usable on a phone."""

    reasons = {}  # member id → the reason recorded or typed
    help = ""  # who is expected, said inside the part that reloads

    def render(self, name, value, attrs=None, renderer=None):
        from django.template.loader import render_to_string

        chosen = {str(v) for v in (value or [])}
        rows = []
        for index, (option_value, label) in enumerate(self.choices):
            key = str(getattr(option_value, "value", option_value))
            if not key:
                continue
            rows.append(
                {
                    "id": f"{(attrs or {}).get('id', 'id_' + name)}_{index}",
                    "value": key,
                    "label": label,
                    "checked": key in chosen,
                    "reason": self.reasons.get(key, ""),
                }
            )
        return render_to_string(
            "party/attendance_widget.html",
            {"name": name, "rows": rows, "reason_choices": AbsenceReason.choices, "help": self.help},
        )


class MultiplePhotosInput(FileInput):
    allow_multiple_selected = True


MAX_PHOTOS = 9


class PhotosField(forms.FileField):
    """Several photos in one input, each checked as every upload is (core.files: an image by its
    name and its content, at most 10 MB)."""

    def clean(self, data, initial=None):
        uploads = [upload for upload in (data if isinstance(data, (list, tuple)) else [data]) if upload]
        if len(uploads) > MAX_PHOTOS:
            raise ValidationError(_("一次最多上传 {n} 张照片。").format(n=MAX_PHOTOS))
        return [files.check_upload(super(PhotosField, self).clean(upload), kinds=(files.IMAGE,)) for upload in uploads]


class MeetingForm(ScopedModelForm):
    """A meeting recorded in a few minutes on a phone: organisation, kind, date, place, who chaired
    and who took the minutes; who came is ticked from those expected that day (the organisation's
    members of the day, the committee for a 支委会), with a reason for each absent; photos."""

    photos = PhotosField(
        label=_("会议照片"),
        required=False,
        widget=MultiplePhotosInput(attrs={"accept": files.accept_attribute((files.IMAGE,))}),
        help_text=_("可一次选择多张 JPG/PNG 照片，每张不超过 10 MB，最多 9 张。"),
    )

    class Meta:
        model = Meeting
        fields = ["organisation", "kind", "held_on", "place", "host", "recorder", "topic", "attendees", "minutes"]
        widgets = {
            "held_on": DATE,
            "attendees": AttendanceWidget,
            "minutes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = self.chosen_organisation()
        attendees = self.fields["attendees"]
        expected = self.expected_members()
        attendees.queryset = expected.order_by("name", "pk") if expected is not None else PartyMember.objects.none()
        attendees.label = _("出席情况")
        attendees.widget.help = self.attendance_help()
        attendees.widget.reasons = self.reasons_given()
        self.suggest_places()
        for name in ("place", "host", "recorder"):
            self.fields[name].widget.attrs.setdefault("maxlength", self.fields[name].max_length)
        self.fields["host"].widget.attrs["placeholder"] = _("如：支部书记 张三")
        # Choosing the organisation, the kind or the day reloads those expected (and only them:
        # what is typed meanwhile elsewhere in the form stays). While the list reloads it cannot
        # be ticked: a tick given then would be lost when the new list replaces it.
        for name in ("organisation", "kind", "held_on"):
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": ".",
                    "hx-trigger": "change",
                    "hx-include": "closest form",
                    "hx-target": "#attendance",
                    "hx-select": "#attendance",
                    "hx-swap": "outerHTML",
                    "hx-disabled-elt": "#attendance input, #attendance select, #attendance button",
                }
            )

    def suggest_places(self):
        """The place offers the names of the places registered for the organisation's area (the
        service venues at or above it, core.registry.places_for): a meeting whose place is a
        venue's name counts as held there, so it should be typed as the venue is named."""
        from core.registry import registry
        from core.widgets import SuggestingTextInput

        area = self.organisation.area if self.organisation is not None else None
        suggestions = registry.places_for(self.user, area)
        if suggestions:
            field = self.fields["place"]
            field.widget = SuggestingTextInput(suggestions, attrs={**field.widget.attrs, "autocomplete": "off"})
            field.help_text = _("可从列表中选择党群服务阵地的名称，会议即计入该阵地的活动。")

    def chosen_organisation(self):
        chosen = self.data.get("organisation") or self.initial.get("organisation") or self.instance.organisation_id
        # Only an organisation the user may record for offers its members (never one asked for by id).
        choices = self.fields["organisation"].queryset
        return choices.filter(pk=chosen).first() if str(chosen or "").isdigit() else None

    def chosen(self, name):
        """The kind or the day as typed (or as recorded), before validation."""
        field = self.fields[name]
        raw = self.data.get(name) if name in self.data else self.initial.get(name, getattr(self.instance, name))
        try:
            return field.clean(raw)
        except ValidationError:
            return getattr(self.instance, name, None) or (timezone.localdate() if name == "held_on" else None)

    def expected_members(self):
        if self.organisation is None:
            return None
        meeting = Meeting(
            organisation=self.organisation,
            kind=self.chosen("kind") or "",
            held_on=self.chosen("held_on") or timezone.localdate(),
        )
        expected = meeting.expected_members()
        if self.instance.pk:  # those recorded stay on the list
            recorded = list(self.instance.attendees.values_list("pk", flat=True))
            recorded += list(self.instance.absences.values_list("member_id", flat=True))
            expected = PartyMember.objects.filter(Q(pk__in=expected.values("pk")) | Q(pk__in=recorded))
        return expected

    def attendance_help(self):
        if self.organisation is None:
            return _("先选择党组织，再勾选出席的党员。")
        if self.chosen("kind") == MeetingKind.COMMITTEE_MEETING:
            if self.organisation.committee.exists():
                return _("支委会的应到人员是支委会成员。勾选出席的成员，未出席的请选择缺席原因。")
            return _("该党组织尚未登记支委会成员，暂列出全部党员；请在党组织的编辑页登记支委会成员。")
        return _("应到人员为会议当日该组织的党员。勾选出席的党员，未出席的请选择缺席原因。")

    def reasons_given(self):
        valid = set(AbsenceReason.values)
        if self.is_bound:
            return {
                key[len("reason_") :]: value
                for key, value in self.data.items()
                if key.startswith("reason_") and value in valid
            }
        if self.instance.pk:
            return {str(a.member_id): a.reason for a in self.instance.absences.all()}
        return {}

    def save(self, commit=True):
        meeting = super().save(commit=False)
        if commit:
            reasons = {int(k): v for k, v in self.reasons_given().items() if k.isdigit()}
            meeting.take_attendance(self.cleaned_data.get("attendees") or [], reasons)
            for upload in self.cleaned_data.get("photos") or []:
                MeetingPhoto.objects.create(meeting=meeting, file=upload, name=upload.name[:200], uploaded_by=self.user)
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


class InServiceMemberForm(ScopedModelForm):
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
