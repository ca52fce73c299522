"""The assessment (考核评价, issue #10): an indicator set of five systems (seed 004), periods, and
the rows a rollup writes — every leaf's value for every assessed area, and every area's score and
rank among its siblings. The rollup (assessment/rollup.py) writes them set-based, level by level."""

from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Job
from orgs.models import Area
from orgs.scoping import Action, ScopedManager, can_anywhere

from .choices import Aggregation, PeriodKind, PeriodStatus, Rule


class CityWideQuerySet(models.QuerySet):
    """Indicator sets and periods are the whole city's: read by anyone with a scope."""

    def scoped(self, user, action=Action.VIEW):
        return self.all() if action == Action.VIEW and can_anywhere(user, Action.VIEW) else self.none()


class IndicatorSet(models.Model):
    """指标体系: a year's indicators; a period keeps the set it was scored with."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    aggregation = models.CharField(_("上级得分"), max_length=16, choices=Aggregation.choices, default=Aggregation.MEAN)
    last_places = models.PositiveSmallIntegerField(
        _("末位数"), default=1, help_text=_("每组同级区划中标记为末位的个数。")
    )

    objects = models.Manager.from_queryset(CityWideQuerySet)()

    class Meta:
        verbose_name = _("指标体系")
        verbose_name_plural = _("指标体系")

    def __str__(self):
        return self.name


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
    source = models.CharField(_("数据来源"), max_length=64, blank=True, help_text=_("系统计算的指标所用的统计。"))
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

    def clean(self):
        if self.source:
            from core.registry import registry

            found = registry.indicator_sources.get(self.source)
            if found is None:
                raise ValidationError({"source": _("没有名为“{key}”的统计。").format(key=self.source)})
            if set(self.levels) - {str(level) for level in found.levels}:
                raise ValidationError({"levels": _("该统计不适用于所选层级。")})
        if self.floor >= self.target:
            raise ValidationError({"target": _("目标须高于下限。")})


class Period(models.Model):
    """考核周期: a quarter, half-year or year, scored with one indicator set; a closed period is frozen."""

    kind = models.CharField(_("类型"), max_length=16, choices=PeriodKind.choices)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    indicator_set = models.ForeignKey(
        IndicatorSet, verbose_name=_("指标体系"), related_name="periods", on_delete=models.PROTECT
    )
    status = models.CharField(_("状态"), max_length=16, choices=PeriodStatus.choices, default=PeriodStatus.OPEN)

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
        return f"{self.start:%Y-%m-%d}—{self.end:%Y-%m-%d} {self.get_kind_display()}"


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


class RollupJob(Job):
    """A rollup of one period, run by a Celery worker (assessment.run_rollup), with its progress
    (the leaves computed) kept in the row."""

    task_name = "assessment.run_rollup"

    period = models.ForeignKey(Period, verbose_name=_("考核周期"), related_name="rollups", on_delete=models.CASCADE)
    values_written = models.PositiveIntegerField(_("写入指标值"), default=0)
    scores_written = models.PositiveIntegerField(_("写入得分"), default=0)

    class Meta(Job.Meta):
        verbose_name = _("汇总计算任务")
        verbose_name_plural = _("汇总计算任务")

    def __str__(self):
        return f"{self.period}（{self.get_status_display()}）"
