"""经费 (community funding, seeds 001 and 000; issue 20): a community's yearly allocations by type
(社区运转经费, 党建工作经费, 服务群众专项经费) and source (city, district, street), each type's yearly
minimum (settings FUNDS_MINIMUMS, per city), the expenditures against an allocation — and
optionally a project of the community — with their voucher (凭证) and who approved them, and the
community's public notice (公示, FundNotice) kept as it was published.

Money is `Decimal` in yuan with two places and summed in SQL. An allocation's balance (its amount
less the spending recorded against it and not rejected) never goes below zero: saving or approving
an expenditure locks the allocation's row and refuses an amount beyond the balance, naming it."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from core.citywise import merged_for
from core.guard import CHANGE, DELETE, Guarded
from orgs.choices import AreaLevel
from orgs.models import Area, AreaRecord

from .models import Project
from .permissions import READ_FUNDS

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal("999999999999.99")  # Decimal(14, 2)


class FundType(models.TextChoices):
    OPERATING = "operating", _("社区运转经费")
    PARTY = "party", _("党建工作经费")
    SERVICE = "service", _("服务群众专项经费")


class FundSource(models.TextChoices):
    CITY = "city", _("市级")
    DISTRICT = "district", _("区级")
    STREET = "street", _("街道")


class ExpenditureStatus(models.TextChoices):
    DRAFT = "draft", _("待审批")
    APPROVED = "approved", _("已审批")
    REJECTED = "rejected", _("已退回")


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已公示")


# Each type's yearly minimum per community, in yuan (seed 001, Liupanshui: 运转 ≥ 50,000 and 服务群众
# ≥ 100,000 a year). The seeds give no figure for 党建工作经费: 0 (no minimum) until a city sets one.
DEFAULT_MINIMUMS = {FundType.OPERATING: 50_000, FundType.PARTY: 0, FundType.SERVICE: 100_000}
# An amount above this (yuan) asks for confirmation: 万元 typed as 元 (10 万 written 100000).
DEFAULT_CONFIRM_ABOVE = 200_000


def minimums(code=""):
    """{fund type: Decimal minimum} for a community of `code`: settings.FUNDS_MINIMUMS =
    {"default": {...}, "<city code>": {...}} — the city's entry (any configured code its code starts
    with) over the default, a type missing there keeping the seeds' figure."""
    chosen = merged_for(DEFAULT_MINIMUMS, getattr(settings, "FUNDS_MINIMUMS", {}), code)
    return {FundType(kind): Decimal(str(value)).quantize(CENT) for kind, value in chosen.items()}


def confirm_above():
    return Decimal(str(getattr(settings, "FUNDS_CONFIRM_ABOVE", DEFAULT_CONFIRM_ABOVE))).quantize(CENT)


def yuan(value):
    """'1,234.50' → '1,234.50 元' for messages (two places, thousands separated)."""
    return _("{amount} 元").format(amount=f"{Decimal(value or 0).quantize(CENT):,}")


AMOUNT_TEXT = re.compile(r"^-?\d+(\.\d+)?$")


def parse_money(value, *, wan=False):
    """An amount as offices write it — 1234.5, "1,234.50", "1 234.50 元", "12.5万" — as Decimal yuan
    with two places (×10000 for a 万元 column or a 万 suffix); raises ValidationError in Chinese
    for a non-numeric, negative or zero amount, or one of more than two places of fen."""
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        text = str(value)
    else:
        text = str(value or "").strip()
    text = text.replace(",", "").replace("，", "").replace(" ", "").replace("\u00a0", "").replace("¥", "")
    if text.endswith("万元") or text.endswith("万"):
        text, wan = text.removesuffix("元").removesuffix("万"), True
    text = text.removesuffix("元")
    if not text:
        raise ValidationError(_("请填写金额。"))
    if not AMOUNT_TEXT.match(text):
        raise ValidationError(_("金额“{value}”不是数字。").format(value=value))
    try:
        amount = Decimal(text) * (10000 if wan else 1)
    except InvalidOperation:
        raise ValidationError(_("金额“{value}”不是数字。").format(value=value)) from None
    if amount <= 0:
        raise ValidationError(_("金额须大于零（填写的是 {value}）。").format(value=value))
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ValidationError(_("金额“{value}”最多精确到分（两位小数）。").format(value=value))
    if amount > MAX_AMOUNT:
        raise ValidationError(_("金额“{value}”过大。").format(value=value))
    return amount.quantize(CENT)


def money_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=14, decimal_places=2, validators=[MinValueValidator(CENT)], **kwargs
    )


class Allocation(AreaRecord):
    """经费拨付: one year's allocation of one type to a community, from the city, the district or the
    street (元). A community's year of a type may hold one allocation from each source."""

    area = models.ForeignKey(
        Area,
        verbose_name=_("社区"),
        on_delete=models.PROTECT,
        related_name="funds_allocation_set",
        related_query_name="funds_allocation",
        limit_choices_to={"level": AreaLevel.COMMUNITY},
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    fund_type = models.CharField(_("经费类型"), max_length=16, choices=FundType.choices)
    source = models.CharField(_("来源"), max_length=16, choices=FundSource.choices)
    amount = money_field(_("金额（元）"))
    allocated_on = models.DateField(_("拨付日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    view_action = READ_FUNDS
    pick_search_fields = ("area__name", "area__code")  # the picker past CHOICE_LIST_BOUND choices

    class Meta:
        verbose_name = _("经费拨付")
        verbose_name_plural = _("经费拨付")
        ordering = ["-year", "area__code", "fund_type", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "fund_type", "source"],
                name="funds_allocation_unique",
                violation_error_message=_("该社区该年度已有同一来源的同类经费，请修改原记录。"),
            ),
        ]
        indexes = [models.Index(fields=["year", "fund_type"], name="funds_alloc_year_type")]

    def __str__(self):
        return _("{area}{year}年{kind}（{source}）").format(
            area=self.area.name if self.area_id else "",
            year=self.year,
            kind=self.get_fund_type_display(),
            source=self.get_source_display(),
        )

    def clean(self):
        super().clean()
        if self.area_id and self.area.level != AreaLevel.COMMUNITY:
            raise ValidationError({"area": _("经费拨付到社区（村），请选择社区。")})
        if self.pk and self.amount is not None:
            committed = self.committed()
            if self.amount < committed:
                raise ValidationError(
                    {"amount": _("已有 {spent} 的支出记在这笔经费上，金额不能少于此数。").format(spent=yuan(committed))}
                )

    def committed(self, excluding=None):
        """The spending recorded against it and not rejected (SQL sum), less `excluding`."""
        rows = Expenditure.objects.filter(allocation_id=self.pk).exclude(status=ExpenditureStatus.REJECTED)
        if excluding is not None:
            rows = rows.exclude(pk=excluding)
        return rows.aggregate(total=Sum("amount"))["total"] or ZERO

    @property
    def balance(self):
        return (self.amount or ZERO) - self.committed()

    def refuses(self, what):
        if what == DELETE and self.pk and self.expenditures.exists():
            return _("“{name}”已有支出记录，不能删除。").format(name=self)
        return ""

    def breadcrumb(self):
        return self.area.breadcrumb()


def voucher_path(expenditure, filename):
    return f"funds/vouchers/{expenditure.allocation.year}/{expenditure.area.code}/{filename}"


class Expenditure(Guarded, AreaRecord):
    """经费支出: spending from an allocation (and optionally for a project of the same community):
    its amount, date, purpose and voucher (凭证, PDF or image); recorded as a draft by the
    community, approved (or returned) by its street; its community is the allocation's."""

    area = models.ForeignKey(
        Area,
        verbose_name=_("社区"),
        on_delete=models.PROTECT,
        related_name="funds_expenditure_set",
        related_query_name="funds_expenditure",
        editable=False,
    )
    allocation = models.ForeignKey(
        Allocation, verbose_name=_("经费"), related_name="expenditures", on_delete=models.PROTECT
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("项目"),
        related_name="expenditures",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    amount = money_field(_("金额（元）"))
    spent_on = models.DateField(_("支出日期"))
    purpose = models.CharField(_("用途"), max_length=200)
    voucher_number = models.CharField(
        _("凭证号"), max_length=40, blank=True, help_text=_("财务凭证编号，导入时据此找到已导入的支出。")
    )
    voucher = models.FileField(_("凭证"), upload_to=voucher_path, max_length=255, blank=True)
    voucher_name = models.CharField(_("凭证文件名"), max_length=200, blank=True, editable=False)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=ExpenditureStatus.choices,
        default=ExpenditureStatus.DRAFT,
        editable=False,
    )
    reason = models.TextField(_("说明"), blank=True, editable=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        editable=False,
    )
    at = models.DateTimeField(_("审批时间"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    view_action = READ_FUNDS

    class Meta:
        verbose_name = _("经费支出")
        verbose_name_plural = _("经费支出")
        ordering = ["-spent_on", "-pk"]
        indexes = [models.Index(fields=["spent_on"], name="funds_expenditure_spent_on")]

    def __str__(self):
        return _("{purpose}（{amount}）").format(purpose=self.purpose, amount=yuan(self.amount))

    def refuses(self, what):
        if self.pk and self.status == ExpenditureStatus.APPROVED:
            if what == DELETE:
                return _("“{purpose}”已审批，须留存，不能删除。").format(purpose=self.purpose)
            if what == CHANGE:
                return _("“{purpose}”已审批，不能再编辑。").format(purpose=self.purpose)
        return ""

    def breadcrumb(self):
        return self.area.breadcrumb()

    def clean(self):
        """The project of the allocation's community, the date in the allocation's year, the amount
        within the balance (read here; locked again when saved)."""
        super().clean()
        if not self.allocation_id:
            return
        allocation = self.allocation
        self.area_id = allocation.area_id
        errors = {}
        if self.project_id and self.project.community.pk != allocation.area_id:
            errors["project"] = _("项目“{project}”不属于{area}。").format(
                project=self.project, area=allocation.area.name
            )
        if self.spent_on and self.spent_on.year != allocation.year:
            errors["spent_on"] = _("支出日期应在经费所属的 {year} 年内。").format(year=allocation.year)
        if self.amount is not None and self.status != ExpenditureStatus.REJECTED:
            refusal = beyond_balance(allocation, self.amount, self.pk)
            if refusal:
                errors["amount"] = refusal
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        """Locks the allocation's row, then refuses an amount beyond its balance: of two spendings of
        the last yuan saved at once, the second waits for the first and is refused."""
        with transaction.atomic():
            allocation = Allocation.objects.select_for_update().get(pk=self.allocation_id)
            self.area_id = allocation.area_id
            if self.status != ExpenditureStatus.REJECTED:
                refusal = beyond_balance(allocation, self.amount, self.pk)
                if refusal:
                    raise ValidationError(refusal)
            if self.voucher and not self.voucher_name:
                self.voucher_name = self.voucher.name.rsplit("/", 1)[-1][:200]
            super().save(*args, **kwargs)


def beyond_balance(allocation, amount, excluding=None):
    """The refusal of spending `amount` from `allocation` (besides the expenditure `excluding`), or ""."""
    balance = allocation.amount - allocation.committed(excluding=excluding)
    if amount > balance:
        return _("{allocation}余额为 {balance}，不足以支出 {amount}。").format(
            allocation=allocation, balance=yuan(balance), amount=yuan(amount)
        )
    return ""


class FundNotice(Guarded, AreaRecord):
    """经费公示: a community's notice of its projects, their spending and status, and its year's
    allocations — drafted, then published by a cadre; once published it is kept as it was (its
    `snapshot`, written when it is published, is never recomputed) and a correction is a new notice.
    `changes` says what changed since the community's previous published notice."""

    area = models.ForeignKey(
        Area,
        verbose_name=_("社区"),
        on_delete=models.PROTECT,
        related_name="funds_fundnotice_set",
        related_query_name="funds_fundnotice",
        limit_choices_to={"level": AreaLevel.COMMUNITY},
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    title = models.CharField(_("标题"), max_length=100)
    note = models.TextField(_("说明"), blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT, editable=False
    )
    snapshot = models.JSONField(_("公示内容"), default=dict, blank=True, editable=False)
    changes = models.JSONField(_("与上次公示相比"), default=list, blank=True, editable=False)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True, editable=False)
    reason = models.TextField(_("原因"), blank=True, editable=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        editable=False,
    )
    at = models.DateTimeField(_("更新时间"), auto_now=True)

    view_action = READ_FUNDS

    class Meta:
        verbose_name = _("经费公示")
        verbose_name_plural = _("经费公示")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(
                fields=["area", "-published_at"],
                name="funds_notice_published",
                condition=Q(status="published"),
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.area_id and self.area.level != AreaLevel.COMMUNITY:
            raise ValidationError({"area": _("公示由社区（村）发布，请选择社区。")})

    def refuses(self, what):
        if self.pk and self.status == NoticeStatus.PUBLISHED:
            return _("“{title}”已公示，须原样留存；如需更正，请发布一期新的公示。").format(title=self.title)
        return ""

    def breadcrumb(self):
        return self.area.breadcrumb()
