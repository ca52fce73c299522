import functools

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def label(choices, value):
    """`value`'s label in the Choices class `choices`, as `get_FOO_display()` gives it (the value
    itself when it is not one of them), from a dict made once per language rather than on every
    call: a list page shows hundreds."""
    return _labels(choices, get_language()).get(value, value)


@functools.cache
def _labels(choices, language):
    return {value: str(text) for value, text in choices.choices}


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
