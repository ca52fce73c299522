from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    """季度调度, 半年评估, 年度考核 (seed 001)."""

    QUARTER = "quarter", _("季度")
    HALF_YEAR = "half_year", _("半年")
    YEAR = "year", _("年度")


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已关闭")


class Rule(models.TextChoices):
    """How a leaf's value (a share, 0–1) becomes points (0–100)."""

    LINEAR = "linear", _("线性（下限至目标）")
    THRESHOLDS = "thresholds", _("分档")


class Aggregation(models.TextChoices):
    """How a parent's score comes from its children's."""

    MEAN = "mean", _("下级平均")
