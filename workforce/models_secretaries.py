"""书记项目、述职评议与街长路长巷长 (issue 21; seeds 000 and 003).

- `SecretaryProject` (书记项目): the project a secretary of a district, street or community claims
  for the year — the secretary's area, name and year, title and goal, start and planned end, a
  status moved by declared steps (进行中 → 已完成 with its evidence, or → 已终止 with a reason:
  workforce/secretaries_flow.py) — with its own milestones (`SecretaryMilestone`). A project is
  late while it runs and a milestone is past due and not done, or its planned end has passed
  (`late_condition`: one SQL condition the lists, the widget and the source share).
- `SecretaryReport` (述职评议): a secretary's annual report and the review's votes 好 / 较好 / 一般
  / 差, counts of voters that must sum to the voters' total; the projects of the same area
  attached. Keyed by year: the assessment asks for a period's dates and the year of its end is the
  report's (workforce/indicators_secretaries.py).
- `Road` (街长、路长、巷长, seed 003): a named street, road or lane within a street — a record of its
  own, not an area level — with its chief (a vacancy when none is named) and the communities,
  grids and buildings along it, all under the same street.
"""

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import IdNumberField, PhoneField
from core.guard import Guarded
from orgs.choices import AreaLevel
from orgs.models import Area, AreaRecord
from orgs.scoping import Action, ScopedManager, scope_condition

from .permissions import READ_REVIEWS, READ_ROADS, READ_SECRETARY_PROJECTS

SECRETARY_LEVELS = (AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMUNITY)
ALONG_LEVELS = (AreaLevel.COMMUNITY, AreaLevel.GRID, AreaLevel.BUILDING)
YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class SecretaryProjectStatus(models.TextChoices):
    RUNNING = "running", _("进行中")
    COMPLETED = "completed", _("已完成")
    STOPPED = "stopped", _("已终止")


class RoadKind(models.TextChoices):
    STREET = "street", _("街")
    ROAD = "road", _("路")
    LANE = "lane", _("巷")


CHIEF_TITLES = {RoadKind.STREET: _("街长"), RoadKind.ROAD: _("路长"), RoadKind.LANE: _("巷长")}


def secretary_level_error(area):
    """The refusal of an area that has no secretary of a project or a report, or ""."""
    if area is not None and area.level not in SECRETARY_LEVELS:
        return _("书记项目和述职评议记在区、街道或社区，“{area}”是{level}。").format(
            area=area.name, level=area.get_level_display()
        )
    return ""


def secretary_area(verbose_name, related):
    return models.ForeignKey(
        Area,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        related_name=f"workforce_{related}_set",
        related_query_name=f"workforce_{related}",
        limit_choices_to={"level__in": SECRETARY_LEVELS},
    )


class SecretaryProject(Guarded, AreaRecord):
    """书记项目: a secretary's project of the year at their area (区、街道、社区), with its goal,
    milestones, status and evidence."""

    area = secretary_area(_("书记所在区划"), "secretaryproject")
    secretary = models.CharField(_("书记姓名"), max_length=40)
    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR_VALIDATORS)
    title = models.CharField(_("项目名称"), max_length=100)
    goal = models.TextField(_("项目目标"))
    started_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("计划完成日期"))
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=SecretaryProjectStatus.choices,
        default=SecretaryProjectStatus.RUNNING,
        editable=False,
    )
    evidence = models.FileField(_("佐证材料"), upload_to="workforce/secretaries/%Y/", max_length=255, blank=True)
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

    view_action = READ_SECRETARY_PROJECTS
    pick_search_fields = ("title", "secretary", "area__name")

    class Meta:
        verbose_name = _("书记项目")
        verbose_name_plural = _("书记项目")
        ordering = ["-year", "area__code", "pk"]
        indexes = [models.Index(fields=["year", "status"], name="workforce_secproj_year")]

    def __str__(self):
        return self.title

    def breadcrumb(self):
        return self.area.breadcrumb()

    def clean(self):
        super().clean()
        errors = {}
        if self.area_id:
            refusal = secretary_level_error(self.area)
            if refusal:
                errors["area"] = refusal
        if self.started_on and self.ends_on and self.ends_on < self.started_on:
            errors["ends_on"] = _("计划完成日期不能早于开始日期。")
        if self.pk and self.started_on:
            first = self.milestones.filter(due_on__lt=self.started_on).order_by("due_on").first()
            if first is not None:
                errors["started_on"] = _(
                    "节点“{title}”的计划完成日期 {due} 早于此开始日期：节点不能早于其项目。"
                ).format(title=first.title, due=first.due_on)
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.evidence and not self.evidence_name:
            self.evidence_name = self.evidence.name.rsplit("/", 1)[-1][:200]
        super().save(*args, **kwargs)

    def refuses(self, what):
        if self.pk and self.status != SecretaryProjectStatus.RUNNING:
            return _("“{title}”{state}，须原样留存，不能编辑或删除。").format(
                title=self.title, state=self.get_status_display()
            )
        return ""

    @property
    def is_late(self):
        return SecretaryProject.objects.filter(pk=self.pk).filter(late_condition()).exists()


def late_condition(today=None, prefix=""):
    """The Q of the late projects (through `prefix`, e.g. "project__"): running, and a milestone
    past due and not done, or the planned end passed. One condition for every list and figure."""
    today = today or timezone.localdate()
    overdue = SecretaryMilestone.objects.filter(
        project=OuterRef(f"{prefix}pk" if prefix else "pk"), due_on__lt=today, done_on__isnull=True
    )
    return Q(**{f"{prefix}status": SecretaryProjectStatus.RUNNING}) & (
        Q(**{f"{prefix}ends_on__lt": today}) | Exists(overdue)
    )


def milestone_before_project(project, due_on):
    """The refusal of a milestone due before its project started, or "" (form, API and import)."""
    if project is not None and due_on and project.started_on and due_on < project.started_on:
        return _("节点的计划完成日期 {due} 早于项目开始日期 {start}：节点不能早于其项目。").format(
            due=due_on, start=project.started_on
        )
    return ""


@pghistory.track(model_name="SecretaryMilestoneEvent")
class SecretaryMilestone(Guarded, models.Model):
    """书记项目节点: a step of a secretary's project, due by a day, done on a day, with a note and
    its evidence."""

    project = models.ForeignKey(
        SecretaryProject, verbose_name=_("书记项目"), related_name="milestones", on_delete=models.CASCADE
    )
    title = models.CharField(_("节点"), max_length=100)
    due_on = models.DateField(_("计划完成日期"))
    done_on = models.DateField(_("实际完成日期"), null=True, blank=True)
    note = models.CharField(_("进展说明"), max_length=300, blank=True)
    evidence = models.FileField(_("佐证材料"), upload_to="workforce/milestones/%Y/", max_length=255, blank=True)
    evidence_name = models.CharField(_("材料文件名"), max_length=200, blank=True, editable=False)

    objects = ScopedManager()
    view_action = READ_SECRETARY_PROJECTS
    scope_path = "project__area__code"

    class Meta:
        verbose_name = _("书记项目节点")
        verbose_name_plural = _("书记项目节点")
        ordering = ["project", "due_on", "pk"]

    def __str__(self):
        return f"{self.project} · {self.title}"

    def save(self, *args, **kwargs):
        if self.evidence and not self.evidence_name:
            self.evidence_name = self.evidence.name.rsplit("/", 1)[-1][:200]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("workforce:secretarymilestone_detail", args=[self.pk])

    def breadcrumb(self):
        return self.project.area.breadcrumb()

    def clean(self):
        super().clean()
        if not self.project_id:
            return
        errors = {}
        refusal = milestone_before_project(self.project, self.due_on)
        if refusal:
            errors["due_on"] = refusal
        if self.done_on and self.done_on > timezone.localdate():
            errors["done_on"] = _("实际完成日期不能晚于今天。")
        if errors:
            raise ValidationError(errors)

    def refuses(self, what):
        if self.project_id and self.project.status != SecretaryProjectStatus.RUNNING:
            return _("书记项目“{title}”{state}，其节点不能再修改。").format(
                title=self.project.title, state=self.project.get_status_display()
            )
        return ""

    @property
    def is_late(self):
        return self.done_on is None and self.due_on < timezone.localdate()


VOTES = ("good", "fairly_good", "fair", "poor")


class SecretaryReport(Guarded, AreaRecord):
    """述职评议: a secretary's annual report (述职) and the review's votes (好 / 较好 / 一般 / 差, as
    counts of voters, each shown as a share), with the projects of the same area it reports on."""

    area = secretary_area(_("书记所在区划"), "secretaryreport")
    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR_VALIDATORS)
    secretary = models.CharField(_("书记姓名"), max_length=40)
    reported_on = models.DateField(_("述职日期"))
    summary = models.TextField(_("述职摘要"), blank=True)
    projects = models.ManyToManyField(
        SecretaryProject, verbose_name=_("述职书记项目"), related_name="reports", blank=True
    )
    voters = models.PositiveIntegerField(_("评议人数"))
    good = models.PositiveIntegerField(_("好"), default=0)
    fairly_good = models.PositiveIntegerField(_("较好"), default=0)
    fair = models.PositiveIntegerField(_("一般"), default=0)
    poor = models.PositiveIntegerField(_("差"), default=0)

    view_action = READ_REVIEWS

    class Meta:
        verbose_name = _("述职评议")
        verbose_name_plural = _("述职评议")
        ordering = ["-year", "area__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year"],
                name="workforce_report_unique",
                violation_error_message=_("该区划该年度已有述职评议，请修改原记录。"),
            ),
            models.CheckConstraint(
                condition=Q(voters=models.F("good") + models.F("fairly_good") + models.F("fair") + models.F("poor")),
                name="workforce_report_votes_sum",
                violation_error_message=_("好、较好、一般、差的票数之和须等于评议人数。"),
            ),
        ]

    def __str__(self):
        return _("{secretary}{year}年度述职评议").format(secretary=self.secretary, year=self.year)

    def breadcrumb(self):
        return self.area.breadcrumb()

    def clean(self):
        super().clean()
        errors = {}
        if self.area_id:
            refusal = secretary_level_error(self.area)
            if refusal:
                errors["area"] = refusal
        counts = [getattr(self, name) for name in VOTES]
        if any(count is not None and count < 0 for count in counts) or (self.voters is not None and self.voters < 0):
            errors["voters"] = _("评议人数和各档票数不能为负数。")
        elif self.voters is not None and None not in counts and sum(counts) != self.voters:
            errors["voters"] = _("好、较好、一般、差的票数之和（{total}）须等于评议人数（{voters}）。").format(
                total=sum(counts), voters=self.voters
            )
        elif self.voters == 0:
            errors["voters"] = _("评议人数须大于零。")
        if errors:
            raise ValidationError(errors)

    def share(self, name):
        return getattr(self, name) / self.voters if self.voters else None

    @property
    def good_share(self):
        """好评率: (好 + 较好) / 评议人数."""
        return (self.good + self.fairly_good) / self.voters if self.voters else None


def projects_of_other_area(area, projects):
    """The refusal of attaching projects of another area than the report's, or ""."""
    others = [str(p) for p in projects if area is not None and p.area_id != area.pk]
    if others:
        return _("只能附上本区划书记的项目：{names}不是{area}的。").format(names="、".join(others), area=area.name)
    return ""


class Road(Guarded, AreaRecord):
    """街长、路长、巷长 (seed 003): a named street, road or lane within a street (a record of its own,
    not an area level), its chief (街长 / 路长 / 巷长 by its kind; none named: a vacancy) and the
    communities, grids and buildings along it, under the same street."""

    area = models.ForeignKey(
        Area,
        verbose_name=_("街道"),
        on_delete=models.PROTECT,
        related_name="workforce_road_set",
        related_query_name="workforce_road",
        limit_choices_to={"level": AreaLevel.STREET},
    )
    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("类型"), max_length=8, choices=RoadKind.choices)
    chief_name = models.CharField(_("街（路、巷）长"), max_length=40, blank=True)
    chief_phone = PhoneField(_("街（路、巷）长电话"))
    chief_id_number = IdNumberField(_("街（路、巷）长身份证号"))
    chief_since = models.DateField(_("任职日期"), null=True, blank=True)
    along = models.ManyToManyField(
        Area,
        verbose_name=_("沿线小区、网格和楼栋"),
        related_name="workforce_roads_along",
        blank=True,
        limit_choices_to={"level__in": ALONG_LEVELS},
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    view_action = READ_ROADS
    scope_hook_flat = True  # `area` in scope, or `id IN (…)`: no row multiplied

    class Meta:
        verbose_name = _("街路巷")
        verbose_name_plural = _("街长路长巷长")
        ordering = ["area__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "name"],
                name="workforce_road_unique",
                violation_error_message=_("该街道已有同名的街路巷。"),
            )
        ]

    def __str__(self):
        return self.name

    def breadcrumb(self):
        return self.area.breadcrumb()

    @classmethod
    def scope_hook(cls, user, action, scopes):
        """The street's roads by its subtree; reading, also the roads along an area in scope: a
        community's cadre and a grid's worker read the roads that pass them (not keep them)."""
        condition = scope_condition("area__code", scopes)
        if action == Action.VIEW:
            along = Road.along.through.objects.filter(scope_condition("area__code", scopes)).values("road_id")
            condition |= Q(pk__in=along)
        return condition

    @property
    def chief_title(self):
        return CHIEF_TITLES.get(self.kind, _("街（路、巷）长"))

    @property
    def vacant(self):
        return not self.chief_name

    def clean(self):
        super().clean()
        errors = {}
        if self.area_id and self.area.level != AreaLevel.STREET:
            errors["area"] = _("街路巷属于街道，“{area}”是{level}。").format(
                area=self.area.name, level=self.area.get_level_display()
            )
        if not self.chief_name and (self.chief_phone or self.chief_id_number or self.chief_since):
            errors["chief_name"] = _("填写了{title}的电话、身份证号或任职日期，请同时填写姓名。").format(
                title=self.chief_title
            )
        if errors:
            raise ValidationError(errors)


def along_errors(street, areas):
    """The refusal of areas along a road that are not communities, grids or buildings under its
    street, naming them, or "" (form, API and import alike)."""
    if street is None:
        return ""
    outside = [a for a in areas if not a.code.startswith(street.code) or a.code == street.code]
    if outside:
        return _("沿线的{names}不在{street}内。").format(names="、".join(a.name for a in outside), street=street.name)
    wrong = [a for a in areas if a.level not in ALONG_LEVELS]
    if wrong:
        return _("沿线只能选社区（小区）、网格或楼栋：{names}不是。").format(names="、".join(a.name for a in wrong))
    return ""
