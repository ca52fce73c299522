"""The funds app (issue 20): demands, resources and projects with two-way claiming (双向认领,
seeds 004 and 001), and community funding with its public notice (经费与公示, seeds 001 and 000).

`Project` is what both halves meet on: a claim creates one (funds/models_projects.py adds the
demands, resources and claims), and spending is recorded against one (funds/models_funding.py).
Both modules are loaded with the app's models here."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from orgs.models import AreaRecord


class ProjectStatus(models.TextChoices):
    RUNNING = "running", _("实施中")
    CLOSED = "closed", _("已结项")
    STOPPED = "stopped", _("已终止")


class Project(AreaRecord):
    """项目: work done for residents in a community (its area), with owners on both sides, from a
    claimed demand or resource; money is spent against it and its volunteers' hours are read from
    the 双报到 service log."""

    title = models.CharField(_("项目名称"), max_length=100)
    description = models.TextField(_("项目内容"), blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.RUNNING, editable=False
    )
    started_on = models.DateField(_("开始日期"))
    due_on = models.DateField(_("计划完成日期"), null=True, blank=True)
    closed_on = models.DateField(_("结项日期"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["-started_on", "-pk"]

    def __str__(self):
        return self.title


from .models_funding import Allocation, Expenditure, FundNotice  # noqa: E402, F401  (经费 and 公示)
