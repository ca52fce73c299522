from django.db import models
from django.urls import reverse

from core.fields import PhoneField
from orgs.models import Area, AreaRecord
from orgs.scoping import ScopedManager, addressed_to_department


class ServicePoint(AreaRecord):
    """服务点: a simple record kept under an area, with a personal phone number."""

    name = models.CharField("名称", max_length=100)
    phone = PhoneField("联系电话")
    opened = models.DateField("开放日期", null=True, blank=True)

    class Meta:
        verbose_name = "服务点"
        verbose_name_plural = "服务点"
        ordering = ["area__code", "name"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="kitapp_point_unique")]

    def __str__(self):
        return self.name


class Notice(models.Model):
    """通知: addressed to several areas at once, and readable by a named department (the kit's
    scope hook for records that belong to several areas or to a department)."""

    title = models.CharField("标题", max_length=100)
    areas = models.ManyToManyField(Area, verbose_name="发往区划", related_name="+")
    department = models.ForeignKey(
        "orgs.Department", verbose_name="抄送部门", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"

    def __str__(self):
        return self.title

    # Reached from any of its areas, and read by the department it is addressed to: the kit's
    # ready hook (orgs.scoping.addressed_to_department).
    scope_hook = addressed_to_department("department", areas="areas__code")


class RepairStatus(models.TextChoices):
    RECEIVED = "received", "已受理"
    HANDLED = "handled", "已办结"


class Repair(models.Model):
    """报修: a record with states, whose steps are declared (tests/kitapp/states.py) and served by
    its ModelPages: the buttons and history rows on its page, a confirmation and a POST per step."""

    area = models.ForeignKey(Area, verbose_name="区划", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("事项", max_length=100)
    status = models.CharField("状态", max_length=16, choices=RepairStatus.choices, default=RepairStatus.RECEIVED)
    reason = models.TextField("原因", blank=True)
    by = models.ForeignKey(
        "orgs.User", verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now=True)

    objects = ScopedManager()
    scope_path = "area__code"

    class Meta:
        verbose_name = "报修"
        verbose_name_plural = "报修"
        ordering = ["area__code", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("kitapp:repair_detail", args=[self.pk])
