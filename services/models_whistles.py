"""吹哨报到 (whistle-and-report, seed 001; issue 19): a street blows a whistle of a configurable type
(WhistleType) about a place of its tree, with a deadline, to one or more functional departments of
its district or city. Each addressed department answers in its own response (报到): addressed →
signed for → closed with evidence → verified and scored by the street (services/whistles.py).

Who reaches what (the scope hooks): the street and the organisation department read by subtree
(READ_WHISTLES); a department's users read exactly the whistles addressed to their department,
wherever they are, and answer only their own department's responses; the street blows and
verifies within its subtree.

A type may name a record of another app that its whistles are about (`subject_model`, e.g.
"property.compound" for 物业纠纷): the whistle keeps a generic link (content type and id) and the
subject's name, so that services never imports the app (import-linter's independence contract);
the compound's page lists its whistles through the registry (services/apps.py)."""

import pghistory
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.guard import CHANGE, DELETE, Guarded
from orgs.models import Area, Department
from orgs.scoping import Action, ScopedManager, scope_condition, user_departments, user_scopes

from .permissions import ANSWER_WHISTLE, READ_WHISTLES


class ResponseStatus(models.TextChoices):
    ADDRESSED = "addressed", _("待报到")
    SIGNED = "signed", _("已报到")
    CLOSED = "closed", _("已办结待核验")
    VERIFIED = "verified", _("已核验评分")


OPEN_STATES = (ResponseStatus.ADDRESSED, ResponseStatus.SIGNED)  # overdue once the deadline has passed


# The types of seed 001 the data migration (0002_whistles) writes, written again by the demo where a
# database was emptied of them (a test's flush): 物业纠纷 links a compound of the property app.
SEEDED_TYPES = (("综合执法", ""), ("安全隐患", ""), ("环境整治", ""), ("物业纠纷", "property.compound"))


def ensure_seeded_types():
    """{name: WhistleType} of the seeded types, each written if missing (never twice)."""
    return {
        name: WhistleType.objects.get_or_create(name=name, defaults={"order": order, "subject_model": subject})[0]
        for order, (name, subject) in enumerate(SEEDED_TYPES, start=1)
    }


class WhistleType(models.Model):
    """吹哨类型: 综合执法, 安全隐患, 环境整治, 物业纠纷 … — a short list an office edits in the admin."""

    name = models.CharField(_("类型名称"), max_length=30, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    subject_model = models.CharField(
        _("关联对象"),
        max_length=60,
        blank=True,
        help_text=_("该类吹哨须关联的记录类型，如“property.compound”（小区）；留空则不关联。"),
    )
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("吹哨类型")
        verbose_name_plural = _("吹哨类型")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


def whistle_hook(area_path, department_path):
    """Read: by subtree (READ_WHISTLES) or addressed to one's department; answer: one's department's
    only; blow and verify: by subtree."""

    def hook(cls, user, action, scopes):
        departments = user_departments(user)
        own = Q(**{f"{department_path}__in": departments}) if departments else Q(pk__in=[])
        if action == Action.VIEW:
            return scope_condition(area_path, user_scopes(user, READ_WHISTLES)) | own
        if action == ANSWER_WHISTLE:
            return own
        return scope_condition(area_path, scopes)

    return classmethod(hook)


@pghistory.track(model_name="WhistleEvent")
class Whistle(Guarded, models.Model):
    """吹哨: a street calls departments to a problem at a place of its tree, by a deadline."""

    area = models.ForeignKey(
        Area,
        verbose_name=_("地点"),
        related_name="whistles",
        on_delete=models.PROTECT,
        help_text=_("街道内的社区、网格或楼栋。"),
    )
    kind = models.ForeignKey(WhistleType, verbose_name=_("吹哨类型"), related_name="whistles", on_delete=models.PROTECT)
    title = models.CharField(_("事项"), max_length=100)
    description = models.TextField(_("问题描述"))
    deadline = models.DateField(_("办结时限"))
    subject_type = models.ForeignKey(
        ContentType, verbose_name=_("关联对象类型"), null=True, blank=True, on_delete=models.PROTECT, editable=False
    )
    subject_id = models.PositiveIntegerField(_("关联对象编号"), null=True, blank=True, editable=False)
    subject_label = models.CharField(_("关联对象"), max_length=200, blank=True, editable=False)
    blown_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("吹哨人"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        editable=False,
    )
    blown_at = models.DateTimeField(_("吹哨时间"), default=timezone.now, editable=False)

    objects = ScopedManager()
    view_action = READ_WHISTLES
    scope_path = "area__code"
    scope_hook = whistle_hook("area__code", "responses__department")
    within_paths = ("area__code",)
    pick_search_fields = ("title",)

    class Meta:
        verbose_name = _("吹哨")
        verbose_name_plural = _("吹哨报到")
        ordering = ["-blown_at", "-pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="services_whistle_subject")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("services:whistle_detail", args=[self.pk])

    def refuses(self, what):
        """Withdrawn only while no department has signed for it: an answer once begun is kept; and
        changed only while some department's answer is still open."""
        if what == DELETE and self.responses.exclude(status=ResponseStatus.ADDRESSED).exists():
            return _("“{title}”已有部门报到，不能撤回。").format(title=self.title)
        if what == CHANGE and self.pk and not self.responses.filter(status__in=OPEN_STATES).exists():
            return _("“{title}”各部门均已办结，不能再编辑。").format(title=self.title)
        return ""

    def breadcrumb(self):
        return self.area.breadcrumb()


@pghistory.track(model_name="WhistleResponseEvent")
class WhistleResponse(models.Model):
    """报到: one addressed department's answer to a whistle — signed for, closed with evidence,
    verified and scored by the street. The score (0–100) is 20 for signing for it and closing it by
    the deadline (a department may still sign after it: then it is recorded as late, 逾期报到, and
    those 20 are lost), and 8 for each point of quality and of satisfaction (1–5 each): 36 at worst,
    100 at best."""

    whistle = models.ForeignKey(Whistle, verbose_name=_("吹哨"), related_name="responses", on_delete=models.CASCADE)
    department = models.ForeignKey(
        Department, verbose_name=_("报到部门"), related_name="whistle_responses", on_delete=models.PROTECT
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=ResponseStatus.choices, default=ResponseStatus.ADDRESSED, editable=False
    )
    signed_at = models.DateTimeField(_("报到时间"), null=True, blank=True, editable=False)
    signed_late = models.BooleanField(_("逾期报到"), default=False, editable=False)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True, editable=False)
    report = models.TextField(_("处置情况"), blank=True, editable=False)
    evidence = models.FileField(_("办结材料"), upload_to="services/whistles/%Y/%m/", max_length=255, blank=True)
    evidence_name = models.CharField(_("材料文件名"), max_length=200, blank=True, editable=False)
    on_time = models.BooleanField(_("按时办结"), null=True, blank=True, editable=False)
    quality = models.PositiveSmallIntegerField(
        _("办理质量"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)], editable=False
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("满意度"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)], editable=False
    )
    score = models.PositiveSmallIntegerField(_("得分"), null=True, blank=True, editable=False)
    escalated_on = models.DateField(_("逾期上报区级日期"), null=True, blank=True, editable=False)
    reason = models.TextField(_("说明"), blank=True, editable=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        editable=False,
    )
    at = models.DateTimeField(_("更新时间"), auto_now=True)

    # What a response shows, on its page and in the API (services/views_whistles.py, api_whistles.py).
    SHOWN = (
        "whistle",
        "department",
        "status",
        "signed_at",
        "signed_late",
        "closed_at",
        "report",
        "on_time",
        "quality",
        "satisfaction",
        "score",
        "escalated_on",
    )

    objects = ScopedManager()
    view_action = READ_WHISTLES
    scope_path = "whistle__area__code"
    scope_hook = whistle_hook("whistle__area__code", "department")
    scope_hook_flat = True
    within_paths = ("whistle__area__code",)

    class Meta:
        verbose_name = _("报到")
        verbose_name_plural = _("部门报到")
        ordering = ["whistle__deadline", "whistle", "department__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["whistle", "department"],
                name="services_response_unique",
                violation_error_message=_("同一吹哨不能重复派给同一部门。"),
            )
        ]

    def __str__(self):
        return _("{department}报到：{whistle}").format(department=self.department.label, whistle=self.whistle.title)

    def get_absolute_url(self):
        return reverse("services:whistleresponse_detail", args=[self.pk])

    def breadcrumb(self):
        return self.whistle.area.breadcrumb()

    @property
    def is_overdue(self):
        return self.status in OPEN_STATES and self.whistle.deadline < timezone.localdate()


def overdue(queryset, today=None):
    """The responses of `queryset` past their whistle's deadline and not closed (已逾期)."""
    return queryset.filter(status__in=OPEN_STATES, whistle__deadline__lt=today or timezone.localdate())


def score_of(on_time, quality, satisfaction):
    """0–100: 20 for on time, 8 a point of quality and of satisfaction (1–5)."""
    return (20 if on_time else 0) + 8 * quality + 8 * satisfaction
