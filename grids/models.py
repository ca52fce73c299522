from typing import NamedTuple

import pghistory
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.choices import label as choice_label
from core.fields import IdNumberField, PhoneField
from orgs.models import Area
from orgs.scoping import ScopedQuerySet, scope_condition, user_scopes

from .choices import HEAD_POSTS, PARTY_STATUSES, Employment, Gender, PoliticalStatus, Post
from .permissions import VIEW_ROSTER


class PersonQuerySet(ScopedQuerySet):
    def as_shown_to(self, user):
        """The people in `user`'s scope, each annotated with the details the user is shown
        (`shown_name`, `shown_phone`, …, read through `Person.holder`) and `record_kept`.

        A user keeps a person's registered record when every post of theirs, current or
        relieved, lies in the user's scope; then the record is shown. Otherwise the record
        belongs to another office too, and the person is shown as the user's own most recent
        post of theirs shows them: what was typed for it, or the record if nothing was."""
        queryset = self.scoped(user)
        if getattr(user, "is_superuser", False):
            return queryset.annotate(record_kept=Value(True), **{f"shown_{name}": F(name) for name in Holder._fields})
        in_scope = scope_condition("area__code", user_scopes(user, VIEW_ROSTER))
        posts = HeadAssignment.objects.filter(person=OuterRef("pk"))
        latest = posts.filter(in_scope).order_by(F("end_date").desc(nulls_first=True), "-start_date", "-pk")
        queryset = queryset.annotate(
            record_kept=~Exists(posts.exclude(in_scope)),
            **{f"post_given_{name}": Subquery(latest.values(f"given_{name}")[:1]) for name in Holder._fields},
        )
        return queryset.annotate(
            **{
                f"shown_{name}": Case(
                    When(Q(record_kept=True) | Q(post_given_name=""), then=F(name)),
                    default=F(f"post_given_{name}"),
                )
                for name in Holder._fields
            }
        )


class Holder(NamedTuple):
    """A post holder's details as a post shows them (see HeadAssignment.holder)."""

    name: str
    gender: str
    phone: str
    id_number: str
    political_status: str

    def get_gender_display(self):
        return choice_label(Gender, self.gender) if self.gender else ""

    def get_political_status_display(self):
        return choice_label(PoliticalStatus, self.political_status) if self.political_status else ""


# Statement-level triggers: one trigger call per COPY or UPDATE, not one per row (bulk imports).
@pghistory.track(model_name="PersonEvent", level=pghistory.Statement)
class Person(models.Model):
    """人员: somebody who holds or held a post of the roster (网格长, 楼栋长, 单元长, 网格员, 十联户长).

    Recognised across rows and sheets by the ID number (身份证号), or by name and phone when
    the ID number is missing. Phone and ID number are stored whole and shown masked.
    """

    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices, blank=True)
    phone = PhoneField(_("联系电话"))
    id_number = IdNumberField(_("身份证号"))
    political_status = models.CharField(_("政治面貌"), max_length=16, choices=PoliticalStatus.choices, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = models.Manager.from_queryset(PersonQuerySet)()
    # A person is in scope where one of their posts is (current or relieved); what the user is
    # shown of them comes from `as_shown_to`.
    scope_path = "posts__area__code"
    view_action = VIEW_ROSTER
    scope_distinct = True
    # The fields declare themselves personal data (core.fields); what the user is shown of them is
    # read through the holder, so the paths are said here.
    personal_data_fields = {"phone": "holder.phone", "id_number": "holder.id_number"}
    personal_data_columns = ("phone", "id_number")  # masked in the change history too

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["id_number"], condition=~Q(id_number=""), name="grids_person_id_unique"),
        ]
        indexes = [models.Index(fields=["name", "phone"], name="grids_person_name_phone")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("grids:person_detail", kwargs={"pk": self.pk})

    @property
    def is_party_member(self):
        return self.political_status in (PoliticalStatus.PARTY_MEMBER, PoliticalStatus.PROBATIONARY)

    @classmethod
    def personal_data_queryset(cls, user):
        """What a user may reveal of a person: the numbers the user is shown (`as_shown_to`)."""
        return cls.objects.as_shown_to(user)

    @property
    def record(self):
        """The registered details."""
        return Holder(self.name, self.gender, self.phone, self.id_number, self.political_status)

    @property
    def holder(self):
        """The details as shown to the user of `as_shown_to`, else the registered record."""
        if hasattr(self, "shown_name"):
            return Holder(*(getattr(self, f"shown_{name}") for name in Holder._fields))
        return self.record


def registered_party_member(person_path="person"):
    """Whether the person reached by `person_path` is in the party's member register (orgs), the
    same person by ID number: a head the roster records as 群众 may still be a party member."""
    from party.models import PartyMember

    return Exists(PartyMember.objects.filter(id_number=OuterRef(f"{person_path}__id_number")).exclude(id_number=""))


def party_holder():
    """A post whose holder is a party member, by the roster or by the party's member register."""
    return (
        Q(given_name="", person__political_status__in=PARTY_STATUSES)
        | Q(given_political_status__in=PARTY_STATUSES)
        | Q(registered_party_member())
    )


class HeadAssignmentQuerySet(ScopedQuerySet):
    def current(self):
        """Posts not ended: held today, or to be taken up on a future start date (scheduled)."""
        return self.filter(end_date__isnull=True)

    def covering(self, on=None):
        """Posts that cover their area on the day `on` (today): started, and not ended by then. A
        head appointed from a future date does not cover yet; the one they replace still does."""
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.filter(Q(start_date__lte=on), Q(end_date__isnull=True) | Q(end_date__gt=on))


@pghistory.track(
    model_name="HeadAssignmentEvent",
    level=pghistory.Statement,
    # The code of the post's area, kept by triggers (migration 0007): the home page's latest changes
    # of a scope read its events by their code, without joining the areas (core.history.latest).
    attrs={"area_code": models.CharField(_("区划代码"), max_length=32, db_collation="C", null=True, editable=False)},
    meta={
        "indexes": [
            models.Index(fields=["pgh_created_at", "pgh_id"], name="grids_headevent_created"),
            models.Index(fields=["area_code", "pgh_created_at", "pgh_id"], name="grids_headevent_code"),
        ]
    },
)
class HeadAssignment(models.Model):
    """任职: a person holds a post on an area from a start date until an end date (when replaced).

    The three heads (网格长 on a grid, 楼栋长 on a building, 单元长 on a unit) have one current
    holder per area; grid workers and ten-household heads may be several per grid.
    """

    person = models.ForeignKey(Person, verbose_name=_("人员"), related_name="posts", on_delete=models.PROTECT)
    area = models.ForeignKey(Area, verbose_name=_("区划"), related_name="head_assignments", on_delete=models.PROTECT)
    post = models.CharField(_("职务"), max_length=24, choices=Post.choices)
    employment = models.CharField(_("专兼职"), max_length=16, choices=Employment.choices, blank=True)
    start_date = models.DateField(_("任职日期"))
    end_date = models.DateField(_("离任日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    # The holder as the appointing office typed them, kept when the person's registered details
    # belong to another office (a post outside its scope): that office's record is neither
    # changed nor shown, and this post shows what was typed here. Blank: the person's record.
    given_name = models.CharField(_("任职时填写的姓名"), max_length=50, blank=True)
    given_gender = models.CharField(_("任职时填写的性别"), max_length=8, choices=Gender.choices, blank=True)
    given_phone = models.CharField(_("任职时填写的联系电话"), max_length=20, blank=True)
    given_id_number = models.CharField(_("任职时填写的身份证号"), max_length=18, blank=True)
    given_political_status = models.CharField(
        _("任职时填写的政治面貌"), max_length=16, choices=PoliticalStatus.choices, blank=True
    )

    objects = models.Manager.from_queryset(HeadAssignmentQuerySet)()
    scope_path = "area__code"
    view_action = VIEW_ROSTER
    personal_data_fields = {"phone": "holder.phone", "id_number": "holder.id_number"}
    personal_data_columns = ("given_phone", "given_id_number")  # masked in the change history too
    GIVEN_FIELDS = ("given_name", "given_gender", "given_phone", "given_id_number", "given_political_status")

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        ordering = ["area__code", "post", "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "post"],
                condition=Q(end_date__isnull=True, post__in=list(HEAD_POSTS)),
                name="grids_one_current_head_per_area",
            ),
            models.UniqueConstraint(
                fields=["area", "post", "person"],
                condition=Q(end_date__isnull=True),
                name="grids_one_current_post_per_person",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="grids_post_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["area", "post"], condition=Q(end_date__isnull=True), name="grids_current")]

    def __str__(self):
        return f"{self.holder.name} · {self.get_post_display()} · {self.place}"

    @property
    def place(self):
        """Where the post is, as the roster names it: 5栋3单元, 第1网格5栋, A1社区第1网格."""
        from orgs.places import place_name

        return place_name(self.area)

    @property
    def is_current(self):
        return self.end_date is None

    @property
    def is_scheduled(self):
        """Appointed from a future date: not covering yet."""
        from django.utils import timezone

        return self.start_date > timezone.localdate()

    @property
    def holder(self):
        """Who holds the post, as this post shows them: what the appointing office typed when
        the person's record is kept by another office, else the person's record."""
        if self.given_name:
            return Holder(
                self.given_name,
                self.given_gender,
                self.given_phone,
                self.given_id_number,
                self.given_political_status,
            )
        return self.person.record


# --- coverage kept by the roster's writes (grids/coverage.py) -----------------------------------
# Figures for the subtrees of cities, districts and streets are summed from these tallies, one per
# bucket of areas sharing the first TALLY_PREFIX_LENGTH digits of their code (about a street),
# instead of being recounted over ~165,000 areas on every view. Triggers (migration 0004) mark a
# bucket stale on every write to areas, posts or people's political status, whatever the path;
# the next reader recounts the stale buckets, and everything once a day, since a post covers
# from its start date (grids/coverage.py, `fresh_tallies`).
TALLY_PREFIX_LENGTH = 9


class CoverageTally(models.Model):
    """The coverage of the grids, buildings and units whose codes begin with `prefix`, as of
    `computed_on`."""

    prefix = models.CharField(primary_key=True, max_length=TALLY_PREFIX_LENGTH)
    computed_on = models.DateField()
    grids = models.PositiveIntegerField(default=0)
    grids_covered = models.PositiveIntegerField(default=0)
    buildings = models.PositiveIntegerField(default=0)
    buildings_covered = models.PositiveIntegerField(default=0)
    units = models.PositiveIntegerField(default=0)
    units_covered = models.PositiveIntegerField(default=0)
    heads = models.PositiveIntegerField(default=0)
    party_heads = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("覆盖统计")
        verbose_name_plural = _("覆盖统计")

    def __str__(self):
        return f"{self.prefix} ({self.computed_on})"


class StaleCoverageTally(models.Model):
    """A bucket whose tally a write has made stale (written by the triggers)."""

    prefix = models.CharField(primary_key=True, max_length=TALLY_PREFIX_LENGTH)

    class Meta:
        verbose_name = _("待重算的覆盖统计")
        verbose_name_plural = _("待重算的覆盖统计")

    def __str__(self):
        return self.prefix
