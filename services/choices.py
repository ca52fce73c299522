"""The words of the lists (清单) and of the admission gate (准入)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ListKind(models.TextChoices):
    """The three lists of seeds 001 and 003: a street's powers and responsibilities, a community's
    work-admission list (what a department may hand it), and the public services of either."""

    POWER = "power", _("街道权责清单")
    ADMISSION = "admission", _("社区工作事项准入清单")
    PUBLIC_SERVICE = "service", _("公共服务事项清单")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    SUPERSEDED = "superseded", _("已被替代")


class AdmissionCategory(models.TextChoices):
    """The two kinds of items of a community's admission list (seed 001: 14 + 30)."""

    SELF_GOVERNING = "自治事项", _("自治事项")
    ASSISTING = "协助事项", _("协助事项")


class TaskStatus(models.TextChoices):
    """A task a department pushes to a community, at the gate (准入)."""

    ADMITTED = "admitted", _("已准入")
    STOPPED = "stopped", _("待街道审批")
    APPROVED = "approved", _("街道已批准")
    REFUSED = "refused", _("街道已拒绝")


# The tasks that reach the community: admitted by its list, or let through by its street.
ACCEPTED = (TaskStatus.ADMITTED, TaskStatus.APPROVED)
