from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapMixin
from orgs.scoping import can

from . import normalise
from .choices import POST_LEVEL, Employment, Gender, PoliticalStatus, Post
from .models import Holder
from .permissions import action_for_post


class AppointForm(BootstrapMixin, forms.Form):
    """Appoint somebody to a post of an area; the current head of that post is replaced."""

    post = forms.ChoiceField(label=_("职务"))
    employment = forms.ChoiceField(label=_("专兼职"), choices=[("", "—"), *Employment.choices], required=False)
    name = forms.CharField(label=_("姓名"), max_length=50)
    gender = forms.ChoiceField(label=_("性别"), choices=[("", "—"), *Gender.choices], required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    id_number = forms.CharField(label=_("身份证号"), max_length=18, required=False)
    political_status = forms.ChoiceField(
        label=_("政治面貌"), choices=[("", "—"), *PoliticalStatus.choices], required=False
    )
    start_date = forms.DateField(label=_("任职日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, area, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.area = area
        self.fields["post"].choices = [
            (p.value, p.label)
            for p in Post
            if POST_LEVEL[p] == area.level and (user is None or can(user, action_for_post(p), area))
        ]

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_phone(self):
        try:
            return normalise.phone(self.cleaned_data["phone"])
        except ValueError as error:
            raise ValidationError(str(error)) from None

    def clean_id_number(self):
        try:
            return normalise.id_number(self.cleaned_data["id_number"])
        except ValueError as error:
            raise ValidationError(str(error)) from None

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("phone") and not cleaned.get("id_number") and not self.errors:
            raise ValidationError(_("请至少填写联系电话或身份证号，以便识别人员。"))
        id_number = cleaned.get("id_number")
        if id_number and cleaned.get("gender") and cleaned["gender"] != normalise.gender_from_id(id_number):
            self.add_error("gender", _("性别与身份证号不符。"))
        if id_number and not cleaned.get("gender"):
            cleaned["gender"] = normalise.gender_from_id(id_number)
        return cleaned

    def holder(self):
        data = self.cleaned_data
        return Holder(data["name"], data["gender"], data["phone"], data["id_number"], data["political_status"])
