from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    """The life of a background job (core.models.Job)."""

    PREVIEWED = "previewed", _("待确认")  # an import waiting for the cadre's confirmation
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
    CANCELLED = "cancelled", _("已取消")


FINISHED = (JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED)


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")
