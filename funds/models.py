"""The funds app (issue 20): demands, resources and projects with two-way claiming (双向认领,
seeds 004 and 001), and community funding with its public notice (经费与公示, seeds 001 and 000).

`Project` is what both halves meet on: a claim creates one (funds/models_projects.py adds the
demands, resources and claims), and spending is recorded against one (funds/models_funding.py).
Both modules are loaded with the app's models here."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.guard import DELETE, Guarded
from orgs.models import AreaLevel, AreaRecord
from orgs.scoping import Action, scope_condition
from party.choices import ServiceTeam

from .permissions import KEEP_MILESTONES, READ_PROJECTS


class ProjectStatus(models.TextChoices):
    RUNNING = "running", _("实施中")
    CLOSED = "closed", _("已结项")
    STOPPED = "stopped", _("已终止")


class ProviderKind(models.TextChoices):
    """Who offers a resource or claims a demand (seeds 004, 001)."""

    UNIT = "unit", _("报到单位")
    ORGANISATION = "organisation", _("党组织")
    PROPERTY = "property", _("物业企业")
    TEAM = "team", _("五彩志愿服务队")


class ClaimKind(models.TextChoices):
    """How a project came: a provider claimed a demand, or a community a resource."""

    DEMAND = "demand", _("认领需求（党员接单、单位认领）")
    RESOURCE = "resource", _("认领资源（社区派单、群众点单）")


# The property company a provider may be: named by its model label and linked by content type and
# id (as a whistle links a compound), so that funds imports nothing of property (independence contract).
PROPERTY_COMPANY = "property.propertycompany"


class Provided(models.Model):
    """The provider of a resource or of a project (the side that serves): a reporting unit, a party
    organisation (party's models), a property company (a generic link: property is not imported),
    or a 五彩 volunteer team (party's ServiceTeam, of the record's community); its name kept."""

    provider_kind = models.CharField(_("提供方类型"), max_length=16, choices=ProviderKind.choices, blank=True)
    unit = models.ForeignKey(
        "party.ReportingUnit",
        verbose_name=_("报到单位"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    organisation = models.ForeignKey(
        "party.PartyOrganisation",
        verbose_name=_("党组织"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    provider_type = models.ForeignKey(
        ContentType, verbose_name=_("提供方对象类型"), null=True, blank=True, on_delete=models.PROTECT, editable=False
    )
    provider_id = models.PositiveIntegerField(_("提供方对象编号"), null=True, blank=True, editable=False)
    team = models.CharField(_("志愿服务队"), max_length=16, blank=True, choices=ServiceTeam.choices)
    provider_label = models.CharField(_("提供方"), max_length=200, blank=True, editable=False)

    class Meta:
        abstract = True


class Project(Guarded, Provided, AreaRecord):
    """项目: work done for residents in a community — at the community, or at one of its grids where
    a claimed demand was placed (its area; `community`, `done_in`) — with owners on both sides: the
    community's, and the provider that claimed its demand or whose resource it claimed. It has
    milestones, a status moved by declared steps (结项 with evidence, 终止 with a reason), money
    spent against it from the community's allocations (funds/models_funding.py), and the hours of
    its volunteers read from the 双报到 service log (ProjectService), never typed twice."""

    title = models.CharField(_("项目名称"), max_length=100)
    description = models.TextField(_("项目内容"), blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.RUNNING, editable=False
    )
    started_on = models.DateField(_("开始日期"))
    due_on = models.DateField(_("计划完成日期"), null=True, blank=True)
    closed_on = models.DateField(_("结项日期"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # What a claim links (funds/models_projects.py): the demand claimed, or the resource and how much
    # of it the project takes (counted against what it offered).
    demand = models.ForeignKey(
        "funds.Demand",
        verbose_name=_("需求"),
        null=True,
        blank=True,
        related_name="projects",
        on_delete=models.PROTECT,
        editable=False,
    )
    resource = models.ForeignKey(
        "funds.Resource",
        verbose_name=_("资源"),
        null=True,
        blank=True,
        related_name="projects",
        on_delete=models.PROTECT,
        editable=False,
    )
    resource_quantity = models.DecimalField(
        _("使用资源数量"), max_digits=12, decimal_places=2, null=True, blank=True, editable=False
    )
    claim_kind = models.CharField(_("认领方式"), max_length=16, choices=ClaimKind.choices, blank=True, editable=False)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("认领人"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        editable=False,
    )
    report = models.TextField(_("结项情况"), blank=True, editable=False)
    evidence = models.FileField(
        _("结项材料"), upload_to="funds/projects/%Y/%m/", max_length=255, blank=True, editable=False
    )
    evidence_name = models.CharField(_("材料文件名"), max_length=200, blank=True, editable=False)
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

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["-started_on", "-pk"]

    def __str__(self):
        return self.title

    def breadcrumb(self):
        return self.area.breadcrumb()

    @property
    def community(self):
        """The community the project is done in: its area, or the community of its grid."""
        return self.area.parent if self.area.level == AreaLevel.GRID else self.area

    @staticmethod
    def done_in(community):
        """The condition on projects done in `community` (an Area, its pk or its code): at it, or at
        one of its grids (a claimed demand's place)."""
        key = "code" if isinstance(community, str) else "pk"
        value = community.pk if isinstance(community, models.Model) else community
        return Q(**{f"area__{key}": value}) | Q(**{f"area__parent__{key}": value, "area__level": AreaLevel.GRID})

    reached_by_accounts = True  # a reporting unit's own account reaches its unit's (core.gate)
    @classmethod
    def scope_hook(cls, user, action, scopes):
        """The community's side by its subtree; the provider's side — a reporting unit's own account
        — reads the projects its unit owns and keeps their milestones."""
        condition = scope_condition("area__code", scopes)
        if action in (Action.VIEW, KEEP_MILESTONES) and getattr(user, "pk", None):
            condition |= Q(unit__users=user)
        return condition

    def refuses(self, what):
        """A closed or stopped project is kept as it ended; one a claim created is stopped, not deleted."""
        if self.status != ProjectStatus.RUNNING:
            return _("“{title}”{state}，不能编辑或删除。").format(title=self.title, state=self.get_status_display())
        if what == DELETE and (self.demand_id or self.resource_id):
            return _("“{title}”由认领产生，不能删除；如不再实施，请终止项目。").format(title=self.title)
        return ""


from .models_funding import Allocation, Expenditure, FundNotice  # noqa: E402, F401  (经费 and 公示)
from .models_projects import Demand, ProjectMilestone, ProjectService, Resource  # noqa: E402, F401
