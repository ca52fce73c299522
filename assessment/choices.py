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
    RANK = "rank", _("同级排名（第一名满分，末名零分）")


MEAN = "mean"  # a parent's score is the plain mean of its children's; else a registered weight's key


class Method(models.TextChoices):
    """Where a leaf's value comes from."""

    COMPUTED = "computed", _("系统计算")
    ENTERED = "entered", _("人工录入")


class ApprovalStatus(models.TextChoices):
    """Approval by level (DHIS2): a community submits, its street submits when its communities
    have, the district accepts; a submission or an acceptance can be returned with a reason."""

    SUBMITTED = "submitted", _("已上报")
    ACCEPTED = "accepted", _("已验收")
    RETURNED = "returned", _("已退回")


LOCKING = (ApprovalStatus.SUBMITTED, ApprovalStatus.ACCEPTED)  # entry is closed below these
