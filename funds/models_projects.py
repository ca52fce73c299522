"""需求、资源与项目 — 双向认领 (issue 20; seeds 004 and 001): communities and grids post demands
(需求) of their residents; providers — reporting units, party organisations, property companies and
the 五彩 volunteer teams — offer resources (资源) for the areas they serve; either side claims the
other's item (党员接单、单位认领 a demand; 社区派单、群众点单 a resource), which creates a Project
(funds/models.py) owned by both: the community where it is done and the provider who serves.

Who reaches what (the scope hooks below): the street, the community and the grid read and keep by
their subtree; a reporting unit's own account (danwei) reads the open demands of the communities
its members report to (or it registered with) and claims them, and reads the projects its unit
owns (and their demands) and keeps their milestones — nothing else of the community. A resource
is read and claimed by the areas it serves (an area within one it serves, or above it) and kept
by the office where it is registered.

The volunteers' hours are not typed twice: a project's service records are party's ServiceRecord
rows (the 双报到 service log), each tied to at most one project by a ProjectService row of funds —
funds reads party's models, party knows nothing of funds (the import contracts) — and the hours
are summed from them in SQL."""

import datetime
from decimal import Decimal

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.guard import CHANGE, DELETE, Guarded
from orgs.choices import AreaLevel
from orgs.models import Area, AreaRecord
from orgs.scoping import Action, ScopedManager, scope_condition

from .models import Project, ProjectStatus, Provided, ProviderKind
from .permissions import CLAIM_DEMAND, CLAIM_RESOURCE, READ_PROJECTS, is_unit_account

DEMAND_LEVELS = (AreaLevel.COMMUNITY, AreaLevel.GRID)


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("较急")
    CRITICAL = "critical", _("紧急")


class DemandStatus(models.TextChoices):
    OPEN = "open", _("待认领")
    CLAIMED = "claimed", _("已认领")
    CLOSED = "closed", _("已关闭")


class ResourceStatus(models.TextChoices):
    OPEN = "open", _("可认领")
    USED_UP = "used_up", _("已用完")
    WITHDRAWN = "withdrawn", _("已撤回")


def unit_communities(user):
    """The ids of the communities a reporting unit's account is open to: where its unit's in-service
    members report, and where its unit registered (双报到), as one `id IN (… UNION …)` subquery."""
    from party.models import InServiceMember, UnitRegistration

    members = InServiceMember.objects.order_by().filter(unit__users=user).values("community")
    registered = UnitRegistration.objects.order_by().filter(unit__users=user).values("community")
    return members.union(registered)


class Demand(Guarded, AreaRecord):
    """需求: what residents of a community or a grid need, how urgent, for how many people."""

    title = models.CharField(_("需求事项"), max_length=100)
    description = models.TextField(_("需求描述"), blank=True)
    urgency = models.CharField(_("紧急程度"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    people = models.PositiveIntegerField(_("受益人数"), default=1, validators=[MinValueValidator(1)])
    status = models.CharField(
        _("状态"), max_length=16, choices=DemandStatus.choices, default=DemandStatus.OPEN, editable=False
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        editable=False,
    )
    posted_at = models.DateTimeField(_("发布时间"), default=timezone.now, editable=False)
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True, editable=False)
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

    view_action = READ_PROJECTS  # not a functional department's to read
    pick_search_fields = ("title",)

    class Meta:
        verbose_name = _("需求")
        verbose_name_plural = _("需求清单")
        ordering = ["-posted_at", "-pk"]
        indexes = [models.Index(fields=["status", "posted_at"], name="funds_demand_open")]

    def __str__(self):
        return self.title

    def breadcrumb(self):
        return self.area.breadcrumb()

    reached_by_accounts = True  # a reporting unit's own account reaches the demands open to it (core.gate)
    @classmethod
    def scope_hook(cls, user, action, scopes):
        """By subtree; a unit's account: the open demands open to it (reading and claiming) and, to
        read, the demands its unit's projects came from."""
        condition = scope_condition("area__code", scopes)
        if action in (Action.VIEW, CLAIM_DEMAND) and is_unit_account(user):
            communities = unit_communities(user)
            condition |= Q(status=DemandStatus.OPEN) & (Q(area__in=communities) | Q(area__parent__in=communities))
            if action == Action.VIEW:
                condition |= Q(projects__unit__users=user)
        return condition

    def clean(self):
        if self.area_id and self.area.level not in DEMAND_LEVELS:
            raise ValidationError(
                {
                    "area": _("需求须发布在社区或网格，“{area}”是{level}。").format(
                        area=self.area.name, level=self.area.get_level_display()
                    )
                }
            )

    def refuses(self, what):
        if self.status == DemandStatus.CLAIMED:
            return _("需求“{title}”已被认领，不能编辑或删除。").format(title=self.title)
        if self.status == DemandStatus.CLOSED:
            return _("需求“{title}”已关闭，不能编辑或删除。").format(title=self.title)
        return ""

    @property
    def days_open(self):
        end = self.claimed_at or timezone.now()
        return (timezone.localdate(end) - timezone.localdate(self.posted_at)).days


class Resource(Guarded, Provided, AreaRecord):
    """资源: what a provider offers — how much (a quantity in a unit), when, for which areas. Each
    claim takes part of it for a project; the rest stays to be claimed until it is used up."""

    title = models.CharField(_("资源名称"), max_length=100)
    description = models.TextField(_("资源内容"), blank=True)
    quantity = models.DecimalField(
        _("提供数量"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("按计量单位填写，如 20（人次）、40（小时）、2（场）。"),
    )
    measure = models.CharField(_("计量单位"), max_length=10, help_text=_("如 人次、小时、场、次、平方米。"))
    available_from = models.DateField(_("提供开始日期"), default=timezone.localdate)
    available_to = models.DateField(_("提供截止日期"), null=True, blank=True)
    serves = models.ManyToManyField(
        Area, verbose_name=_("服务区域"), related_name="+", help_text=_("资源面向的街道、社区或网格（含其下级）。")
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=ResourceStatus.choices, default=ResourceStatus.OPEN, editable=False
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        editable=False,
    )
    posted_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)
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

    view_action = READ_PROJECTS
    pick_search_fields = ("title",)

    class Meta:
        verbose_name = _("资源")
        verbose_name_plural = _("资源清单")
        ordering = ["-posted_at", "-pk"]

    def __str__(self):
        return self.title

    def breadcrumb(self):
        return self.area.breadcrumb()

    @classmethod
    def scope_hook(cls, user, action, scopes):
        """Kept where it is registered; read and claimed also by the areas it serves: an area within
        one it serves (a street's resource, by each of its communities), or above it."""
        condition = scope_condition("area__code", scopes)
        if action in (Action.VIEW, CLAIM_RESOURCE):
            for scope in scopes:
                ancestors = [scope.code[:n] for n in range(2, len(scope.code) + 1)]
                condition |= Q(serves__code__startswith=scope.code) | Q(serves__code__in=ancestors)
        return condition

    def clean(self):
        errors = {}
        if self.available_to and self.available_from and self.available_to < self.available_from:
            errors["available_to"] = _("提供截止日期不能早于开始日期。")
        errors.update(provider_errors(self))
        if self.pk and self.quantity is not None:
            used = self.used()
            if self.quantity < used:
                errors["quantity"] = _("已被认领 {used}{measure}，提供数量不能少于已认领的数量。").format(
                    used=f"{used.normalize():f}", measure=self.measure
                )
        if errors:
            raise ValidationError(errors)

    def refuses(self, what):
        if what == DELETE and self.pk and self.projects.exists():
            return _("资源“{title}”已被认领，不能删除；如不再提供，请撤回。").format(title=self.title)
        if what == CHANGE and self.status == ResourceStatus.WITHDRAWN:
            return _("资源“{title}”已撤回，不能编辑。").format(title=self.title)
        return ""

    def used(self):
        """How much of it the claims took (the projects not stopped), summed in SQL."""
        return self.projects.exclude(status=ProjectStatus.STOPPED).aggregate(
            n=Coalesce(Sum("resource_quantity"), models.Value(0), output_field=models.DecimalField())
        )["n"]

    def remaining(self):
        return self.quantity - self.used()


def provider_errors(record):
    """The provider said once and whole: the kind's own choice, and nothing of another kind."""
    kind = record.provider_kind
    needs = {
        ProviderKind.UNIT: ("unit_id", _("请选择报到单位。")),
        ProviderKind.ORGANISATION: ("organisation_id", _("请选择党组织。")),
        ProviderKind.PROPERTY: ("provider_id", _("请选择物业企业。")),
        ProviderKind.TEAM: ("team", _("请选择五彩志愿服务队。")),
    }
    if kind not in needs:
        return {"provider_kind": _("请选择提供方类型。")}
    name, message = needs[kind]
    if not getattr(record, name):
        return {
            {"unit_id": "unit", "organisation_id": "organisation", "provider_id": "company"}.get(name, name): message
        }
    return {}


def unclaimed_days():
    return getattr(settings, "FUNDS_UNCLAIMED_DAYS", 14)


def unclaimed(queryset, today=None):
    """The demands of `queryset` still open FUNDS_UNCLAIMED_DAYS days or more after they were posted."""
    today = today or timezone.localdate()
    since = datetime.datetime.combine(today - datetime.timedelta(days=unclaimed_days()), datetime.time.max)
    return queryset.filter(status=DemandStatus.OPEN, posted_at__lte=timezone.make_aware(since))


def project_hook():
    """A project's part (a milestone, a service record) is reached as its project: by subtree, and
    the owning unit's account reads and keeps it — as `project_id IN (…)`."""

    def hook(cls, user, action, scopes):
        return Q(project__in=Project._base_manager.filter(Project.scope_hook(user, action, scopes)).values("pk"))

    return classmethod(hook)


@pghistory.track(model_name="ProjectMilestoneEvent")
class ProjectMilestone(Guarded, models.Model):
    """项目节点: a step of a project, due by a day, done on a day."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), related_name="milestones", on_delete=models.CASCADE)
    title = models.CharField(_("节点"), max_length=100)
    due_on = models.DateField(_("计划完成日期"))
    done_on = models.DateField(_("实际完成日期"), null=True, blank=True)

    objects = ScopedManager()
    view_action = READ_PROJECTS
    scope_path = "project__area__code"

    class Meta:
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        ordering = ["project", "due_on", "pk"]

    def __str__(self):
        return f"{self.project} · {self.title}"

    def get_absolute_url(self):
        return reverse("funds:projectmilestone_detail", args=[self.pk])

    def breadcrumb(self):
        return self.project.area.breadcrumb()

    reached_by_accounts = True  # a reporting unit's own account reaches its unit's (core.gate)
    scope_hook = project_hook()
    scope_hook_flat = True  # the hook is `project_id IN (…)`

    def clean(self):
        if self.project_id and self.done_on and self.done_on > timezone.localdate():
            raise ValidationError({"done_on": _("实际完成日期不能晚于今天。")})

    def refuses(self, what):
        if self.project_id and self.project.status != ProjectStatus.RUNNING:
            return _("项目“{title}”{state}，其节点不能再修改。").format(
                title=self.project.title, state=self.project.get_status_display()
            )
        return ""


@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent(), model_name="ProjectServiceEvent")
class ProjectService(models.Model):
    """A 双报到 service record (party's ServiceRecord) counted for a project: its hours are the
    project's, read from the service log, never typed again. A record counts for one project."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), related_name="services", on_delete=models.CASCADE)
    record = models.OneToOneField(
        "party.ServiceRecord", verbose_name=_("服务记录"), related_name="+", on_delete=models.CASCADE
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("关联人"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        editable=False,
    )
    linked_at = models.DateTimeField(_("关联时间"), default=timezone.now, editable=False)

    objects = ScopedManager()
    view_action = READ_PROJECTS
    scope_path = "project__area__code"
    reached_by_accounts = True  # a reporting unit's own account reaches its unit's (core.gate)
    scope_hook = project_hook()
    scope_hook_flat = True

    class Meta:
        verbose_name = _("项目服务记录")
        verbose_name_plural = _("项目服务记录")
        ordering = ["project", "pk"]

    def __str__(self):
        return f"{self.project} · {self.record}"

    def get_absolute_url(self):
        return self.project.get_absolute_url()


def project_hours(project):
    """The volunteers' hours of a project: the sum of its service records' hours (Decimal)."""
    return ProjectService.objects.filter(project=project).aggregate(
        n=Coalesce(Sum("record__hours"), models.Value(0), output_field=models.DecimalField())
    )["n"]
