"""经费's forms: every choice narrowed to the user's scope (ScopedModelForm); a community typed by its
code; amounts as offices write them ("1,234.50", "12万"); an amount above the ceiling asks to be
confirmed (万元 typed as 元); the voucher checked as every upload is (core.files: PDF, JPG, PNG)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import files
from core.forms import ScopedModelForm
from core.widgets import FileInput
from orgs.choices import AreaLevel

from .models_funding import Allocation, Expenditure, FundNotice, confirm_above, parse_money, yuan
from .permissions import KEEP_ALLOCATIONS, PUBLISH_NOTICE, RECORD_EXPENDITURE

VOUCHER_KINDS = (files.PDF, files.IMAGE)
VOUCHER_MAX_BYTES = 10 * 1024 * 1024


class MoneyField(forms.CharField):
    """An amount in yuan: "1,234.50", "1234.5 元", "12万" → Decimal with two places; Chinese errors."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("单位：元，可写“1,234.50”；按万元填写请写“12万”。"))
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def prepare_value(self, value):
        return "" if value in (None, "") else str(value)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if len(value) > 30:
            raise ValidationError(_("金额“{value}”过长。").format(value=value[:30]))
        return parse_money(value)


def check_voucher(voucher):
    if voucher and hasattr(voucher, "size"):
        files.check_upload(voucher, kinds=VOUCHER_KINDS, max_bytes=VOUCHER_MAX_BYTES)
    return voucher


def large_refusal(amount):
    """The question an amount above the ceiling asks, or ""."""
    ceiling = confirm_above()
    if amount is not None and amount > ceiling:
        return _("金额 {amount} 超过 {ceiling}：请核对是否把万元当作元填写；确认无误请勾选“确认金额无误”。").format(
            amount=yuan(amount), ceiling=yuan(ceiling)
        )
    return ""


DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class ConfirmLargeMixin:
    """“确认金额无误”, shown only once an amount above the ceiling asked for it (or it was ticked)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not (self.is_bound and self.data.get("confirm_large") in ("on", "true", "True", "1")):
            self.fields["confirm_large"].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        refusal = large_refusal(cleaned.get("amount"))
        if refusal and not cleaned.get("confirm_large"):
            self.add_error("amount", refusal)
            self.fields["confirm_large"].widget = forms.CheckboxInput(attrs={"class": "form-check-input"})
        return cleaned


class AllocationForm(ConfirmLargeMixin, ScopedModelForm):
    action = KEEP_ALLOCATIONS
    typed_keys = {"area": "code"}
    amount = MoneyField(label=_("金额（元）"))
    confirm_large = forms.BooleanField(label=_("确认金额无误"), required=False)

    class Meta:
        model = Allocation
        fields = ["area", "year", "fund_type", "source", "amount", "confirm_large", "allocated_on", "note"]
        widgets = {"allocated_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = self.fields["area"].queryset.filter(level=AreaLevel.COMMUNITY)
        self.fields["area"].help_text = _("社区（村）代码。")


class ExpenditureForm(ConfirmLargeMixin, ScopedModelForm):
    action = RECORD_EXPENDITURE
    amount = MoneyField(label=_("金额（元）"))
    confirm_large = forms.BooleanField(label=_("确认金额无误"), required=False)

    class Meta:
        model = Expenditure
        fields = [
            "allocation",
            "project",
            "amount",
            "confirm_large",
            "spent_on",
            "purpose",
            "voucher_number",
            "voucher",
        ]
        widgets = {"spent_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["voucher"].widget = FileInput(attrs={"accept": files.accept_attribute(VOUCHER_KINDS)})
        self.fields["voucher"].help_text = _("发票、收据等凭证：PDF、JPG 或 PNG，不超过 10 MB。")
        self.fields["project"].help_text = _("同一社区的项目（可不选）。")

    def clean_voucher(self):
        try:
            voucher = check_voucher(self.cleaned_data.get("voucher"))
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        if voucher and hasattr(voucher, "size"):
            self.instance.voucher_name = voucher.name.rsplit("/", 1)[-1][:200]
        return voucher


class FundNoticeForm(ScopedModelForm):
    action = PUBLISH_NOTICE
    typed_keys = {"area": "code"}

    class Meta:
        model = FundNotice
        fields = ["area", "year", "title", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = self.fields["area"].queryset.filter(level=AreaLevel.COMMUNITY)
        self.fields["area"].help_text = _("社区（村）代码。")
        self.fields["note"].help_text = _("公示的补充说明，如咨询地点、监督电话（不要写居民个人信息）。")
        self.fields["title"].help_text = _("保存后在本页点“发布公示”：发布时记下当时各项目的支出和状态，之后原样留存。")
        if not self.is_bound and self.instance.pk is None:
            self.prefill()

    def prefill(self):
        """A community cadre's draft: the community, the year and the quarter's title filled in."""
        from django.utils import timezone

        from core.calendar import Quarter
        from orgs.scoping import user_scopes

        today = timezone.localdate()
        self.fields["year"].initial = self.initial.get("year") or today.year
        code = self.initial.get("area")
        if not code:
            scopes = user_scopes(self.user, PUBLISH_NOTICE)
            code = scopes[0].code if len(scopes) == 1 else None
        # only a community the form offers (its scope): a foreign code in the address prefills nothing
        community = self.fields["area"].queryset.filter(code=code).only("code", "name").first() if code else None
        if community is not None:
            self.initial["area"] = community.code
            self.fields["title"].initial = f"{community.name}{Quarter.of(today).label}经费使用情况公示"
