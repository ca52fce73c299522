"""社区两委 (the two committees of a community, seeds 000–004) and their mentoring (seed 002).

A community has two committees — its party organisation's committee (社区党组织委员会) and its
residents' committee (居民委员会) — each elected for a term (届) of five years (换届). A term
(`CommitteeTerm`) has its members (`CommitteeMember`), each a person by ID number (core.identity,
the same person as in the party register and the roster) on one post for a span of the term.

Derived, never typed: 交叉任职 (a person on both committees' current terms of the community) and
一肩挑 (the party secretary who is also the residents' committee's director) — see
workforce/committees.py, which also computes the election statistics in SQL.

Mentoring: 名书记工作室 (`MentorStudio`, a senior secretary's named studio at a street or a
community) with its sessions (`StudioSession`), and 1+10 pairs (`MentorPair`) of a senior secretary
with a younger one."""

import datetime

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import identity
from core.choices import Gender
from core.fields import IdNumberField
from orgs.choices import AreaLevel
from orgs.models import Area, AreaRecord
from party.choices import Education

from .permissions import READ_COMMITTEES

TERM_YEARS = 5  # 换届: every five years
COLLEGE = (Education.POSTGRADUATE, Education.BACHELOR, Education.COLLEGE)  # 大专及以上
YOUNG_AGE = 35  # the seeds' "35岁以下"


class Committee(models.TextChoices):
    PARTY = "party", _("社区党组织委员会")
    RESIDENTS = "residents", _("居民委员会")


class Post(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    DEPUTY_SECRETARY = "deputy_secretary", _("副书记")
    DIRECTOR = "director", _("主任")
    DEPUTY_DIRECTOR = "deputy_director", _("副主任")
    MEMBER = "member", _("委员")


POSTS = {
    Committee.PARTY: (Post.SECRETARY, Post.DEPUTY_SECRETARY, Post.MEMBER),
    Committee.RESIDENTS: (Post.DIRECTOR, Post.DEPUTY_DIRECTOR, Post.MEMBER),
}
HEADS = (Post.SECRETARY, Post.DIRECTOR)  # one a term at a time


def years_later(day, years=TERM_YEARS):
    """The same day `years` later (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def term_end(elected_on):
    """A term's last day: the day before the same day five years later (the next election's)."""
    return years_later(elected_on) - datetime.timedelta(days=1)


def overlapping(start, end, start_field, end_field):
    """Q: the span [start_field, end_field] (an open end where null) meets [start, end] (end None: open)."""
    condition = Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": start})
    if end is not None:
        condition &= Q(**{f"{start_field}__lte": end})
    return condition


class TermSpan(models.Func):
    """SQL: a term's days, its election and its last day both included (daterange(…, '[]'))."""

    function = "daterange"
    output_field = DateRangeField()

    def __init__(self, start, end):
        super().__init__(start, end, models.Value("[]"))


def check_community(area, level_error):
    if area is not None and area.level != AreaLevel.COMMUNITY:
        raise ValidationError({"area": level_error})


class CommitteeTerm(AreaRecord):
    """届: one elected term of a community's party committee or residents' committee — its number,
    the day it was elected and the day it ends (换届 five years later unless typed). The terms of
    one committee of a community never overlap."""

    area = models.ForeignKey(
        Area,
        verbose_name=_("社区"),
        on_delete=models.PROTECT,
        related_name="workforce_committeeterm_set",
        related_query_name="workforce_committeeterm",
        limit_choices_to={"level": AreaLevel.COMMUNITY},
    )
    committee = models.CharField(_("班子"), max_length=16, choices=Committee.choices)
    number = models.PositiveSmallIntegerField(_("届次"), validators=[MinValueValidator(1), MaxValueValidator(99)])
    elected_on = models.DateField(_("选举日期"))
    ends_on = models.DateField(_("任期届满日期"), blank=True, help_text=_("不填则为选举日期后五年。"))
    note = models.CharField(_("备注"), max_length=200, blank=True)

    view_action = READ_COMMITTEES
    pick_search_fields = ("area__name", "area__code")

    class Meta:
        verbose_name = _("两委班子届次")
        verbose_name_plural = _("两委班子届次")
        ordering = ["area__code", "committee", "-elected_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "committee", "number"],
                name="workforce_term_unique_number",
                violation_error_message=_("该社区该班子已有这一届，请修改原记录。"),
            ),
            # clean() names the term it meets; this holds for every writer (bulk loads, two imports at once)
            ExclusionConstraint(
                name="workforce_term_no_overlap",
                expressions=[
                    ("area", RangeOperators.EQUAL),
                    ("committee", RangeOperators.EQUAL),
                    (TermSpan("elected_on", "ends_on"), RangeOperators.OVERLAPS),
                ],
                violation_error_message=_("任期与本社区同一班子的另一届重叠：同一班子的届次不能重叠。"),
            ),
        ]
        indexes = [models.Index(fields=["committee", "ends_on"], name="workforce_term_ends")]

    def __str__(self):
        return _("{area}第{number}届{committee}").format(
            area=self.area.name if self.area_id else "", number=self.number, committee=self.get_committee_display()
        )

    def breadcrumb(self):
        return self.area.breadcrumb()

    def save(self, *args, **kwargs):
        if self.ends_on is None and self.elected_on is not None:
            self.ends_on = term_end(self.elected_on)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.area_id:
            check_community(self.area, _("两委班子属于社区（村），请选择社区。"))
        if self.elected_on is None:
            return
        if self.ends_on is None:
            self.ends_on = term_end(self.elected_on)
        if self.ends_on <= self.elected_on:
            raise ValidationError({"ends_on": _("任期届满日期须晚于选举日期。")})
        if self.area_id and self.committee:
            clash = (
                CommitteeTerm.objects.filter(area_id=self.area_id, committee=self.committee)
                .filter(elected_on__lte=self.ends_on, ends_on__gte=self.elected_on)
                .exclude(pk=self.pk)
                .first()
            )
            if clash is not None:
                raise ValidationError(
                    {
                        "elected_on": _("任期与{term}（{start}至{end}）重叠：同一班子的届次不能重叠。").format(
                            term=clash, start=clash.elected_on, end=clash.ends_on
                        )
                    }
                )
        if self.pk and self.committee:
            foreign = self.members.exclude(post__in=POSTS[self.committee]).first()
            if foreign is not None:
                raise ValidationError(
                    {
                        "committee": _("成员{name}任{post}，{committee}没有这一职务，请先修改成员。").format(
                            name=foreign.name, post=foreign.get_post_display(), committee=self.get_committee_display()
                        )
                    }
                )
        if self.pk:
            outside = self.members.filter(Q(started_on__lt=self.elected_on) | Q(started_on__gt=self.ends_on)).first()
            if outside is not None:
                raise ValidationError(
                    {"elected_on": _("成员{name}的任职日期不在新的任期内，请先修改成员。").format(name=outside.name)}
                )

    @property
    def is_due(self):
        """换届 due: the term ends within six months or is overdue."""
        return self.ends_on is not None and self.ends_on <= timezone.localdate() + datetime.timedelta(days=183)


class CommitteeMember(AreaRecord):
    """两委成员: a person on a term's post for a span of the term (from the election unless typed, to
    its end unless they left) — name, ID number (the same person across the portal), gender, birth
    date (from the ID number where left blank) and education (大专及以上 counts as college)."""

    area = models.ForeignKey(
        Area,
        verbose_name=_("社区"),
        on_delete=models.PROTECT,
        related_name="workforce_committeemember_set",
        related_query_name="workforce_committeemember",
        editable=False,
    )
    term = models.ForeignKey(CommitteeTerm, verbose_name=_("届次"), related_name="members", on_delete=models.CASCADE)
    name = models.CharField(_("姓名"), max_length=50)
    id_number = IdNumberField(_("身份证号"))
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    education = models.CharField(_("学历"), max_length=16, choices=Education.choices, blank=True)
    post = models.CharField(_("职务"), max_length=20, choices=Post.choices)
    started_on = models.DateField(_("任职日期"), null=True, blank=True, help_text=_("不填则为选举日期。"))
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)

    view_action = READ_COMMITTEES
    personal_data_columns = ("id_number",)

    class Meta:
        verbose_name = _("两委成员")
        verbose_name_plural = _("两委成员")
        ordering = ["area__code", "term__committee", "-term__elected_on", "post", "name"]
        indexes = [
            models.Index(fields=["id_number"], name="workforce_cmember_id"),
            models.Index(fields=["term", "post"], name="workforce_cmember_post"),
        ]

    def __str__(self):
        return _("{name}（{post}）").format(name=self.name, post=self.get_post_display())

    def breadcrumb(self):
        return self.term.area.breadcrumb()

    def save(self, *args, **kwargs):
        if self.term_id:
            self.area_id = self.term.area_id
            if self.started_on is None:
                self.started_on = self.term.elected_on
        self.fill_from_id_number()
        super().save(*args, **kwargs)

    def fill_from_id_number(self):
        """Gender and birth date from a valid ID number where they were left blank."""
        if not self.id_number or len(self.id_number) != 18:
            return
        if not self.gender:
            self.gender = identity.gender_from_id(self.id_number)
        if self.birth_date is None:
            self.birth_date = identity.birth_date_from_id(self.id_number)

    @property
    def college(self):
        return self.education in COLLEGE

    def clean(self):
        super().clean()
        if not self.term_id:
            return
        term = self.term
        self.area_id = term.area_id
        if self.started_on is None:
            self.started_on = term.elected_on
        errors = {}
        if self.post and self.post not in POSTS[term.committee]:
            errors["post"] = _("{committee}没有“{post}”职务，可选：{posts}。").format(
                committee=term.get_committee_display(),
                post=self.get_post_display(),
                posts="、".join(str(p.label) for p in POSTS[term.committee]),
            )
        if not (term.elected_on <= self.started_on <= term.ends_on):
            errors["started_on"] = _("任职日期须在本届任期内（{start}至{end}）。").format(
                start=term.elected_on, end=term.ends_on
            )
        if self.ended_on is not None and self.ended_on < self.started_on:
            errors["ended_on"] = _("离任日期不能早于任职日期。")
        if errors:
            raise ValidationError(errors)
        self.fill_from_id_number()
        span = overlapping(self.started_on, self.ended_on, "started_on", "ended_on")
        others = CommitteeMember.objects.filter(term=term).filter(span).exclude(pk=self.pk)
        if self.id_number and others.filter(id_number=self.id_number, post=self.post).exists():
            raise ValidationError(
                {
                    "post": _("{name}在本届已任{post}，同一人不能同时两次担任同一职务。").format(
                        name=self.name, post=self.get_post_display()
                    )
                }
            )
        if self.id_number and others.filter(id_number=self.id_number).exists():
            raise ValidationError(
                {"id_number": _("{name}同一时间在本届已有职务，请先填写原职务的离任日期。").format(name=self.name)}
            )
        if self.post in HEADS:
            head = others.filter(post=self.post).first()
            if head is not None:
                raise ValidationError(
                    {
                        "post": _("本届已有{post}{name}，一届同一时间只能有一名{post}。").format(
                            post=self.get_post_display(), name=head.name
                        )
                    }
                )


class MentorStudio(AreaRecord):
    """名书记工作室 (seed 002): a senior secretary's named studio at a street or a community, where
    younger secretaries learn; its sessions are `StudioSession` rows."""

    area = models.ForeignKey(
        Area,
        verbose_name=_("所在区划"),
        on_delete=models.PROTECT,
        related_name="workforce_mentorstudio_set",
        related_query_name="workforce_mentorstudio",
        limit_choices_to={"level__in": (AreaLevel.STREET, AreaLevel.COMMUNITY)},
    )
    name = models.CharField(_("工作室名称"), max_length=100)
    secretary_name = models.CharField(_("领衔书记"), max_length=50)
    id_number = IdNumberField(_("身份证号"))
    founded_on = models.DateField(_("成立日期"))

    view_action = READ_COMMITTEES
    personal_data_columns = ("id_number",)

    class Meta:
        verbose_name = _("名书记工作室")
        verbose_name_plural = _("名书记工作室")
        ordering = ["area__code", "name"]

    def __str__(self):
        return self.name

    def breadcrumb(self):
        return self.area.breadcrumb()

    def clean(self):
        super().clean()
        if self.area_id and self.area.level not in (AreaLevel.STREET, AreaLevel.COMMUNITY):
            raise ValidationError({"area": _("名书记工作室设在街道或社区，请选择街道或社区。")})


class StudioSession(AreaRecord):
    """工作室活动: a session of a studio — its day, topic and how many came."""

    area = models.ForeignKey(
        Area,
        verbose_name=_("所在区划"),
        on_delete=models.PROTECT,
        related_name="workforce_studiosession_set",
        related_query_name="workforce_studiosession",
        editable=False,
    )
    studio = models.ForeignKey(
        MentorStudio, verbose_name=_("工作室"), related_name="sessions", on_delete=models.CASCADE
    )
    held_on = models.DateField(_("活动日期"))
    topic = models.CharField(_("主题"), max_length=200)
    attendees = models.PositiveIntegerField(_("参加人数"), validators=[MinValueValidator(1), MaxValueValidator(10000)])

    view_action = READ_COMMITTEES

    class Meta:
        verbose_name = _("工作室活动")
        verbose_name_plural = _("工作室活动")
        ordering = ["-held_on", "pk"]

    def __str__(self):
        return self.topic

    def breadcrumb(self):
        return self.studio.area.breadcrumb()

    def save(self, *args, **kwargs):
        if self.studio_id:
            self.area_id = self.studio.area_id
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.studio_id:
            self.area_id = self.studio.area_id
            if self.held_on and self.held_on < self.studio.founded_on:
                raise ValidationError(
                    {"held_on": _("活动日期不能早于工作室成立日期（{day}）。").format(day=self.studio.founded_on)}
                )


class MentorPair(AreaRecord):
    """1+10 传帮带 (seed 002): a senior secretary mentoring a younger one, from a day to a day; kept
    under the mentee's community (its area), the mentor's community named."""

    area = models.ForeignKey(
        Area,
        verbose_name=_("被带教人所在社区"),
        on_delete=models.PROTECT,
        related_name="workforce_mentorpair_set",
        related_query_name="workforce_mentorpair",
        limit_choices_to={"level": AreaLevel.COMMUNITY},
    )
    mentor_name = models.CharField(_("导师姓名"), max_length=50)
    mentor_id_number = IdNumberField(_("导师身份证号"))
    mentor_area = models.ForeignKey(
        Area,
        verbose_name=_("导师所在社区"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": AreaLevel.COMMUNITY},
    )
    mentee_name = models.CharField(_("被带教人姓名"), max_length=50)
    mentee_id_number = IdNumberField(_("被带教人身份证号"))
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)

    view_action = READ_COMMITTEES
    personal_data_columns = ("mentor_id_number", "mentee_id_number")

    class Meta:
        verbose_name = _("1+10传帮带")
        verbose_name_plural = _("1+10传帮带")
        ordering = ["area__code", "-started_on", "pk"]

    def __str__(self):
        return _("{mentor}带{mentee}").format(mentor=self.mentor_name, mentee=self.mentee_name)

    def breadcrumb(self):
        return self.area.breadcrumb()

    def clean(self):
        super().clean()
        if self.area_id:
            check_community(self.area, _("请选择被带教人所在社区。"))
        if self.mentor_area_id and self.mentor_area.level != AreaLevel.COMMUNITY:
            raise ValidationError({"mentor_area": _("请选择导师所在社区。")})
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("结束日期不能早于开始日期。")})
        if self.mentor_id_number and self.mentor_id_number == self.mentee_id_number:
            raise ValidationError({"mentee_id_number": _("导师与被带教人不能是同一人。")})
