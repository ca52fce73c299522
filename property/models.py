"""Red property (红色物业, seeds 001 and 003; DESIGN §3 property/): property companies and their
party links, compounds (小区) with their management mode, the quarterly 四有一定 checklist, owners'
committees (业委会) and their members, the consultations of 社区党组织 + 业委会 + 物业 (三方联动),
and the ledger of compounds without management (无物业小区台账) with its declared 销号 and reopening
(property/ledger.py).

Compounds and what hangs off them are kept by their community's subtree; a company is seen by
every area where it serves a compound and kept by the housing department (住建) that registered it.
"""

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import calendar
from core.fields import CreditCodeField, PhoneField
from orgs.choices import AreaLevel
from orgs.models import Area, Department
from orgs.scoping import Action, ScopedManager, scope_condition, user_departments
from party.models import PartyMember, PartyOrganisation

from .choices import MODES_WITH_COMPANY, CommitteeRole, LedgerStatus, ManagementMode
from .permissions import ENGAGE_COMPANY, HOUSING, KEEP_COMPANY, housing_departments

# What a compound covers: grids and buildings of its community (DESIGN §1).
COVERED_LEVELS = (AreaLevel.GRID, AreaLevel.BUILDING)


@pghistory.track(model_name="PropertyCompanyEvent")
class PropertyCompany(models.Model):
    """物业服务企业: registered and kept by a housing department (住建); seen by every area where it
    serves a compound. Its party links (双向进入、交叉任职, seed 001): its own party organisation or a
    党建指导员 sent by the street, the member who sits on the community party committee as 兼职委员,
    and the 两委 member who serves it as 物业服务顾问."""

    name = models.CharField(_("企业名称"), max_length=100, unique=True)
    credit_code = CreditCodeField(
        _("统一社会信用代码"),
        unique=True,
        error_messages={"unique": _("该统一社会信用代码已登记为另一家物业服务企业。")},
    )
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    phone = PhoneField(_("联系电话"))
    qualification = models.CharField(_("资质等级"), max_length=50, blank=True)
    address = models.CharField(_("注册地址"), max_length=200, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("登记部门"),
        related_name="property_companies",
        on_delete=models.PROTECT,
        help_text=_("登记并管理该企业的住建部门。"),
    )
    party_organisation = models.ForeignKey(
        PartyOrganisation,
        verbose_name=_("企业党组织"),
        related_name="property_companies",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    party_instructor = models.ForeignKey(
        PartyMember,
        verbose_name=_("党建指导员"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("未建党组织的企业，由街道选派的党建指导员。"),
    )
    part_time_member = models.ForeignKey(
        PartyMember,
        verbose_name=_("兼职委员"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("企业中进入社区党组织担任兼职委员的党员。"),
    )
    service_adviser = models.ForeignKey(
        PartyMember,
        verbose_name=_("物业服务顾问"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("到企业担任物业服务顾问的社区“两委”成员。"),
    )

    # The fields its housing department keeps (the register), and its party links, kept by the
    # streets and communities it serves (LINK_PARTY): the forms, the page and the API say them here.
    KEPT_FIELDS = (
        "name",
        "credit_code",
        "legal_representative",
        "phone",
        "qualification",
        "address",
        "department",
    )
    PARTY_FIELDS = ("party_organisation", "party_instructor", "part_time_member", "service_adviser")

    objects = ScopedManager()
    personal_data_columns = ("phone",)  # personal_data_fields: the field declares itself
    pick_search_fields = ("name", "credit_code")

    class Meta:
        verbose_name = _("物业服务企业")
        verbose_name_plural = _("物业服务企业")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("property:propertycompany_detail", args=[self.pk])

    def breadcrumb(self):
        return self.department.area.breadcrumb()

    scope_hook_flat = True  # `id IN (…)` subqueries and to-one joins: no row multiplied

    @classmethod
    def scope_hook(cls, user, action, scopes):
        """Kept (KEEP_COMPANY) by the housing department that registered it. Seen by every area
        where it serves a compound, by the offices above its department's area and by its
        department. Named for a compound (ENGAGE_COMPANY) where it serves, or from the register of
        the district or city the naming area lies in."""
        if action == KEEP_COMPANY:
            return Q(department__in=housing_departments(user))
        serving = Compound._base_manager.filter(scope_condition("community__code", scopes)).values("company_id")
        condition = Q(pk__in=serving.order_by()) | scope_condition("department__area__code", scopes)
        if action == Action.VIEW:
            departments = user_departments(user)
            if departments:
                condition |= Q(department__in=departments)
        elif action == ENGAGE_COMPANY:
            above = {scope.code[:n] for scope in scopes for n in range(2, len(scope.code) + 1)}
            condition |= Q(department__area__code__in=sorted(above))
        return condition

    def history_shown_to(self, user):
        """Its history is for the offices that keep or oversee it, not for each area it serves."""
        from orgs.scoping import can

        return self.department_id in user_departments(user) or can(user, Action.VIEW, self.department.area)

    def clean(self):
        if self.department_id and self.department.kind.name != HOUSING:
            raise ValidationError({"department": _("物业服务企业须由住建部门登记。")})


@pghistory.track(model_name="CompoundEvent")
class Compound(models.Model):
    """小区: a residential compound of a community, the grids and buildings it covers, its
    households and its management mode — a company and its contract for 专业物业 (and 国企兜管)."""

    name = models.CharField(_("小区名称"), max_length=100)
    community = models.ForeignKey(Area, verbose_name=_("所属社区"), related_name="compounds", on_delete=models.PROTECT)
    areas = models.ManyToManyField(
        Area,
        verbose_name=_("覆盖网格/楼栋"),
        related_name="covering_compounds",
        blank=True,
        help_text=_("本社区内的网格或楼栋代码。"),
    )
    households = models.PositiveIntegerField(_("户数"), default=0, validators=[MaxValueValidator(100000)])
    mode = models.CharField(
        _("管理模式"), max_length=16, choices=ManagementMode.choices, default=ManagementMode.PROFESSIONAL
    )
    company = models.ForeignKey(
        PropertyCompany,
        verbose_name=_("物业企业"),
        related_name="compounds",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    contract_start = models.DateField(_("合同开始日期"), null=True, blank=True)
    contract_end = models.DateField(_("合同截止日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    # The fields a compound is kept by: its form, its page, its API and its import say them from here.
    KEPT_FIELDS = (
        "name",
        "community",
        "areas",
        "households",
        "mode",
        "company",
        "contract_start",
        "contract_end",
        "note",
    )

    objects = ScopedManager()
    scope_path = "community__code"

    class Meta:
        verbose_name = _("小区")
        verbose_name_plural = _("小区")
        ordering = ["community__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"],
                name="property_compound_unique",
                violation_error_message=_("本社区已有同名小区。"),
            )
        ]
        indexes = [models.Index(fields=["mode"], name="property_compound_mode")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """A compound without management (无物业) is on the ledger: it gets an open entry."""
        super().save(*args, **kwargs)
        if self.mode == ManagementMode.NONE:
            from .ledger import enter

            enter(self)

    def get_absolute_url(self):
        return reverse("property:compound_detail", args=[self.pk])

    def breadcrumb(self):
        return self.community.breadcrumb()

    def clean(self):
        errors = {}
        if self.community_id and self.community.level != AreaLevel.COMMUNITY:
            errors["community"] = _("所属社区须是社区/村，“{name}”是{level}。").format(
                name=self.community.name, level=self.community.get_level_display()
            )
        if self.mode == ManagementMode.PROFESSIONAL and not self.company_id:
            errors["company"] = _("专业物业的小区须选择物业企业。")
        elif self.company_id and self.mode not in MODES_WITH_COMPANY:
            errors["company"] = _("“{mode}”的小区不选物业企业，请清空物业企业或改为专业物业。").format(
                mode=self.get_mode_display()
            )
        if (self.contract_start or self.contract_end) and not self.company_id:
            errors.setdefault("contract_start", _("没有物业企业的小区不填合同日期。"))
        if self.contract_start and self.contract_end and self.contract_end <= self.contract_start:
            errors["contract_end"] = _("合同截止日期须晚于开始日期。")
        if errors:
            raise ValidationError(errors)


def coverage_error(community, areas):
    """Why `areas` cannot be covered by a compound of `community` (None when they can): each is a
    grid or a building within the community. The form, the API and the import ask it."""
    if community is None:
        return None
    for area in areas:
        if not area.code.startswith(community.code):
            return _("“{name}”（{code}）不在{community}内，小区只能覆盖本社区的网格和楼栋。").format(
                name=area.name, code=area.code, community=community.name
            )
        if area.level not in COVERED_LEVELS:
            return _("“{name}”（{code}）是{level}，小区只能覆盖网格和楼栋。").format(
                name=area.name, code=area.code, level=area.get_level_display()
            )
    return None


def quarter_validator(value):
    span = calendar.parse(value)
    if not isinstance(span, calendar.Quarter):
        raise ValidationError(_("季度“{value}”无法识别，请写作“2026Q3”。").format(value=value))


class CompoundRecord(models.Model):
    """A record of one compound (its `compound`), kept by its community's subtree."""

    objects = ScopedManager()
    scope_path = "compound__community__code"

    class Meta:
        abstract = True

    def get_absolute_url(self):
        return reverse(f"property:{self._meta.model_name}_detail", args=[self.pk])

    def breadcrumb(self):
        return self.compound.community.breadcrumb()


@pghistory.track(model_name="ChecklistEvent")
class Checklist(CompoundRecord):
    """四有一定 (seed 001): 有绿化养护、有物业维修、有停车管理、有治安防范、定期保洁, checked each quarter."""

    compound = models.ForeignKey(Compound, verbose_name=_("小区"), related_name="checklists", on_delete=models.CASCADE)
    quarter = models.CharField(_("季度"), max_length=8, validators=[quarter_validator], help_text=_("如 2026Q3。"))
    greening = models.BooleanField(_("有绿化养护"), default=False)
    repairs = models.BooleanField(_("有物业维修"), default=False)
    parking = models.BooleanField(_("有停车管理"), default=False)
    security = models.BooleanField(_("有治安防范"), default=False)
    cleaning = models.BooleanField(_("定期保洁"), default=False)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("四有一定检查")
        verbose_name_plural = _("四有一定检查")
        ordering = ["-quarter", "compound__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["compound", "quarter"],
                name="property_checklist_unique",
                violation_error_message=_("该小区本季度已有检查记录。"),
            )
        ]

    def __str__(self):
        return _("{compound} {quarter}").format(compound=self.compound, quarter=self.quarter)

    def save(self, *args, **kwargs):
        span = calendar.parse(self.quarter)
        if isinstance(span, calendar.Quarter):
            self.quarter = span.key  # "2026q3", "2026-Q3" stored as 2026Q3
        super().save(*args, **kwargs)


@pghistory.track(model_name="OwnersCommitteeEvent")
class OwnersCommittee(CompoundRecord):
    """业主委员会: of a compound, for a term; flagged when its party members are not a majority
    (Jilin's rule, seed 003) or its term has expired."""

    compound = models.ForeignKey(Compound, verbose_name=_("小区"), related_name="committees", on_delete=models.CASCADE)
    name = models.CharField(_("名称"), max_length=100)
    term_start = models.DateField(_("任期开始"))
    term_end = models.DateField(_("任期届满"))
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("业主委员会")
        verbose_name_plural = _("业主委员会")
        ordering = ["compound__community__code", "compound__name", "-term_start"]
        indexes = [models.Index(fields=["term_end"], name="property_committee_term_end")]

    def __str__(self):
        return self.name

    def clean(self):
        if self.term_start and self.term_end and self.term_end <= self.term_start:
            raise ValidationError({"term_end": _("任期届满日期须晚于任期开始日期。")})

    @property
    def expired(self):
        return self.term_end < timezone.localdate()

    def party_share(self):
        """(party members, members), counted once."""
        members = list(self.members.values_list("is_party_member", flat=True))
        return sum(members), len(members)

    @property
    def party_majority(self):
        party, total = self.party_share()
        return total > 0 and 2 * party > total


@pghistory.track(model_name="CommitteeMemberEvent")
class CommitteeMember(models.Model):
    """业委会成员: name, post and whether a party member."""

    committee = models.ForeignKey(
        OwnersCommittee, verbose_name=_("业主委员会"), related_name="members", on_delete=models.CASCADE
    )
    name = models.CharField(_("姓名"), max_length=50)
    role = models.CharField(_("职务"), max_length=16, choices=CommitteeRole.choices, default=CommitteeRole.MEMBER)
    is_party_member = models.BooleanField(_("党员"), default=False)

    objects = ScopedManager()
    scope_path = "committee__compound__community__code"

    class Meta:
        verbose_name = _("业委会成员")
        verbose_name_plural = _("业委会成员")
        ordering = ["committee", "role", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("property:committeemember_detail", args=[self.pk])

    def breadcrumb(self):
        return self.committee.compound.community.breadcrumb()


@pghistory.track(model_name="ConsultationEvent")
class Consultation(CompoundRecord):
    """三方联动 (1+3+N): 社区党组织 + 业委会 + 物业企业, with residents' representatives and others,
    meet on a compound's matter: the date, topic, who took part, the decision and its follow-up."""

    compound = models.ForeignKey(
        Compound, verbose_name=_("小区"), related_name="consultations", on_delete=models.CASCADE
    )
    held_on = models.DateField(_("日期"), default=timezone.localdate)
    topic = models.CharField(_("议题"), max_length=200)
    participants = models.TextField(
        _("参加人员"), blank=True, help_text=_("社区党组织、业委会、物业企业，及居民代表、驻区单位等（1+3+N）。")
    )
    decision = models.TextField(_("议定事项"), blank=True)
    follow_up = models.TextField(_("落实情况"), blank=True)

    class Meta:
        verbose_name = _("三方联动议事")
        verbose_name_plural = _("三方联动议事")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return self.topic


def evidence_path(entry, filename):
    return f"property/ledger/{entry.compound_id}/{filename}"


@pghistory.track(model_name="LedgerEntryEvent")
class LedgerEntry(CompoundRecord):
    """无物业小区台账: a compound without management, its responsible cadre, the plan and the
    deadline (清零 by year end, seed 003); closed (销号) with evidence once a mode is assigned, or
    reopened — both declared steps (property/ledger.py) with their history rows."""

    compound = models.ForeignKey(
        Compound, verbose_name=_("小区"), related_name="ledger_entries", on_delete=models.CASCADE
    )
    responsible = models.CharField(_("责任人"), max_length=50, blank=True)
    plan = models.TextField(_("整改计划"), blank=True)
    deadline = models.DateField(_("完成时限"))
    status = models.CharField(_("状态"), max_length=16, choices=LedgerStatus.choices, default=LedgerStatus.OPEN)
    evidence = models.FileField(_("销号材料"), upload_to=evidence_path, max_length=255, blank=True)
    evidence_name = models.CharField(_("材料文件名"), max_length=200, blank=True, editable=False)
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

    class Meta:
        verbose_name = _("无物业小区台账")
        verbose_name_plural = _("无物业小区台账")
        ordering = ["status", "deadline", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["compound"],
                condition=Q(status="open"),
                name="property_ledger_one_open",
                violation_error_message=_("该小区已有待销号的台账。"),
            )
        ]
        indexes = [models.Index(fields=["deadline"], condition=Q(status="open"), name="property_ledger_open")]

    def __str__(self):
        return _("{compound}（无物业台账）").format(compound=self.compound)

    @property
    def overdue(self):
        return self.status == LedgerStatus.OPEN and self.deadline < timezone.localdate()


# The annual evaluation and credit rating (物业服务质量评价), its cases and inspections (issue 18 B1).
from .models_evaluation import (  # noqa: E402, F401
    CompanyCase,
    EvaluationScheme,
    Inspection,
    PropertyEvaluation,
    SchemeItem,
    ScoreSheet,
    SheetScore,
)
