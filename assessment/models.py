"""The assessment (考核评价, issue #10): an indicator set of five systems (seed 004), periods, and
the rows a rollup writes — every leaf's value for every assessed area, and every area's score and
rank among its siblings. The rollup (assessment/rollup.py) writes them set-based, level by level."""

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import calendar
from core.models import Job
from orgs.choices import AreaLevel
from orgs.models import Area
from orgs.scoping import Action, ScopedManager, can_anywhere

from .choices import MEAN, ApprovalStatus, Method, PeriodKind, PeriodStatus, Rule


class CityWideQuerySet(models.QuerySet):
    """Indicator sets and periods are the whole city's: read by anyone with a scope."""

    def scoped(self, user, action=Action.VIEW):
        return self.all() if action == Action.VIEW and can_anywhere(user, Action.VIEW) else self.none()


class IndicatorSet(models.Model):
    """指标体系: a year's indicators; a period keeps the set it was scored with."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    aggregation = models.CharField(
        _("上级得分"),
        max_length=64,
        default=MEAN,
        help_text=_("没有本级指标的上级区划，其得分由下级得分平均而来：简单平均，或按登记的权数（如网格数）加权。"),
    )
    last_places = models.PositiveSmallIntegerField(
        _("末位数"), default=1, help_text=_("每组同级区划中标记为末位的个数。")
    )
    last_share = models.DecimalField(
        _("末位比例"),
        max_digits=3,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal("0.5"))],
        help_text=_("按比例标记末位（如 0.10 即每组后 10%，向上取整）；与末位数取较多者。"),
    )
    copied_from = models.ForeignKey(
        "self", verbose_name=_("复制自"), null=True, blank=True, related_name="copies", on_delete=models.SET_NULL
    )

    objects = models.Manager.from_queryset(CityWideQuerySet)()

    class Meta:
        verbose_name = _("指标体系")
        verbose_name_plural = _("指标体系")

    def __str__(self):
        return self.name

    def clean(self):
        from core.registry import registry

        if self.aggregation != MEAN and self.aggregation not in registry.area_weights:
            raise ValidationError({"aggregation": _("没有这种汇总方式。")})

    @property
    def aggregation_label(self):
        from core.registry import registry

        if self.aggregation == MEAN:
            return _("下级得分简单平均")
        found = registry.area_weights.get(self.aggregation)
        return found.label if found else self.aggregation

    @property
    def frozen(self):
        """A set some period has been scored with keeps its weights and rules: copy it to change them."""
        return Score.objects.filter(period__indicator_set=self).exists()


class Indicator(models.Model):
    """指标: a system or group (no source) or a leaf with a weight, the levels it applies to, where
    its value comes from (a registered source: core.registry.indicator_sources) and a rule."""

    indicator_set = models.ForeignKey(
        IndicatorSet, verbose_name=_("指标体系"), related_name="indicators", on_delete=models.CASCADE
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("上级指标"), related_name="children", null=True, blank=True, on_delete=models.CASCADE
    )
    name = models.CharField(_("名称"), max_length=100)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    weight = models.DecimalField(_("权重"), max_digits=5, decimal_places=2, default=Decimal(0))
    levels = ArrayField(models.CharField(max_length=16), verbose_name=_("适用层级"), default=list, blank=True)
    method = models.CharField(_("取值方式"), max_length=16, choices=Method.choices, default=Method.COMPUTED)
    source = models.CharField(_("数据来源"), max_length=64, blank=True, help_text=_("系统计算的指标所用的统计。"))
    numerator_label = models.CharField(
        _("分子名称"), max_length=40, blank=True, help_text=_("人工录入的指标：如“已完成项目”。")
    )
    denominator_label = models.CharField(
        _("分母名称"), max_length=40, blank=True, help_text=_("人工录入的指标：如“承诺项目”。")
    )
    evidence_required = models.BooleanField(
        _("须上传佐证材料"),
        default=True,
        help_text=_("人工录入的指标：录入值须附佐证材料，缺少时不能保存，也不能上报。"),
    )
    rule = models.CharField(_("计分规则"), max_length=16, choices=Rule.choices, default=Rule.LINEAR)
    floor = models.DecimalField(_("下限"), max_digits=5, decimal_places=4, default=Decimal(0))
    target = models.DecimalField(_("目标"), max_digits=5, decimal_places=4, default=Decimal(1))
    thresholds = models.JSONField(_("分档"), default=list, blank=True, help_text=_("[[值下限, 得分], …]，从高到低。"))

    objects = models.Manager.from_queryset(CityWideQuerySet)()

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["indicator_set", "parent_id", "order", "pk"]

    def __str__(self):
        return self.name

    @property
    def level_labels(self):
        return "、".join(str(AreaLevel(level).label) for level in self.levels)

    @property
    def is_leaf(self):
        return bool(self.levels)

    @property
    def entered(self):
        return self.method == Method.ENTERED

    def clean(self):
        if self.method == Method.ENTERED:
            if self.source:
                raise ValidationError({"source": _("人工录入的指标不用系统统计。")})
            if not (self.numerator_label and self.denominator_label):
                raise ValidationError({"numerator_label": _("请填写分子和分母的名称。")})
        elif self.levels and not self.source:
            raise ValidationError({"source": _("请选择系统计算所用的统计。")})
        if self.source:
            from core.registry import registry

            found = registry.indicator_sources.get(self.source)
            if found is None:
                raise ValidationError({"source": _("没有名为“{key}”的统计。").format(key=self.source)})
            if set(self.levels) - {str(level) for level in found.levels}:
                raise ValidationError({"levels": _("该统计不适用于所选层级。")})
        if self.rule == Rule.LINEAR and self.floor >= self.target:
            raise ValidationError({"target": _("目标须高于下限。")})
        if self.rule == Rule.THRESHOLDS and not valid_thresholds(self.thresholds):
            raise ValidationError(
                {"thresholds": _("分档须写成 [[值下限, 得分], …]，值下限在 0 到 1 之间，得分在 0 到 100 之间。")}
            )


def valid_thresholds(thresholds):
    try:
        return bool(thresholds) and all(
            len(pair) == 2 and 0 <= Decimal(str(pair[0])) <= 1 and 0 <= Decimal(str(pair[1])) <= 100
            for pair in thresholds
        )
    except (TypeError, ArithmeticError, ValueError):
        return False


PART_MONTHS = {kind: calendar.KINDS[kind].MONTHS for kind in PeriodKind.values}  # 3, 6, 12
KIND_DATES = {
    PeriodKind.QUARTER: _("季度须是一个完整的日历季度，如 2026-10-01 至 2026-12-31。"),
    PeriodKind.HALF_YEAR: _("半年须是 1 月至 6 月或 7 月至 12 月。"),
    PeriodKind.YEAR: _("年度须是 1 月 1 日至 12 月 31 日。"),
}


def period_dates(kind, year, part=1):
    """The first and last day of the `part`-th quarter or half of `year`, or of the year itself."""
    span = calendar.KINDS[kind](year, part)
    return span.start, span.end


class Period(models.Model):
    """考核周期: a quarter, half-year or year, scored with one indicator set; a closed period is frozen."""

    kind = models.CharField(_("类型"), max_length=16, choices=PeriodKind.choices)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    indicator_set = models.ForeignKey(
        IndicatorSet, verbose_name=_("指标体系"), related_name="periods", on_delete=models.PROTECT
    )
    status = models.CharField(_("状态"), max_length=16, choices=PeriodStatus.choices, default=PeriodStatus.OPEN)
    rolled_up_at = models.DateTimeField(
        _("汇总计算时间"), null=True, blank=True, help_text=_("得分、指标值和概况数字最近一次写入的时间。")
    )

    objects = models.Manager.from_queryset(CityWideQuerySet)()

    class Meta:
        verbose_name = _("考核周期")
        verbose_name_plural = _("考核周期")
        ordering = ["-start", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "start"], name="assessment_period_unique"),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="assessment_period_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def span(self):
        """The calendar quarter, half-year or year (core.calendar) whose days these are, or None."""
        return calendar.span_of(self.kind, self.start, self.end)

    @property
    def key(self):
        """What its links carry as `?period=` (core.calendar's one query word for a period): "2026Q4",
        "2026H1", "2026"; the period's number only for dates that are no calendar span."""
        span = self.span
        return span.key if span is not None else str(self.pk)

    @property
    def label(self):
        """ "2026年第4季度", "2026年上半年", "2026年度" for a period of the calendar; else its dates."""
        span = self.span
        if span is not None:
            return span.label
        return f"{self.start:%Y-%m-%d}—{self.end:%Y-%m-%d} {self.get_kind_display()}"

    def fits_kind(self):
        """Whether the dates are those of a calendar quarter, half-year or year, as the kind says."""
        return self.span is not None

    def clean(self):
        if self.start and self.end and self.kind in PART_MONTHS and not self.fits_kind():
            raise ValidationError(KIND_DATES[self.kind])

    @property
    def dates(self):
        return f"{self.start:%Y-%m-%d}—{self.end:%Y-%m-%d}"

    @property
    def as_of(self):
        """The day the stored figures describe: the period's last day, or the rollup's day if that
        came earlier (a period rolled up, or closed, while it ran)."""
        if self.rolled_up_at is None:
            return None
        return min(self.end, timezone.localdate(self.rolled_up_at))

    @property
    def running(self):
        """Open and holding today: its figures are as of today (of the rollup), not of its end."""
        return self.status == PeriodStatus.OPEN and self.start <= timezone.localdate() <= self.end

    def why_kept(self):
        """Why the period cannot be deleted, or "": a period nobody has entered values in, submitted
        or rolled up by hand (a mistyped one) can go; what the nightly schedule computed for it goes
        with it. A closed period's results are published and frozen."""
        if self.status == PeriodStatus.CLOSED:
            return _("已关闭的考核周期结果已冻结，不能删除。")
        entries = self.entries.count()
        if entries:
            return _("已有 {n} 项人工录入指标的填报，不能删除。").format(n=entries)
        if self.approvals.exists():
            return _("已有上报或验收记录，不能删除。")
        if self.rollups.filter(user__isnull=False).exists():
            return _("组织部已对本周期汇总计算过，得分可能已被查看和上报，不能删除。")
        return ""


class Value(models.Model):
    """A leaf's value for one area in one period: numerator of denominator, and its points."""

    period = models.ForeignKey(Period, related_name="values", on_delete=models.CASCADE)
    indicator = models.ForeignKey(Indicator, related_name="values", on_delete=models.CASCADE)
    area = models.ForeignKey(Area, related_name="+", on_delete=models.CASCADE)
    numerator = models.IntegerField()
    denominator = models.IntegerField()
    value = models.DecimalField(max_digits=7, decimal_places=4)
    points = models.DecimalField(max_digits=7, decimal_places=2)

    objects = ScopedManager()
    scope_path = "area__code"  # an area's values are its own scope's: a sibling sees none of them

    class Meta:
        verbose_name = _("指标值")
        verbose_name_plural = _("指标值")
        constraints = [models.UniqueConstraint(fields=["period", "indicator", "area"], name="assessment_value_unique")]

    def __str__(self):
        return f"{self.indicator} {self.numerator}/{self.denominator}"


class Score(models.Model):
    """An area's score in a period (weighted points of its leaves, or its children's mean), and its
    rank among its siblings; the last-placed are flagged (末位, seed 004)."""

    period = models.ForeignKey(Period, related_name="scores", on_delete=models.CASCADE)
    area = models.ForeignKey(Area, related_name="+", on_delete=models.CASCADE)
    points = models.DecimalField(max_digits=7, decimal_places=2)
    rank = models.PositiveIntegerField()
    siblings = models.PositiveIntegerField()
    last_place = models.BooleanField(default=False)

    objects = ScopedManager()
    scope_path = "area__code"

    class Meta:
        verbose_name = _("得分与排名")
        verbose_name_plural = _("得分与排名")
        constraints = [models.UniqueConstraint(fields=["period", "area"], name="assessment_score_unique")]
        indexes = [models.Index(fields=["period", "rank"], name="assessment_score_rank")]

    def __str__(self):
        return f"{self.points}（第 {self.rank}/{self.siblings} 名）"


class Entry(models.Model):
    """An entered leaf's value for one area in one period (人工录入), with a note and evidence; locked
    once the area's values are submitted or accepted, and frozen with the period."""

    period = models.ForeignKey(Period, verbose_name=_("考核周期"), related_name="entries", on_delete=models.CASCADE)
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), related_name="entries", on_delete=models.CASCADE)
    area = models.ForeignKey(Area, verbose_name=_("区划"), related_name="+", on_delete=models.CASCADE)
    numerator = models.PositiveIntegerField(_("分子"))
    denominator = models.PositiveIntegerField(_("分母"))
    note = models.TextField(_("说明"), max_length=2000, blank=True)
    # None: brought in from the office's earlier records (历史数据导入), not entered on the page.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)

    objects = ScopedManager()
    scope_path = "area__code"

    class Meta:
        verbose_name = _("录入值")
        verbose_name_plural = _("录入值")
        constraints = [
            models.UniqueConstraint(fields=["period", "indicator", "area"], name="assessment_entry_unique"),
            models.CheckConstraint(
                condition=models.Q(denominator__gt=0, numerator__lte=models.F("denominator")),
                name="assessment_entry_share",
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.numerator}/{self.denominator}"


STORED_NAME_BYTES = 120  # a file system takes 255 bytes a name; room left for the storage's "_abc1234"


def evidence_path(evidence, filename):
    """Where the file is stored: its name cut to fit the file system (100 Chinese characters are
    300 bytes); the name as uploaded is kept in `name` for the download."""
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    suffix = f".{extension}" if dot else ""
    room = STORED_NAME_BYTES - len(suffix.encode())
    stem = stem.encode()[: max(room, 1)].decode(errors="ignore") or "file"
    return f"evidence/{evidence.entry.period_id}/{evidence.entry.area.code}/{stem}{suffix}"


class Evidence(models.Model):
    """A file supporting an entered value (a photo, a scan, a sheet): served only to those in scope."""

    entry = models.ForeignKey(Entry, verbose_name=_("录入值"), related_name="evidence", on_delete=models.CASCADE)
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=255)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("为空：随各单位原有台账一并导入的材料。"),
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_path = "entry__area__code"

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.name


class Approval(models.Model):
    """Where an area's entered values stand in a period (DHIS2's approval by level): submitted by
    the area, accepted by the district, or returned with a reason. No row: still being entered."""

    period = models.ForeignKey(Period, verbose_name=_("考核周期"), related_name="approvals", on_delete=models.CASCADE)
    area = models.ForeignKey(Area, verbose_name=_("区划"), related_name="+", on_delete=models.CASCADE)
    status = models.CharField(_("状态"), max_length=16, choices=ApprovalStatus.choices)
    reason = models.TextField(_("退回原因"), max_length=1000, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    at = models.DateTimeField(_("时间"), auto_now=True)

    objects = ScopedManager()
    scope_path = "area__code"

    class Meta:
        verbose_name = _("上报与验收")
        verbose_name_plural = _("上报与验收")
        constraints = [models.UniqueConstraint(fields=["period", "area"], name="assessment_approval_unique")]

    def __str__(self):
        return f"{self.area} {self.get_status_display()}"


class AreaFigure(models.Model):
    """A headline figure (core.registry.Figure) of one area as of a period's rollup: the dashboards
    read these rows instead of counting a city per request."""

    period = models.ForeignKey(Period, related_name="figures", on_delete=models.CASCADE)
    area = models.ForeignKey(Area, related_name="+", on_delete=models.CASCADE)
    key = models.CharField(max_length=64)
    numerator = models.IntegerField()
    denominator = models.IntegerField()

    objects = ScopedManager()
    scope_path = "area__code"

    class Meta:
        verbose_name = _("概况数字")
        verbose_name_plural = _("概况数字")
        constraints = [models.UniqueConstraint(fields=["period", "area", "key"], name="assessment_figure_unique")]

    def __str__(self):
        return f"{self.key} {self.numerator}/{self.denominator}"


class RollupJob(Job):
    """A rollup of one period, run by a Celery worker (assessment.run_rollup), with its progress
    (the leaves computed) kept in the row."""

    task_name = "assessment.run_rollup"

    # None: started by the schedule (beat's nightly and quarter-end rollups), not by a person.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT
    )

    period = models.ForeignKey(Period, verbose_name=_("考核周期"), related_name="rollups", on_delete=models.CASCADE)
    values_written = models.PositiveIntegerField(_("写入指标值"), default=0)
    scores_written = models.PositiveIntegerField(_("写入得分"), default=0)

    class Meta(Job.Meta):
        verbose_name = _("汇总计算任务")
        verbose_name_plural = _("汇总计算任务")

    def __str__(self):
        return f"{self.period}（{self.get_status_display()}）"
