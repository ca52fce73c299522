import pghistory
from django.db import models
from django.urls import reverse

from orgs.models import Area, phone_validator
from orgs.scoping import ScopedManager, addressed_to_department


@pghistory.track(model_name="ServicePointEvent")
class ServicePoint(models.Model):
    """服务点: a simple record kept under an area, with a personal phone number."""

    area = models.ForeignKey(Area, verbose_name="区划", on_delete=models.PROTECT, related_name="service_points")
    name = models.CharField("名称", max_length=100)
    phone = models.CharField("联系电话", max_length=20, blank=True, validators=[phone_validator])
    opened = models.DateField("开放日期", null=True, blank=True)

    objects = ScopedManager()
    scope_path = "area__code"
    personal_data_fields = {"phone": "phone"}

    class Meta:
        verbose_name = "服务点"
        verbose_name_plural = "服务点"
        ordering = ["area__code", "name"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="kitapp_point_unique")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("kitapp:servicepoint_detail", args=[self.pk])


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
