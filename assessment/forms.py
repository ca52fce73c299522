from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapMixin

from .models import Period

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Period
        fields = ["kind", "start", "end", "indicator_set"]
        widgets = {"start": DATE, "end": DATE}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            raise ValidationError({"end": _("结束日期不能早于开始日期。")})
        return cleaned
