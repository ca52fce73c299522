from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import files
from core.calendar import Quarter
from core.forms import BootstrapMixin
from core.registry import registry
from core.widgets import FileInput

from .choices import MEAN, PeriodKind, Rule
from .models import Indicator, IndicatorSet, Period, period_dates, valid_thresholds

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


YEARS_BACK = 5  # periods may be opened for this year and the five before it (earlier records brought in)
PARTS = [
    (_("季度调度"), [(f"quarter-{n}", _("第{n}季度").format(n=n)) for n in range(1, 5)]),
    (_("半年评估"), [("half_year-1", _("上半年")), ("half_year-2", _("下半年"))]),
    (_("年度考核"), [("year-1", _("全年"))]),
]


class PeriodForm(BootstrapMixin, forms.ModelForm):
    """A period is chosen, not typed: a year and which quarter, half or the whole year; its dates
    follow. A period that has not begun, one already opened and one overlapping another of its kind
    are refused in words."""

    year = forms.TypedChoiceField(label=_("年份"), coerce=int)
    part = forms.ChoiceField(label=_("周期"), choices=[("", _("请选择")), *PARTS])

    class Meta:
        model = Period
        fields = ["year", "part", "indicator_set"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        years = range(today.year, today.year - YEARS_BACK - 1, -1)
        self.fields["year"].choices = [(y, _("{year}年").format(year=y)) for y in years]
        self.fields["year"].initial = today.year
        running = Quarter.current(today)
        if not Period.objects.filter(kind=PeriodKind.QUARTER, start=running.start).exists():
            self.fields["part"].initial = f"quarter-{running.number}"  # the quarter to open now
        latest = Period.objects.order_by("-start", "-pk").first()
        if latest is not None:
            self.fields["indicator_set"].initial = latest.indicator_set_id  # the set in use

    def clean(self):
        cleaned = super().clean()
        year, part = cleaned.get("year"), cleaned.get("part")
        if not (year and part):
            return cleaned
        kind, n = part.rsplit("-", 1)
        self.instance.kind = kind
        self.instance.start, self.instance.end = period_dates(kind, year, int(n))
        label, start = self.instance.label, self.instance.start
        if start > timezone.localdate():
            raise ValidationError(
                _("{label}尚未开始（{start:%Y-%m-%d} 开始），请到时再开启。").format(label=label, start=start)
            )
        same = Period.objects.filter(kind=kind, start=start).first()
        if same is not None:
            raise ValidationError(
                _("{label}已经开启（{status}），不能重复开启。").format(label=label, status=same.get_status_display())
            )
        overlapping = Period.objects.filter(kind=kind, start__lte=self.instance.end, end__gte=start).first()
        if overlapping is not None:
            raise ValidationError(
                _("与已有的考核周期“{other}”时间重叠，请先删除或关闭它。").format(other=overlapping.label)
            )
        return cleaned

    def validate_unique(self):
        """Checked in clean() with a sentence of our own: not Django's "包含 类型 和 开始日期 的…"."""


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
        widget=FileInput(attrs={"accept": files.accept_attribute()}),
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
