"""The lists as data (清单, seeds 001 and 003; issue 19 "Lists as data"): a street's power-and-
responsibility list (街道权责清单), a community's work-admission list (社区工作事项准入清单: 自治事项
and 协助事项) and the public-service list (公共服务事项清单) of a community or a street. A list
belongs to its area and has versions, each drafted → published → superseded (services/lists.py);
every version and its items are kept. A task a functional department pushes to a community
(GateTask) passes the community's admission list or waits at the gate (准入) for its street
(services/admission.py).

A list is kept by the cadres of its own area (KEEP_LISTS at that very area, `kept_here`): the street
above reads its communities' lists but does not write them."""

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.guard import CHANGE, DELETE, Guarded
from orgs.choices import AreaLevel
from orgs.models import Area, AreaRecord, Department
from orgs.scoping import Action, ScopedManager, scope_condition, user_departments, user_scopes

from .choices import AdmissionCategory, ListKind, TaskStatus, VersionStatus
from .permissions import KEEP_LISTS, PUSH_TASK, READ_DRAFTS, READ_TASKS

# Which levels keep which list (seed 001: the street's powers, the community's admission list;
# seed 003: public services of both).
LEVELS_OF_KIND = {
    ListKind.POWER: (AreaLevel.STREET,),
    ListKind.ADMISSION: (AreaLevel.COMMUNITY,),
    ListKind.PUBLIC_SERVICE: (AreaLevel.STREET, AreaLevel.COMMUNITY),
}


def kept_here(path, *, draft_path=""):
    """The scope hook of a list's records: read over the subtree like any record, kept (KEEP_LISTS)
    only by the cadres of the list's own area — the area reached by `path` is one of the user's
    assignment areas. With `draft_path`, only a draft's records are kept (a published version is
    not edited: a new draft is made from it), and a draft is not read by a functional department."""

    def hook(cls, user, action, scopes):
        if action != KEEP_LISTS:
            condition = scope_condition(path, scopes)
            if draft_path:  # a draft is the offices' work in progress: a department reads what is published
                drafts_read = scope_condition(path, user_scopes(user, READ_DRAFTS))
                condition &= ~Q(**{draft_path: VersionStatus.DRAFT}) | drafts_read
            return condition
        condition = Q(**{f"{path}__in": [scope.code for scope in scopes if not scope.strict]})
        if draft_path:
            condition &= Q(**{draft_path: VersionStatus.DRAFT})
        return condition

    return classmethod(hook)


class ServiceList(Guarded, AreaRecord):
    """清单: one list of an area (a street's 权责清单, a community's 准入清单, either's 公共服务事项清单),
    whose versions hold its items."""

    kind = models.CharField(_("清单类型"), max_length=16, choices=ListKind.choices)

    scope_hook = kept_here("area__code")
    within_paths = ("area__code",)
    scope_hook_flat = True
    pick_search_fields = ("area__name", "area__code")

    class Meta:
        verbose_name = _("清单")
        verbose_name_plural = _("清单")
        ordering = ["area__code", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "kind"],
                name="services_list_unique",
                violation_error_message=_("该区划已有这一类清单。"),
            )
        ]

    def __str__(self):
        """前进街道权责清单, 文化社区工作事项准入清单: the level's word said once."""
        label = str(self.get_kind_display())
        for word in ("街道", "社区"):
            if label.startswith(word) and self.area.name.endswith(word):
                label = label[len(word) :]
        return f"{self.area.name}{label}"

    def breadcrumb(self):
        return self.area.breadcrumb()

    def clean(self):
        if self.area_id and self.kind and self.area.level not in LEVELS_OF_KIND[self.kind]:
            levels = "、".join(str(AreaLevel(level).label) for level in LEVELS_OF_KIND[self.kind])
            raise ValidationError(
                {
                    "kind": _("{kind}只能由{levels}建立，“{area}”是{level}。").format(
                        kind=self.get_kind_display(),
                        levels=levels,
                        area=self.area.name,
                        level=self.area.get_level_display(),
                    )
                }
            )

    def refuses(self, what):
        if what == DELETE and self.versions.exclude(status=VersionStatus.DRAFT).exists():
            return _("{list}已有发布过的版本，每个版本都须留存，不能删除。").format(list=self)
        return ""

    def current(self):
        """The published version, or None."""
        return self.versions.filter(status=VersionStatus.PUBLISHED).first()


@pghistory.track(model_name="ListVersionEvent")
class ListVersion(Guarded, models.Model):
    """清单版本: one version of a list — drafted, published, superseded when the next is published.
    Every version is kept with its items; a published one is not edited."""

    service_list = models.ForeignKey(
        ServiceList, verbose_name=_("清单"), related_name="versions", on_delete=models.CASCADE
    )
    number = models.PositiveIntegerField(_("版本号"), editable=False)
    note = models.CharField(
        _("版本说明"), max_length=200, blank=True, help_text=_("如“2026年修订：新增3项、删除2项”。")
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT, editable=False
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)
    reason = models.TextField(_("原因"), blank=True, editable=False)
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

    objects = ScopedManager()
    scope_path = "service_list__area__code"
    scope_hook = kept_here("service_list__area__code", draft_path="status")
    within_paths = ("service_list__area__code",)
    scope_hook_flat = True

    class Meta:
        verbose_name = _("清单版本")
        verbose_name_plural = _("清单版本")
        ordering = ["service_list__area__code", "service_list__kind", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["service_list", "number"], name="services_version_number"),
            models.UniqueConstraint(
                fields=["service_list"],
                condition=Q(status="published"),
                name="services_version_one_published",
                violation_error_message=_("该清单已有一个发布中的版本。"),
            ),
            models.UniqueConstraint(
                fields=["service_list"],
                condition=Q(status="draft"),
                name="services_version_one_draft",
                violation_error_message=_("该清单已有一个草稿版本，请先发布或删除它。"),
            ),
        ]

    def __str__(self):
        return _("{list}（第{number}版）").format(list=self.service_list, number=self.number)

    def save(self, *args, **kwargs):
        if self.number is None and self.service_list_id:
            last = ListVersion.objects.filter(service_list=self.service_list_id).aggregate(n=models.Max("number"))["n"]
            self.number = (last or 0) + 1
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("services:listversion_detail", args=[self.pk])

    def refuses(self, what):
        if self.status == VersionStatus.DRAFT:
            return ""
        if what == DELETE:
            return _("{version}已发布过，每个版本都须留存，不能删除。").format(version=self)
        return _("{version}已{status}，不能修改；请以它为基础起草新版本。").format(
            version=self, status=self.get_status_display()
        )

    def breadcrumb(self):
        return self.service_list.area.breadcrumb()


@pghistory.track(model_name="ListItemEvent")
class ListItem(Guarded, models.Model):
    """清单事项: an item of one version — its name, type, legal basis and responsible body, and for a
    public service its steps (办理流程), time limit (办理时限) and materials (所需材料)."""

    version = models.ForeignKey(ListVersion, verbose_name=_("清单版本"), related_name="items", on_delete=models.CASCADE)
    order = models.PositiveIntegerField(_("序号"), default=0)
    name = models.CharField(_("事项名称"), max_length=200)
    category = models.CharField(
        _("事项类型"),
        max_length=50,
        blank=True,
        help_text=_("准入清单填“自治事项”或“协助事项”；其他清单如“行政确认”“公共服务”。"),
    )
    legal_basis = models.TextField(_("法律依据"), blank=True)
    responsible = models.CharField(_("责任主体"), max_length=200, blank=True)
    steps = models.TextField(_("办理流程"), blank=True)
    time_limit = models.PositiveSmallIntegerField(
        _("办理时限（工作日）"), null=True, blank=True, validators=[MaxValueValidator(365)]
    )
    materials = models.TextField(_("所需材料"), blank=True)

    objects = ScopedManager()
    scope_path = "version__service_list__area__code"
    scope_hook = kept_here("version__service_list__area__code", draft_path="version__status")
    within_paths = ("version__service_list__area__code",)
    scope_hook_flat = True

    # The fields compared between versions (services/compare.py), in the order they are shown.
    COMPARED = ("category", "legal_basis", "responsible", "steps", "time_limit", "materials")
    # The item's fields in the order of the sheet a street keeps: its form, its page and its import
    # (services/forms.py, views.py, resources.py) say them here once.
    FIELDS = ("version", "order", "name", *COMPARED)

    class Meta:
        verbose_name = _("清单事项")
        verbose_name_plural = _("清单事项")
        ordering = ["version", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "name"],
                name="services_item_unique",
                violation_error_message=_("同一版本中已有同名事项。"),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("services:listitem_detail", args=[self.pk])

    def breadcrumb(self):
        return self.version.service_list.area.breadcrumb()

    def refuses(self, what):
        """An item of a published or superseded version is kept as it was (its version's words)."""
        return self.version.refuses(CHANGE) if self.version_id else ""

    def clean(self):
        if not self.version_id:
            return
        if self.version.status != VersionStatus.DRAFT:
            raise ValidationError(self.refuses(CHANGE))
        if self.version.service_list.kind == ListKind.ADMISSION and self.category not in AdmissionCategory.values:
            raise ValidationError({"category": _("准入清单的事项类型须为“自治事项”或“协助事项”。")})


@pghistory.track(model_name="GateTaskEvent")
class GateTask(Guarded, models.Model):
    """工作事项: a task a functional department pushes to a community. Named on the community's
    current admission list, it is admitted at once; otherwise it waits at the gate (准入) for the
    community's street to approve or refuse it, with who and when recorded (services/admission.py)."""

    department = models.ForeignKey(
        Department, verbose_name=_("交办部门"), related_name="gate_tasks", on_delete=models.PROTECT
    )
    community = models.ForeignKey(
        Area,
        verbose_name=_("承接社区"),
        related_name="gate_tasks",
        on_delete=models.PROTECT,
        limit_choices_to={"level": AreaLevel.COMMUNITY},
    )
    name = models.CharField(_("事项名称"), max_length=200)
    content = models.TextField(_("工作内容"), blank=True)
    due_on = models.DateField(_("完成时限"), null=True, blank=True)
    status = models.CharField(
        _("准入状态"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.STOPPED, editable=False
    )
    matched_item = models.ForeignKey(
        ListItem,
        verbose_name=_("对应准入事项"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        editable=False,
    )
    reason = models.TextField(_("审批意见"), blank=True, editable=False)
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
    pushed_at = models.DateTimeField(_("交办时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_path = "community__code"
    scope_hook_flat = True
    within_paths = ("community__code",)

    class Meta:
        verbose_name = _("工作事项")
        verbose_name_plural = _("准入事项")
        ordering = ["-pushed_at", "-pk"]
        indexes = [models.Index(fields=["status"], condition=Q(status="stopped"), name="services_task_stopped")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("services:gatetask_detail", args=[self.pk])

    def breadcrumb(self):
        return self.community.breadcrumb()

    def refuses(self, what):
        if what == DELETE and self.status != TaskStatus.STOPPED:
            return _("“{name}”已{status}，不能撤回。").format(name=self.name, status=self.get_status_display())
        return ""

    @classmethod
    def scope_hook(cls, user, action, scopes):
        """A department's users reach its own tasks — read them anywhere, push them to the communities
        of its area (changed or withdrawn only while stopped: the form, `delete`) — and nothing else
        of the communities; the areas read theirs by subtree (READ_TASKS, which no department holds)
        and the street decides over its communities."""
        departments = user_departments(user)
        own = Q(department__in=departments) if departments else Q(pk__in=[])
        if action == Action.VIEW:
            return scope_condition("community__code", user_scopes(user, READ_TASKS)) | own
        if action == PUSH_TASK:
            return own & scope_condition("community__code", scopes)
        return scope_condition("community__code", scopes)


# 吹哨报到: its models live in their own module (services/models_whistles.py), registered here.
# --- Residents' requests (诉求): their own module, loaded with the app's models ---------------------
from .models_requests import Deliberation, RequestCategory, ResidentRequest, RoutingRule  # noqa: E402, F401
from .models_whistles import ResponseStatus, Whistle, WhistleResponse, WhistleType  # noqa: E402, F401
