"""Residents' requests (诉求, seeds 002 and 003; issue 19 "Residents' requests"): received at a grid,
a community or a street, or from the 12345 hotline; routed by category and place to the body that
handles it (a grid, community or street of the tree, or a functional department) through the
routing table the street keeps; followed through the states of services/requests_flow.py, shown
as Nanguan's lights (seed 003: yellow 办理中, green 待核验, orange 待回访); a time limit per
category, the overdue flag and the return visit's satisfaction. A request that needs the
residents' agreement carries a 五步议事法 record (seed 002: Deliberation)."""

import datetime
import re

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.fields import PhoneField
from core.guard import DELETE, Guarded
from orgs.choices import AreaLevel
from orgs.models import Area, AreaRecord, Department
from orgs.scoping import Action, ScopedManager, scope_condition, user_departments

from .permissions import HANDLE_REQUEST, READ_REQUESTS

# The levels a place may be (down to the building) and a responsible area may be.
PLACE_LEVELS = (AreaLevel.STREET, AreaLevel.COMMUNITY, AreaLevel.GRID, AreaLevel.BUILDING)
NUMBER = re.compile(r"^(?:诉求)?[0-9]{8}-([0-9]{1,10})$")
BODY_LEVELS = (AreaLevel.STREET, AreaLevel.COMMUNITY, AreaLevel.GRID)


class Channel(models.TextChoices):
    GRID = "grid", _("网格")
    COMMUNITY = "community", _("社区")
    STREET = "street", _("街道")
    HOTLINE = "hotline", _("12345热线")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("待受理")
    HANDLING = "handling", _("办理中")
    VERIFYING = "verifying", _("待核验")
    VISITING = "visiting", _("待回访")
    CLOSED = "closed", _("已办结")


# Nanguan's lights (seed 003), by state: the badge's colour.
LIGHTS = {
    RequestStatus.RECEIVED: "secondary",
    RequestStatus.HANDLING: "warning",  # yellow: signed for and being handled
    RequestStatus.VERIFYING: "success",  # green: awaiting verification
    RequestStatus.VISITING: "orange",  # orange: done, awaiting a return visit
    RequestStatus.CLOSED: "primary",
}
OPEN_STATES = [s.value for s in RequestStatus if s != RequestStatus.CLOSED]


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


def ancestors_and_self(code):
    """The codes of an area and of every area above it (a code begins with its ancestors')."""
    return [code[:n] for n in range(2, len(code) + 1)]


def reach_up_and_down(path, scopes):
    """A Q: the area at `path` lies in one of `scopes` or above one of them — a street's category
    is read by its communities and grids, which file requests under it."""
    above = sorted({code for scope in scopes for code in ancestors_and_self(scope.code)})
    return scope_condition(f"{path}__code", scopes) | Q(**{f"{path}__code__in": above})


@pghistory.track(model_name="RequestCategoryEvent")
class RequestCategory(models.Model):
    """诉求类型: a street's (or a district's) kind of request with its time limit in days."""

    area = models.ForeignKey(
        Area,
        verbose_name=_("所属区划"),
        related_name="request_categories",
        on_delete=models.PROTECT,
        help_text=_("设定该类型的街道；其下各社区、网格受理诉求时使用。"),
    )
    name = models.CharField(_("诉求类型"), max_length=50)
    time_limit = models.PositiveSmallIntegerField(
        _("办理时限（天）"), default=5, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )

    objects = ScopedManager()
    scope_hook_flat = True
    within_paths = ("area__code",)

    class Meta:
        verbose_name = _("诉求类型")
        verbose_name_plural = _("诉求类型")
        ordering = ["area__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "name"],
                name="services_request_category_unique",
                violation_error_message=_("该区划已有同名的诉求类型。"),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("services:requestcategory_detail", args=[self.pk])

    def breadcrumb(self):
        return self.area.breadcrumb()

    @classmethod
    def scope_hook(cls, user, action, scopes):
        """Read from the street down (and the street's own categories by the areas under it); kept
        (KEEP_ROUTING) over the subtree."""
        if action == Action.VIEW:
            return reach_up_and_down("area", scopes)
        return scope_condition("area__code", scopes)


class RoutingRule(AreaRecord):
    """分派规则: requests of `category` at a place within `area`'s subtree go to the responsible
    body — an area of the tree or a functional department. The deepest matching rule wins."""

    category = models.ForeignKey(
        RequestCategory, verbose_name=_("诉求类型"), related_name="rules", on_delete=models.CASCADE
    )
    responsible_area = models.ForeignKey(
        Area,
        verbose_name=_("承办区划"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"level__in": BODY_LEVELS},
        help_text=_("由网格、社区或街道承办时选择。"),
    )
    responsible_department = models.ForeignKey(
        Department,
        verbose_name=_("承办部门"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("由职能部门承办时选择。"),
    )

    class Meta:
        verbose_name = _("分派规则")
        verbose_name_plural = _("分派规则")
        ordering = ["area__code", "category__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "area"],
                name="services_routing_unique",
                violation_error_message=_("该区划已有这一诉求类型的分派规则。"),
            )
        ]

    def __str__(self):
        return _("{category} @ {area} → {body}").format(category=self.category, area=self.area.name, body=self.body())

    def body(self):
        return self.responsible_department or self.responsible_area

    def clean(self):
        if bool(self.responsible_area_id) == bool(self.responsible_department_id):
            raise ValidationError(_("请在“承办区划”和“承办部门”中选择且只选择一项。"))
        if self.category_id and self.area_id and not self.area.code.startswith(self.category.area.code):
            raise ValidationError(
                {
                    "category": _("“{category}”是{owner}的诉求类型，不适用于{area}。").format(
                        category=self.category, owner=self.category.area.name, area=self.area.name
                    )
                }
            )


def route(category, place):
    """The body a request of `category` at `place` goes to: the deepest rule whose area contains
    the place, else the place's own grid — 小事不出网格: its grid worker answers first, and a rule
    sends a category up to the community, the street or a department — else its community (the
    street for a place at the street itself). Returns (area, department), one of them None."""
    rule = (
        RoutingRule.objects.filter(category=category, area__code__in=ancestors_and_self(place.code))
        .select_related("responsible_area", "responsible_department")
        .order_by("area__code")  # the ancestors' codes are prefixes: the deepest sorts last
        .last()
    )
    if rule is not None:
        return rule.responsible_area, rule.responsible_department
    body = Area.objects.filter(code__in=ancestors_and_self(place.code), level__in=BODY_LEVELS).order_by("-code").first()
    return body, None


def photo_path(request, filename):
    return f"services/requests/{timezone.localdate():%Y/%m}/{filename}"


class ResidentRequest(Guarded, AreaRecord):
    """诉求: a resident's request at a place (the area), routed to a responsible body, followed
    through its states to the return visit."""

    channel = models.CharField(_("受理渠道"), max_length=16, choices=Channel.choices, default=Channel.GRID)
    case_number = models.CharField(
        _("工单编号"),
        max_length=40,
        blank=True,
        editable=False,
        help_text=_("12345热线的工单编号：重新导入时按它更新，不重复建立。"),
    )
    category = models.ForeignKey(
        RequestCategory, verbose_name=_("诉求类型"), related_name="requests", on_delete=models.PROTECT
    )
    description = models.TextField(_("诉求内容"))
    address = models.CharField(_("事发地址"), max_length=200, blank=True)
    photo = models.FileField(_("现场照片"), upload_to=photo_path, max_length=255, blank=True)
    resident_name = models.CharField(_("诉求人"), max_length=50, blank=True)
    resident_phone = PhoneField(_("联系电话"))
    received_at = models.DateTimeField(_("受理时间"), default=timezone.now, editable=False)
    due_on = models.DateField(_("办理时限"), editable=False)
    responsible_area = models.ForeignKey(
        Area,
        verbose_name=_("承办区划"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        editable=False,
    )
    responsible_department = models.ForeignKey(
        Department,
        verbose_name=_("承办部门"),
        related_name="requests",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        editable=False,
    )
    hotline_body = models.CharField(
        _("热线承办单位"),
        max_length=100,
        blank=True,
        editable=False,
        help_text=_("热线导出表中写的承办单位，原样保留。"),
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.RECEIVED, editable=False
    )
    satisfaction = models.CharField(
        _("回访满意度"), max_length=16, choices=Satisfaction.choices, blank=True, editable=False
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True, editable=False)
    reopened = models.PositiveSmallIntegerField(_("重新打开次数"), default=0, editable=False)
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

    view_action = READ_REQUESTS
    scope_hook_flat = True
    within_paths = ("area__code",)
    personal_data_fields = {"resident_name": "resident_name"}  # the phone field adds itself

    class Meta:
        verbose_name = _("诉求")
        verbose_name_plural = _("诉求")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="services_request_open", condition=~Q(status="closed")),
            models.Index(fields=["received_at"], name="services_request_received"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case_number"],
                condition=~Q(case_number=""),
                name="services_request_case_number",
                violation_error_message=_("已有相同工单编号的诉求。"),
            )
        ]

    def __str__(self):
        return _("诉求{number}").format(number=self.number)

    @property
    def number(self):
        return f"{self.received_at:%Y%m%d}-{self.pk or 0:05d}"

    @staticmethod
    def by_number(text):
        """The Q of the request a typed number names (诉求20261203-00012, or its tail after the
        date), or None: the menu bar's search (core.registry.Searchable.terms)."""
        found = NUMBER.match(text.replace(" ", ""))
        if found is None or int(found.group(1)) > 2**31 - 1:
            return None
        return Q(pk=int(found.group(1)))

    def get_absolute_url(self):
        return reverse("services:residentrequest_detail", args=[self.pk])

    def refuses(self, what):
        """Changed or deleted only while 待受理 (a request entered wrongly, or twice); once signed
        for it is kept as it was — sent elsewhere by 转办, and a new complaint reopens a closed one."""
        if self.status == RequestStatus.RECEIVED:
            return ""
        if what == DELETE:
            return _("诉求{number}已签收办理，须留存，不能删除。").format(number=self.number)
        return _("诉求已签收办理，不能再修改；如需改派请转办。")

    def breadcrumb(self):
        return self.area.breadcrumb()

    def body(self):
        return self.responsible_department or self.responsible_area

    @property
    def light(self):
        return LIGHTS[RequestStatus(self.status)]

    def light_html(self, label=None, today=None):
        """The state as Nanguan's light — a coloured badge — and 超期 beside it when overdue: one
        markup for the list's column, the phone page, the home widget and the request's panel (a
        list passes the state's label and today's date, worked out once for its rows)."""
        badge = format_html(
            '<span class="badge rounded-pill request-light text-bg-{}" data-state="{}">● {}</span>',
            self.light,
            self.status,
            label or self.get_status_display(),
        )
        if self.is_overdue(today or timezone.localdate()):
            badge += format_html(' <span class="badge text-bg-danger">{}</span>', _("超期"))
        return badge

    @property
    def overdue(self):
        return self.is_overdue(timezone.localdate())

    def is_overdue(self, today):
        return self.status != RequestStatus.CLOSED and self.due_on is not None and self.due_on < today

    def route(self):
        """Route by the category and the place, and set the due date from the category's limit."""
        self.responsible_area, self.responsible_department = route(self.category, self.area)
        received = timezone.localtime(self.received_at).date() if self.received_at else timezone.localdate()
        self.due_on = received + datetime.timedelta(days=self.category.time_limit)

    @classmethod
    def scope_hook(cls, user, action, scopes):
        """By the place's subtree, and — to read and handle — by the body it is routed to: an area
        (its subtree) or a department the user serves in, wherever the place is.

        Written for the planner, each as it plans fast at a city's 100,000s of requests: a district's
        or the city's scope as the joins on the areas' codes (the list, newest first, is a walk of
        `received_at` that soon finds a page); a street's, community's or grid's as the ids of its
        few requests read first (`ids_under`), which an OR of the two joins never is (a scan)."""
        departments = user_departments(user)
        own = Q(responsible_department__in=departments) if departments else Q(pk__in=[])
        if action not in (Action.VIEW, HANDLE_REQUEST):
            return scope_condition("area__code", scopes)
        by_place = action == Action.VIEW
        wide = [scope for scope in scopes if scope.whole or is_wide(scope)]
        narrow = [scope for scope in scopes if scope not in wide]
        condition = own | scope_condition("responsible_area__code", wide)
        if by_place:
            condition |= scope_condition("area__code", wide)
        if narrow:
            condition |= Q(pk__any_of=cls.ids_under(narrow, by_place=by_place))
        return condition

    @classmethod
    def ids_under(cls, scopes, *, by_place):
        """The ids of the requests handled in `scopes` (and placed there, `by_place`): each side by
        its own index, probed with the ids of the areas of its levels (core.db.AnyOf)."""
        areas = Area.objects.filter(scope_condition("code", scopes))
        rows = cls._base_manager.order_by()
        parts = [rows.filter(responsible_area_id__any_of=areas.filter(level__in=BODY_LEVELS).values("pk"))]
        if by_place:
            parts.append(rows.filter(area_id__any_of=areas.filter(level__in=PLACE_LEVELS).values("pk")))
        ids = [part.values("pk") for part in parts]
        return ids[0].union(*ids[1:])


def is_wide(scope):
    """A district's or a wider scope (by its code's width, settings.AREA_CODE_WIDTHS)."""
    from django.conf import settings

    width = settings.AREA_CODE_WIDTHS.get(AreaLevel.DISTRICT.value)
    return width is not None and len(scope.code) <= width


@pghistory.track(model_name="DeliberationEvent")
class Deliberation(models.Model):
    """五步议事法 (seed 002, Wuhan): a request that needs the residents' agreement is deliberated in
    five steps — 议题收集, 议题审查, 协商议事, 决议公示, 结果评议 — each with its text and date."""

    request = models.OneToOneField(
        ResidentRequest, verbose_name=_("诉求"), related_name="deliberation", on_delete=models.CASCADE
    )
    topic = models.CharField(_("议题"), max_length=200)
    participants = models.TextField(_("参与人员"), help_text=_("如：居民代表、物业、业委会、社区“两委”。"))
    collect = models.TextField(_("第一步：议题收集"), blank=True)
    collect_on = models.DateField(_("议题收集日期"), null=True, blank=True)
    review = models.TextField(_("第二步：议题审查"), blank=True)
    review_on = models.DateField(_("议题审查日期"), null=True, blank=True)
    discuss = models.TextField(_("第三步：协商议事"), blank=True)
    discuss_on = models.DateField(_("协商议事日期"), null=True, blank=True)
    publicise = models.TextField(_("第四步：决议公示"), blank=True)
    publicise_on = models.DateField(_("决议公示日期"), null=True, blank=True)
    evaluate = models.TextField(_("第五步：结果评议"), blank=True)
    evaluate_on = models.DateField(_("结果评议日期"), null=True, blank=True)
    outcome = models.TextField(_("议事结果"), blank=True)

    objects = ScopedManager()
    scope_path = "request__area__code"
    within_paths = ("request__area__code",)

    STEPS = (
        ("collect", "collect_on"),
        ("review", "review_on"),
        ("discuss", "discuss_on"),
        ("publicise", "publicise_on"),
        ("evaluate", "evaluate_on"),
    )

    class Meta:
        verbose_name = _("五步议事")
        verbose_name_plural = _("五步议事")
        ordering = ["-request__received_at"]

    def __str__(self):
        return self.topic

    def get_absolute_url(self):
        return reverse("services:deliberation_detail", args=[self.pk])

    def breadcrumb(self):
        return self.request.area.breadcrumb()

    def clean(self):
        previous = None
        for _text, day in self.STEPS:
            value = getattr(self, day)
            if value and previous and value < previous:
                raise ValidationError({day: _("各步骤的日期须按顺序，不能早于上一步。")})
            previous = value or previous
