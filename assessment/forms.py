from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import files
from core.forms import BootstrapMixin
from core.registry import registry

from .choices import MEAN, Rule
from .models import Indicator, IndicatorSet, Period, valid_thresholds

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


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


class EntryForm(BootstrapMixin, forms.Form):
    """An entered leaf's value for one area: numerator of denominator, a note, and a file of
    evidence (more can be added after saving)."""

    numerator = forms.IntegerField(min_value=0, max_value=1_000_000)
    denominator = forms.IntegerField(min_value=1, max_value=1_000_000)
    note = forms.CharField(label=_("说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(
        label=_("佐证材料"),
        required=False,
        help_text=_("PDF、图片或 Word/Excel 文档，单个不超过 10 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": files.accept_attribute()}),
    )

    def __init__(self, *args, leaf, has_evidence=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["numerator"].label = leaf.numerator_label
        self.fields["denominator"].label = leaf.denominator_label
        # A leaf that asks for evidence: the first value is saved only with a file; once one is
        # uploaded, a correction needs no second.
        self.evidence_needed = leaf.evidence_required and not has_evidence
        if self.evidence_needed:
            self.fields["evidence"].required = True
            self.fields["evidence"].error_messages["required"] = _("本指标须上传佐证材料，请选择文件后再保存。")
            self.fields["evidence"].help_text = _(
                "本指标须上传佐证材料。PDF、图片或 Word/Excel 文档，单个不超过 10 MB。"
            )

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        return files.check_upload(upload, max_bytes=EVIDENCE_MAX_BYTES) if upload else None

    def clean(self):
        cleaned = super().clean()
        numerator, denominator = cleaned.get("numerator"), cleaned.get("denominator")
        if numerator is not None and denominator and numerator > denominator:
            raise ValidationError(
                {"numerator": _("不能大于“%(label)s”。") % {"label": self.fields["denominator"].label}}
            )
        return cleaned


class ReturnForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("退回原因"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("将显示在被退回单位的填报页面上。"),
    )


class SetCopyForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("新指标体系名称"), max_length=100)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if IndicatorSet.objects.filter(name=name).exists():
            raise ValidationError(_("已有同名的指标体系。"))
        return name


def aggregation_choices():
    return [(MEAN, _("下级得分简单平均")), *((w.key, w.label) for w in registry.area_weights.values())]


class IndicatorSetForm(BootstrapMixin, forms.ModelForm):
    aggregation = forms.ChoiceField(label=_("上级得分"), choices=aggregation_choices)

    class Meta:
        model = IndicatorSet
        fields = ["name", "aggregation", "last_places", "last_share"]


class ThresholdsField(forms.CharField):
    """分档 as the department writes it: one band a line, "值下限 得分" (e.g. "0.9 100")."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(f"{bound} {earned}" for bound, earned in value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if isinstance(text, list):
            return text
        if not text.strip():
            return []
        bands = []
        for line in text.strip().splitlines():
            parts = line.replace("，", " ").replace(",", " ").split()
            if len(parts) != 2:
                raise ValidationError(_("每行写一档：值下限 得分，例如“0.9 100”。"))
            try:
                bands.append([float(parts[0]), float(parts[1])])
            except ValueError:
                raise ValidationError(_("每行写一档：值下限 得分，例如“0.9 100”。")) from None
        if not valid_thresholds(bands):
            raise ValidationError(_("值下限在 0 到 1 之间，得分在 0 到 100 之间。"))
        return sorted(bands, key=lambda band: -band[0])


class LeafForm(BootstrapMixin, forms.ModelForm):
    thresholds = ThresholdsField(
        label=_("分档"), required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=_("每行：值下限 得分")
    )

    class Meta:
        model = Indicator
        fields = ["weight", "rule", "floor", "target", "thresholds", "evidence_required"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.entered:  # a computed leaf's records are in the portal: no evidence asked
            del self.fields["evidence_required"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("rule") == Rule.THRESHOLDS and not cleaned.get("thresholds"):
            raise ValidationError({"thresholds": _("按分档计分须填写分档。")})
        return cleaned
