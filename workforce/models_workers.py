"""社区工作者 (community workers, seeds 003 and 004; issue 21): each worker of a community or a street
(the office they work in) with their post (社区党组织书记, 两委成员, 专职网格员, 其他社区工作者), their
place on the city's career ladder — a post category (岗) and a grade 1–18 (级) with its pay band,
configurable per city (settings WORKFORCE_LADDERS: 三岗十八级 in Jilin by default, 四岗十八级 in Wuhan)
— and its history (WorkerChange: promotions and post changes, with the date and the reason; the
worker's current post and grade follow the latest), their training hours against the yearly
requirement (TrainingRecord), their 社工师 certificates (Certificate) and the 一定双评 annual rating
(WorkerRating).

A worker is recognised across the portal by the ID number (core.identity): the worker's page shows
one career (workforce/timeline_workers.py) with the roster's posts and the party register's record
of the same person. A person is a current worker of one office at a time, unless marked 兼职."""

import math
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

from core.choices import Gender
from core.citywise import chosen_for
from core.fields import IdNumberField, PhoneField
from orgs.choices import AreaLevel
from orgs.models import Area, AreaRecord
from orgs.scoping import ScopedManager
from party.choices import Education  # one scale of 学历 across the portal (the party register's)

from .permissions import READ_WORKERS

__all__ = [
    "Certificate",
    "CertificateLevel",
    "ChangeKind",
    "Education",
    "Rating",
    "TrainingRecord",
    "Worker",
    "WorkerChange",
    "WorkerPost",
    "WorkerRating",
]


class WorkerPost(models.TextChoices):
    SECRETARY = "secretary", _("社区党组织书记")
    COMMITTEE = "committee", _("两委成员")
    GRID = "grid", _("专职网格员")
    OTHER = "other", _("其他社区工作者")


class ChangeKind(models.TextChoices):
    PROMOTION = "promotion", _("晋级")
    POST = "post", _("岗位变动")
    DEMOTION = "demotion", _("降级")


class CertificateLevel(models.TextChoices):
    ASSISTANT = "assistant", _("助理社工师")
    SOCIAL_WORKER = "social_worker", _("社工师")
    SENIOR = "senior", _("高级社工师")


class Rating(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    COMPETENT = "competent", _("称职")
    BASIC = "basic", _("基本称职")
    INCOMPETENT = "incompetent", _("不称职")


# --- the ladder, per city ---------------------------------------------------------------------------
# A ladder: its name, its post categories (岗: key → label and the grades open to it) and the pay
# band of each grade (monthly yuan: base + step × (grade − 1), band width `width`). Jilin's 三岗十八级
# (seed 003): 正职 grades 7–18, 副职 4–15, 委员（其他） 1–12; Wuhan's 四岗十八级 (seed 002) adds 专职网格员.
GRADES = 18
JILIN_LADDER = {
    "name": "三岗十八级",
    "categories": {
        "principal": {"label": "正职", "grades": [7, 18]},
        "deputy": {"label": "副职", "grades": [4, 15]},
        "member": {"label": "委员", "grades": [1, 12]},
    },
    "base": 3000,
    "step": 200,
    "width": 400,
}
WUHAN_LADDER = {
    "name": "四岗十八级",
    "categories": {
        "principal": {"label": "社区书记、主任", "grades": [7, 18]},
        "deputy": {"label": "社区副职", "grades": [4, 15]},
        "member": {"label": "社区委员", "grades": [2, 14]},
        "grid": {"label": "专职网格员", "grades": [1, 12]},
    },
    "base": 3200,
    "step": 220,
    "width": 400,
}
DEFAULT_LADDERS = {"default": JILIN_LADDER, "4201": WUHAN_LADDER}
# The category each post starts on where a sheet or a form leaves it out.
POST_CATEGORY = {
    WorkerPost.SECRETARY: "principal",
    WorkerPost.COMMITTEE: "deputy",
    WorkerPost.GRID: "member",
    WorkerPost.OTHER: "member",
}
# Workers per 1,000 households: about one to every 330 households, the ratio provinces commonly set
# (the seeds name the standard, not its figure); a city sets its own (WORKFORCE_STAFFING).
DEFAULT_STAFFING = {"default": 3}
DEFAULT_TRAINING_HOURS = 48  # 学时 a worker owes a year


def by_city(setting, default, code):
    """The entry of `setting` ({"default": …, "<code prefix>": …}) for an area of `code`: the longest
    configured prefix the code starts with, else the default."""
    return chosen_for(getattr(settings, setting, None) or default, code, default.get("default"))


def ladder(code=""):
    """The career ladder (settings WORKFORCE_LADDERS) of the city of an area of `code`."""
    return by_city("WORKFORCE_LADDERS", DEFAULT_LADDERS, code or "")


def staffing_standard(code=""):
    """Workers per 1,000 households (settings WORKFORCE_STAFFING) for an area of `code`."""
    return Decimal(str(by_city("WORKFORCE_STAFFING", DEFAULT_STAFFING, code or "")))


def staffing_prefixes():
    """[(code prefix, standard)] longest first, then ("", default): the SQL's CASE of the standard."""
    configured = getattr(settings, "WORKFORCE_STAFFING", None) or DEFAULT_STAFFING
    rows = sorted(((k, v) for k, v in configured.items() if k != "default"), key=lambda kv: -len(kv[0]))
    return [*rows, ("", configured.get("default", DEFAULT_STAFFING["default"]))]


def required_workers(households, code=""):
    """The workers a community of `households` needs by the standard (rounded up)."""
    return math.ceil(Decimal(households or 0) * staffing_standard(code) / 1000)


def training_requirement():
    return Decimal(str(getattr(settings, "WORKFORCE_TRAINING_HOURS", DEFAULT_TRAINING_HOURS)))


def category_label(code, category):
    entry = ladder(code)["categories"].get(category)
    return entry["label"] if entry else category


def pay_band(code, grade):
    """(low, high) monthly yuan of `grade` on the ladder of an area of `code`."""
    chosen = ladder(code)
    low = Decimal(chosen["base"]) + Decimal(chosen["step"]) * (int(grade) - 1)
    return low, low + Decimal(chosen["width"])


def label_anywhere(category):
    """A category's label on whichever configured ladder has it (a Wuhan category named in Jilin)."""
    configured = getattr(settings, "WORKFORCE_LADDERS", None) or DEFAULT_LADDERS
    for entry in configured.values():
        if category in entry.get("categories", {}):
            return entry["categories"][category]["label"]
    return category


def ladder_refusal(code, category, grade):
    """The Chinese reason a category and grade are not on the ladder of an area of `code`, or ""."""
    chosen = ladder(code)
    entry = chosen["categories"].get(category)
    if entry is None:
        labels = "、".join(c["label"] for c in chosen["categories"].values())
        return _("“{category}”不是本市{name}的岗位类别（可选：{labels}）。").format(
            category=label_anywhere(category), name=chosen["name"], labels=labels
        )
    low, high = entry["grades"]
    if grade is None or not (low <= int(grade) <= high):
        return _("等级 {grade} 不在本市{name}的{label}岗范围内（{low}–{high} 级）。").format(
            grade=grade, name=chosen["name"], label=entry["label"], low=low, high=high
        )
    return ""


def category_of(code, text):
    """A category key from its key or its label on the ladder of `code` ("正职" → "principal")."""
    text = str(text or "").strip().removesuffix("岗")
    for key, entry in ladder(code)["categories"].items():
        if text in (key, entry["label"], entry["label"].removesuffix("岗")):
            return key
    return text


# --- the worker --------------------------------------------------------------------------------------


class Worker(AreaRecord):
    """社区工作者: a worker of a community or a street (the office they work in), their post, their
    category and grade on the city's ladder, and their dates; recognised by the ID number."""

    area = models.ForeignKey(
        Area,
        verbose_name=_("所在社区（街道）"),
        on_delete=models.PROTECT,
        related_name="workforce_worker_set",
        related_query_name="workforce_worker",
        limit_choices_to={"level__in": (AreaLevel.STREET, AreaLevel.COMMUNITY)},
    )
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    id_number = IdNumberField(_("身份证号"), blank=False)
    phone = PhoneField(_("联系电话"))
    education = models.CharField(_("学历"), max_length=16, choices=Education.choices, blank=True)
    post = models.CharField(_("岗位"), max_length=16, choices=WorkerPost.choices)
    category = models.CharField(
        _("岗位类别"), max_length=16, help_text=_("本市岗位等级序列中的岗，如正职、副职、委员。")
    )
    grade = models.PositiveSmallIntegerField(
        _("等级"), validators=[MinValueValidator(1), MaxValueValidator(GRADES)], help_text=_("1–18 级。")
    )
    hired_on = models.DateField(_("入职日期"))
    left_on = models.DateField(_("离职日期"), null=True, blank=True)
    part_time = models.BooleanField(_("兼职"), default=False, help_text=_("同时在另一社区任职的，须标为兼职。"))
    note = models.CharField(_("备注"), max_length=200, blank=True)

    view_action = READ_WORKERS
    pick_search_fields = ("name", "area__name")  # the picker of a change's, a training's … worker
    personal_data_columns = ("phone", "id_number")  # masked in the change history too

    class Meta:
        verbose_name = _("社区工作者")
        verbose_name_plural = _("社区工作者")
        ordering = ["area__code", "post", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "id_number"],
                condition=Q(left_on__isnull=True),
                name="workforce_worker_current_unique",
                violation_error_message=_("该身份证号已是本社区（街道）的在职社区工作者。"),
            ),
        ]
        indexes = [models.Index(fields=["id_number"], name="workforce_worker_id_number")]

    def __str__(self):
        return self.name

    @property
    def is_current(self):
        return self.left_on is None or self.left_on > timezone.localdate()

    @property
    def category_label(self):
        return category_label(self.area.code if self.area_id else "", self.category)

    @property
    def pay_band(self):
        low, high = pay_band(self.area.code if self.area_id else "", self.grade or 1)
        return _("{low:,}–{high:,} 元/月").format(low=low, high=high)

    def breadcrumb(self):
        return self.area.breadcrumb()

    def clean(self):
        super().clean()
        errors = {}
        if self.area_id and self.area.level not in (AreaLevel.STREET, AreaLevel.COMMUNITY):
            errors["area"] = _("社区工作者须登记在社区（村）或街道。")
        if self.area_id and self.category:
            self.category = category_of(self.area.code, self.category)
            refusal = ladder_refusal(self.area.code, self.category, self.grade)
            if refusal:
                errors["grade"] = refusal
        if self.left_on and self.hired_on and self.left_on < self.hired_on:
            errors["left_on"] = _("离职日期不能早于入职日期。")
        refusal = self.elsewhere_refusal()
        if refusal:
            errors["part_time"] = refusal
        if errors:
            raise ValidationError(errors)

    def elsewhere_refusal(self):
        """The reason a current, full-time worker may not be saved: the same ID number is a current
        worker of another office, and neither is marked 兼职; or ""."""
        if not self.id_number or self.left_on or self.part_time:
            return ""
        other = (
            Worker.objects.filter(id_number=self.id_number, left_on__isnull=True, part_time=False)
            .exclude(pk=self.pk)
            .exclude(area_id=self.area_id)
            .select_related("area")
            .first()
        )
        if other is None:
            return ""
        return _("{name}（身份证号相同）已是{area}的在职社区工作者；同时在两个社区任职须标为兼职。").format(
            name=other.name, area=other.area.name
        )

    def save(self, *args, **kwargs):
        """Saves the worker; a post, category or grade changed here (the API, a re-import) rather than
        through a change is recorded as one, dated today, so that the history holds every step."""
        if self.id_number and not self.birth_date:
            from core.identity import birth_date_from_id

            self.birth_date = birth_date_from_id(self.id_number)
        held = None
        if self.pk:
            held = Worker.objects.filter(pk=self.pk).values_list("post", "category", "grade").first()
        super().save(*args, **kwargs)
        if held and held != (self.post, self.category, self.grade):
            post, category, grade = held
            if post != self.post or category != self.category:
                kind = ChangeKind.POST
            else:
                kind = ChangeKind.PROMOTION if self.grade > grade else ChangeKind.DEMOTION
            WorkerChange.objects.create(
                worker=self,
                changed_on=timezone.localdate(),
                kind=kind,
                post_before=post,
                category_before=category,
                grade_before=grade,
                post=self.post,
                category=self.category,
                grade=self.grade,
                reason=_("登记信息更新（接口或导入）"),
            )


class WorkerRecord(models.Model):
    """A record of one worker, in scope where the worker is (its area through the worker)."""

    worker = models.ForeignKey(Worker, verbose_name=_("社区工作者"), on_delete=models.CASCADE, related_name="+")

    objects = ScopedManager()
    scope_path = "worker__area__code"
    view_action = READ_WORKERS

    class Meta:
        abstract = True

    def get_absolute_url(self):
        return reverse(f"workforce:{self._meta.model_name}_detail", args=[self.pk])

    def breadcrumb(self):
        return self.worker.area.breadcrumb()


@pghistory.track(model_name="WorkerChangeEvent")
class WorkerChange(WorkerRecord):
    """岗位等级变动: a promotion, a demotion or a change of post on a date, with its reason; the post,
    category and grade before (as the worker held them when it was recorded) and after. The worker's
    current post and grade are those of the latest change."""

    worker = models.ForeignKey(Worker, verbose_name=_("社区工作者"), on_delete=models.CASCADE, related_name="changes")
    changed_on = models.DateField(_("变动日期"))
    kind = models.CharField(_("变动类型"), max_length=16, choices=ChangeKind.choices, default=ChangeKind.PROMOTION)
    post_before = models.CharField(_("原岗位"), max_length=16, choices=WorkerPost.choices, blank=True, editable=False)
    category_before = models.CharField(_("原岗位类别"), max_length=16, blank=True, editable=False)
    grade_before = models.PositiveSmallIntegerField(_("原等级"), null=True, blank=True, editable=False)
    post = models.CharField(_("新岗位"), max_length=16, choices=WorkerPost.choices)
    category = models.CharField(_("新岗位类别"), max_length=16)
    grade = models.PositiveSmallIntegerField(_("新等级"), validators=[MinValueValidator(1), MaxValueValidator(GRADES)])
    reason = models.CharField(_("原因"), max_length=200)

    class Meta:
        verbose_name = _("岗位等级变动")
        verbose_name_plural = _("岗位等级变动")
        ordering = ["-changed_on", "-pk"]

    def __str__(self):
        return _("{name} {date} {kind}").format(
            name=self.worker.name if self.worker_id else "", date=self.changed_on or "", kind=self.get_kind_display()
        )

    def save(self, *args, **kwargs):
        """Keeps what the worker held before, then moves the worker to the latest change's post."""
        if self._state.adding and not self.post_before:
            # as the worker holds them now (read afresh: an earlier change may have moved them)
            held = Worker.objects.filter(pk=self.worker_id).values_list("post", "category", "grade").first()
            self.post_before, self.category_before, self.grade_before = held
        super().save(*args, **kwargs)
        follow_latest_change(self.worker_id)

    def delete(self, *args, **kwargs):
        """A change deleted (recorded in error): the worker goes back to the latest one left."""
        worker_id = self.worker_id
        result = super().delete(*args, **kwargs)
        follow_latest_change(worker_id)
        return result

    def get_category_display(self):
        """The new category by its label on the city's ladder (the record's page shows 副职, not deputy)."""
        return category_label(self._ladder_code(), self.category)

    def get_category_before_display(self):
        return category_label(self._ladder_code(), self.category_before)

    def _ladder_code(self):
        return self.worker.area.code if self.worker_id else ""

    def clean(self):
        super().clean()
        if not self.worker_id:
            return
        errors = {}
        code = self.worker.area.code
        if self.category:
            self.category = category_of(code, self.category)
            refusal = ladder_refusal(code, self.category, self.grade)
            if refusal:
                errors["grade"] = refusal
        if self.changed_on and self.worker.hired_on and self.changed_on < self.worker.hired_on:
            errors["changed_on"] = _("变动日期不能早于入职日期（{date}）。").format(date=self.worker.hired_on)
        if errors:
            raise ValidationError(errors)


def follow_latest_change(worker_id):
    """The worker's post, category and grade become those of their latest change (by date)."""
    latest = WorkerChange.objects.filter(worker_id=worker_id).order_by("-changed_on", "-pk").first()
    if latest is not None:
        Worker.objects.filter(pk=worker_id).update(post=latest.post, category=latest.category, grade=latest.grade)


@pghistory.track(model_name="TrainingRecordEvent")
class TrainingRecord(WorkerRecord):
    """培训记录: a day's training of a worker, its subject and hours (学时), against the yearly
    requirement (settings WORKFORCE_TRAINING_HOURS)."""

    worker = models.ForeignKey(Worker, verbose_name=_("社区工作者"), on_delete=models.CASCADE, related_name="trainings")
    trained_on = models.DateField(_("培训日期"))
    hours = models.DecimalField(
        _("学时"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("200"))],
    )
    subject = models.CharField(_("培训内容"), max_length=100)

    class Meta:
        verbose_name = _("培训记录")
        verbose_name_plural = _("培训记录")
        ordering = ["-trained_on", "-pk"]
        indexes = [models.Index(fields=["trained_on"], name="workforce_training_on")]

    def __str__(self):
        return self.subject


@pghistory.track(model_name="CertificateEvent")
class Certificate(WorkerRecord):
    """社会工作者职业资格证书: 助理社工师, 社工师 or 高级社工师, its number, when obtained and when it
    expires (if it does)."""

    worker = models.ForeignKey(
        Worker, verbose_name=_("社区工作者"), on_delete=models.CASCADE, related_name="certificates"
    )
    level = models.CharField(_("证书等级"), max_length=16, choices=CertificateLevel.choices)
    number = models.CharField(_("证书编号"), max_length=40)
    obtained_on = models.DateField(_("取得日期"))
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)

    class Meta:
        verbose_name = _("职业资格证书")
        verbose_name_plural = _("职业资格证书")
        ordering = ["-obtained_on", "-pk"]

    def __str__(self):
        return _("{level}（{number}）").format(level=self.get_level_display(), number=self.number)

    def clean(self):
        super().clean()
        if self.expires_on and self.obtained_on and self.expires_on <= self.obtained_on:
            raise ValidationError({"expires_on": _("有效期须晚于取得日期。")})


@pghistory.track(model_name="WorkerRatingEvent")
class WorkerRating(WorkerRecord):
    """一定双评: a worker's annual rating (优秀 / 称职 / 基本称职 / 不称职), one a year."""

    worker = models.ForeignKey(Worker, verbose_name=_("社区工作者"), on_delete=models.CASCADE, related_name="ratings")
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    rating = models.CharField(_("评定等次"), max_length=16, choices=Rating.choices)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("年度评定")
        verbose_name_plural = _("年度评定（一定双评）")
        ordering = ["-year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "year"],
                name="workforce_rating_unique",
                violation_error_message=_("该社区工作者该年度已有评定，请修改原记录。"),
            )
        ]

    def __str__(self):
        return _("{year}年{rating}").format(year=self.year, rating=self.get_rating_display())
