"""The annual evaluation and credit rating of property companies (物业服务质量评价, seed 001).

Each year a scheme (评价方案) says the items (党建引领, 服务质量 …) with their maximum scores, the
weight of each scorer kind and the grade thresholds (A/B/C/D). For a company × compound × year
(`PropertyEvaluation`), the community enters three score sheets — by the community party
organisation, the owners' committee and the owners' representatives — each once; a sheet is seen
by whom entered it until all three are in; then the weighted total and the grade are computed
(property/evaluation.py). The community submits, the street gives its opinion, and the housing
department that registered the company confirms: declared steps (core/transitions.py).

Complaints and 3+X mediated disputes (住建、司法、法院) are recorded against a company; the
双随机一公开 inspections draw a company and an inspector at random, keep the seed, and once their
result is published are seen by every area the company serves."""

from decimal import Decimal

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.guard import DELETE, Guarded
from orgs.models import Department
from orgs.scoping import Action, ScopedManager, can_anywhere, scope_condition, user_departments

from .permissions import housing_departments
from .permissions_evaluation import CONFIGURE_EVALUATION, CONFIRM_EVALUATION, SUPERVISE

YEAR = [MinValueValidator(2000), MaxValueValidator(2100)]


class ScorerKind(models.TextChoices):
    """The three scorers of seed 001: 社区党组织牵头，组织业委会、业主代表打分."""

    PARTY = "party", _("社区党组织")
    COMMITTEE = "committee", _("业主委员会")
    OWNERS = "owners", _("业主代表")


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("评分中")
    SUBMITTED = "submitted", _("已上报街道")
    REVIEWED = "reviewed", _("街道已审核")
    CONFIRMED = "confirmed", _("住建已确认")
    RETURNED = "returned", _("已退回")


class Grade(models.TextChoices):
    A = "A", _("A级")
    B = "B", _("B级")
    C = "C", _("C级")
    D = "D", _("D级")


class CaseKind(models.TextChoices):
    COMPLAINT = "complaint", _("投诉")
    MEDIATION = "mediation", _("3+X纠纷调解")


class Mediator(models.TextChoices):
    """3+X (seed 001): 住建、司法、法院 three resources, and the other units concerned."""

    HOUSING = "housing", _("住建")
    JUSTICE = "justice", _("司法")
    COURT = "court", _("法院")
    JOINT = "joint", _("联合调处")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("办理中")
    CLOSED = "closed", _("已办结")


class InspectionConclusion(models.TextChoices):
    PASSED = "passed", _("合格")
    IMPROVE = "improve", _("基本合格，限期整改")
    FAILED = "failed", _("不合格")


class CityWideSchemes(models.QuerySet):
    """The schemes are the whole city's: read by anyone with a scope, kept by the housing departments."""

    def scoped(self, user, action=Action.VIEW):
        if getattr(user, "is_superuser", False) and user.is_active:
            return self.all()
        if action == Action.VIEW:
            return self.all() if can_anywhere(user, Action.VIEW) or housing_departments(user) else self.none()
        if action == CONFIGURE_EVALUATION:
            return self.all() if housing_departments(user) else self.none()
        return self.none()


@pghistory.track(model_name="EvaluationSchemeEvent")
class EvaluationScheme(models.Model):
    """评价方案: a year's items, the weight of each scorer kind, and the grade thresholds."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True, validators=YEAR)
    name = models.CharField(_("名称"), max_length=100)
    weight_party = models.PositiveSmallIntegerField(
        _("社区党组织权重(%)"), default=40, validators=[MaxValueValidator(100)]
    )
    weight_committee = models.PositiveSmallIntegerField(
        _("业主委员会权重(%)"), default=30, validators=[MaxValueValidator(100)]
    )
    weight_owners = models.PositiveSmallIntegerField(
        _("业主代表权重(%)"), default=30, validators=[MaxValueValidator(100)]
    )
    grade_a = models.DecimalField(_("A级线"), max_digits=5, decimal_places=2, default=Decimal(90))
    grade_b = models.DecimalField(_("B级线"), max_digits=5, decimal_places=2, default=Decimal(80))
    grade_c = models.DecimalField(_("C级线"), max_digits=5, decimal_places=2, default=Decimal(60))

    objects = models.Manager.from_queryset(CityWideSchemes)()

    class Meta:
        verbose_name = _("评价方案")
        verbose_name_plural = _("评价方案")
        ordering = ["-year"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("property:evaluationscheme_detail", args=[self.pk])

    def weight(self, kind):
        return getattr(self, f"weight_{kind}")

    def scored(self):
        """Whether any sheet was scored on it: then its items, weights and thresholds stay as they were."""
        return self.pk is not None and ScoreSheet.objects.filter(evaluation__scheme=self).exists()

    def clean(self):
        if self.scored():
            raise ValidationError(_("该方案已有评分表，不能再修改；如需调整，请为新的年度建立方案。"))
        errors = {}
        weights = (self.weight_party or 0) + (self.weight_committee or 0) + (self.weight_owners or 0)
        if weights != 100:
            errors["weight_owners"] = _("三类评分主体的权重之和须为 100，现为 {n}。").format(n=weights)
        a, b, c = self.grade_a, self.grade_b, self.grade_c
        if None not in (a, b, c) and not (100 >= a > b > c >= 0):
            errors["grade_c"] = _("等级线须满足 100 ≥ A级线 > B级线 > C级线 ≥ 0。")
        if errors:
            raise ValidationError(errors)


@pghistory.track(model_name="SchemeItemEvent")
class SchemeItem(models.Model):
    """评价项目: an item of a scheme and its maximum score."""

    scheme = models.ForeignKey(
        EvaluationScheme, verbose_name=_("评价方案"), related_name="items", on_delete=models.CASCADE
    )
    name = models.CharField(_("项目"), max_length=50)
    max_score = models.DecimalField(
        _("满分"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    description = models.CharField(_("评分要点"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    objects = models.Manager.from_queryset(CityWideSchemes)()

    class Meta:
        verbose_name = _("评价项目")
        verbose_name_plural = _("评价项目")
        ordering = ["scheme", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "name"],
                name="property_scheme_item_unique",
                violation_error_message=_("该方案已有同名评价项目。"),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("property:schemeitem_detail", args=[self.pk])

    def clean(self):
        if self.scheme_id and self.scheme.scored():
            raise ValidationError(_("该方案已有评分表，不能再修改其评价项目；如需调整，请为新的年度建立方案。"))


def in_company_departments(user):
    return Q(company__department__in=housing_departments(user))


@pghistory.track(model_name="PropertyEvaluationEvent")
class PropertyEvaluation(Guarded, models.Model):
    """物业服务质量评价: a company in a compound for a year — three score sheets, the weighted total
    and the grade; submitted by the community, reviewed by the street, confirmed by the housing
    department (住建) that registered the company."""

    company = models.ForeignKey(
        "property.PropertyCompany", verbose_name=_("物业企业"), related_name="evaluations", on_delete=models.PROTECT
    )
    compound = models.ForeignKey(
        "property.Compound", verbose_name=_("小区"), related_name="evaluations", on_delete=models.PROTECT
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR)
    scheme = models.ForeignKey(
        EvaluationScheme, verbose_name=_("评价方案"), related_name="evaluations", on_delete=models.PROTECT
    )
    total = models.DecimalField(_("综合得分"), max_digits=5, decimal_places=2, null=True, blank=True, editable=False)
    grade = models.CharField(_("等级"), max_length=1, choices=Grade.choices, blank=True, editable=False)
    status = models.CharField(
        _("状态"), max_length=16, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT, editable=False
    )
    reason = models.TextField(_("意见/原因"), blank=True, editable=False)
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
    scope_hook_flat = True
    within_paths = ("compound__community__code",)

    class Meta:
        verbose_name = _("物业服务质量评价")
        verbose_name_plural = _("物业服务质量评价")
        ordering = ["-year", "compound__community__code", "compound__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "compound", "year"],
                name="property_evaluation_unique",
                violation_error_message=_("该企业在该小区本年度已有评价。"),
            )
        ]
        indexes = [models.Index(fields=["year", "status"], name="property_evaluation_year")]

    def __str__(self):
        return _("{company} · {compound} · {year}年").format(
            company=self.company, compound=self.compound, year=self.year
        )

    def get_absolute_url(self):
        return reverse("property:propertyevaluation_detail", args=[self.pk])

    @classmethod
    def scope_hook(cls, user, action, scopes):
        """Entered, submitted and reviewed where its compound lies; confirmed by the housing
        department that registered the company, which also reads its companies' evaluations."""
        if action == CONFIRM_EVALUATION:
            return in_company_departments(user)
        condition = scope_condition("compound__community__code", scopes)
        if action == Action.VIEW and user_departments(user):
            condition |= in_company_departments(user)
        return condition

    def breadcrumb(self):
        return self.compound.community.breadcrumb()

    @property
    def area(self):
        return self.compound.community

    def refuses(self, what):
        """Changed and deleted only while the community enters it (draft, or returned to it)."""
        if self.status in (EvaluationStatus.DRAFT, EvaluationStatus.RETURNED):
            return ""
        words = _("该评价{status}，不能删除。") if what == DELETE else _("该评价{status}，不能修改。")
        return words.format(status=self.get_status_display())

    def clean(self):
        errors = {}
        if self.compound_id and self.company_id and self.compound.company_id != self.company_id:
            errors["company"] = _("“{company}”不是“{compound}”的物业服务企业，不能评价该小区。").format(
                company=self.company, compound=self.compound
            )
        if self.scheme_id and self.year and self.scheme.year > self.year:
            errors["scheme"] = _("{year}年的评价不能用{scheme_year}年的方案。").format(
                year=self.year, scheme_year=self.scheme.year
            )
        if errors:
            raise ValidationError(errors)


@pghistory.track(model_name="ScoreSheetEvent")
class ScoreSheet(models.Model):
    """评分表: one scorer's sheet of an evaluation, its items' scores (`SheetScore`) and their sum."""

    evaluation = models.ForeignKey(
        PropertyEvaluation, verbose_name=_("评价"), related_name="sheets", on_delete=models.CASCADE
    )
    kind = models.CharField(_("评分主体"), max_length=16, choices=ScorerKind.choices)
    scorer = models.CharField(_("评分人"), max_length=100, blank=True, help_text=_("如：业委会主任 张某。"))
    total = models.DecimalField(_("合计"), max_digits=6, decimal_places=1, default=Decimal(0), editable=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        editable=False,
    )
    entered_at = models.DateTimeField(_("录入时间"), default=timezone.now, editable=False)

    objects = ScopedManager()
    scope_path = "evaluation__compound__community__code"

    class Meta:
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")
        ordering = ["evaluation", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "kind"],
                name="property_sheet_one_per_scorer",
                violation_error_message=_("该评价已有这一评分主体的评分表，每类评分主体只能提交一份。"),
            )
        ]

    def __str__(self):
        return _("{evaluation} · {kind}评分表").format(evaluation=self.evaluation, kind=self.get_kind_display())

    def get_absolute_url(self):
        return reverse("property:scoresheet_detail", args=[self.pk])

    def breadcrumb(self):
        return self.evaluation.compound.community.breadcrumb()


class SheetScore(models.Model):
    """An item's score on a sheet."""

    sheet = models.ForeignKey(ScoreSheet, verbose_name=_("评分表"), related_name="scores", on_delete=models.CASCADE)
    item = models.ForeignKey(SchemeItem, verbose_name=_("项目"), related_name="scores", on_delete=models.PROTECT)
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("项目得分")
        verbose_name_plural = _("项目得分")
        ordering = ["sheet", "item__order", "item_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "item"],
                name="property_sheet_item_unique",
                violation_error_message=_("同一评分表中每个项目只能打一次分。"),
            )
        ]

    def __str__(self):
        return f"{self.item} {self.score}"


def supervised(user):
    """The records of the companies the user's housing departments registered."""
    return Q(company__department__in=housing_departments(user))


@pghistory.track(model_name="CompanyCaseEvent")
class CompanyCase(models.Model):
    """投诉与3+X纠纷调解: a complaint, or a dispute mediated by 住建、司法、法院 (seed 001), against a
    company — recorded by its housing department, seen by the areas of the compound it concerns."""

    company = models.ForeignKey(
        "property.PropertyCompany", verbose_name=_("物业企业"), related_name="cases", on_delete=models.PROTECT
    )
    compound = models.ForeignKey(
        "property.Compound",
        verbose_name=_("小区"),
        related_name="cases",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    kind = models.CharField(_("类别"), max_length=16, choices=CaseKind.choices, default=CaseKind.COMPLAINT)
    mediator = models.CharField(_("调解部门"), max_length=16, choices=Mediator.choices, blank=True)
    received_on = models.DateField(_("受理日期"), default=timezone.localdate)
    summary = models.TextField(_("事由"))
    result = models.TextField(_("处理结果"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)

    objects = ScopedManager()
    scope_hook_flat = True
    within_paths = ("compound__community__code",)

    class Meta:
        verbose_name = _("投诉与纠纷调解")
        verbose_name_plural = _("投诉与纠纷调解")
        ordering = ["-received_on", "-pk"]

    def __str__(self):
        return _("{company} · {kind} {day}").format(
            company=self.company, kind=self.get_kind_display(), day=self.received_on
        )

    def get_absolute_url(self):
        return reverse("property:companycase_detail", args=[self.pk])

    @classmethod
    def scope_hook(cls, user, action, scopes):
        if action == SUPERVISE:
            return supervised(user)
        condition = scope_condition("compound__community__code", scopes)
        if action == Action.VIEW and user_departments(user):
            condition |= supervised(user)
        return condition

    def breadcrumb(self):
        return self.company.department.area.breadcrumb()

    def clean(self):
        errors = {}
        if self.kind == CaseKind.MEDIATION and not self.mediator:
            errors["mediator"] = _("3+X纠纷调解须选择调解部门（住建、司法、法院或联合调处）。")
        if self.compound_id and self.company_id and self.compound.company_id != self.company_id:
            errors["compound"] = _("“{compound}”不由“{company}”服务。").format(
                compound=self.compound, company=self.company
            )
        if errors:
            raise ValidationError(errors)


@pghistory.track(model_name="InspectionEvent")
class Inspection(Guarded, models.Model):
    """双随机一公开检查: a company and an inspector drawn at random by a housing department (the
    seed and the pools kept, so the draw can be shown fair), the result, and its publication —
    once published, seen by every area the company serves."""

    department = models.ForeignKey(
        Department, verbose_name=_("检查部门"), related_name="property_inspections", on_delete=models.PROTECT
    )
    company = models.ForeignKey(
        "property.PropertyCompany", verbose_name=_("被抽查企业"), related_name="inspections", on_delete=models.PROTECT
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("检查人员"),
        related_name="property_inspections",
        on_delete=models.PROTECT,
        editable=False,
    )
    seed = models.BigIntegerField(_("随机种子"), editable=False)
    drawn_at = models.DateTimeField(_("抽取时间"), default=timezone.now, editable=False)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("抽取人"),
        null=True,
        related_name="+",
        on_delete=models.SET_NULL,
        editable=False,
    )
    company_pool = models.PositiveIntegerField(_("企业库数量"), default=0, editable=False)
    inspector_pool = models.PositiveIntegerField(_("检查人员库数量"), default=0, editable=False)
    inspected_on = models.DateField(_("检查日期"), null=True, blank=True)
    conclusion = models.CharField(_("检查结论"), max_length=16, choices=InspectionConclusion.choices, blank=True)
    result = models.TextField(_("检查情况"), blank=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True, editable=False)

    objects = ScopedManager()
    scope_hook_flat = True

    class Meta:
        verbose_name = _("双随机一公开检查")
        verbose_name_plural = _("双随机一公开检查")
        ordering = ["-drawn_at", "-pk"]

    def __str__(self):
        return _("{company} · 抽查 {day}").format(company=self.company, day=timezone.localtime(self.drawn_at).date())

    def get_absolute_url(self):
        return reverse("property:inspection_detail", args=[self.pk])

    @classmethod
    def scope_hook(cls, user, action, scopes):
        """Kept by the department that drew it; once published, seen by every area where the
        company serves a compound (and the offices above the department's area)."""
        from .models import Compound

        if action == SUPERVISE:
            return Q(department__in=housing_departments(user))
        if action != Action.VIEW:
            return Q(pk__in=[])
        serving = Compound._base_manager.filter(scope_condition("community__code", scopes)).values("company_id")
        condition = Q(published_at__isnull=False) & (
            Q(company__in=serving.order_by()) | scope_condition("department__area__code", scopes)
        )
        departments = user_departments(user)
        if departments:
            condition |= Q(department__in=departments)
        return condition

    @property
    def published(self):
        return self.published_at is not None

    def breadcrumb(self):
        return self.department.area.breadcrumb()

    def refuses(self, what):
        return _("双随机抽取记录不能删除，以保证抽取过程可复核。") if what == DELETE else ""

    def clean(self):
        if self.published_at and not self.conclusion:
            raise ValidationError({"conclusion": _("公开前须填写检查结论。")})
