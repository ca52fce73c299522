"""Party organisations (党组织), party members (党员), organisation life (组织生活) and 双报到
(reporting units and their in-service members), seeds 000, 001, 002 and 004; DESIGN §3 party/.

The models and their history moved here from orgs (issue #16) with their tables: each keeps its
orgs_ table name (`db_table`), so that no row moved and grids' coverage triggers still name them.
"""

import datetime
from decimal import Decimal

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import connection, models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import Gender
from core.fields import IdNumberField, PhoneField
from core.guard import DELETE, Guarded
from orgs.models import Area, phone_validator
from orgs.scoping import Action, ScopedManager, ScopedQuerySet, can, scope_condition

from .choices import AbsenceReason, Education, MeetingKind, MemberStatus, OrgKind, ServiceTeam, UnitKind
from .permissions import LOG_SERVICE, VIEW_PARTY


def id_number_validator(value):
    """The ID-number check of the fields before core.fields.IdNumberField (named by old migrations)."""
    from core.identity import id_number

    try:
        id_number(value)
    except ValueError as error:
        raise ValidationError(str(error)) from None


@pghistory.track(model_name="PartyOrganisationEvent", meta={"db_table": "orgs_partyorganisationevent"})
class PartyOrganisation(models.Model):
    """党组织: led from an area (街道党工委 of a street, 网格党支部 of a grid), under its parent
    organisation; an alliance or an industry committee also covers other areas."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=32, choices=OrgKind.choices)
    area = models.ForeignKey(
        Area, verbose_name=_("所在区划"), related_name="party_organisations", on_delete=models.PROTECT
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级党组织"),
        related_name="children",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    covered_areas = models.ManyToManyField(
        Area,
        verbose_name=_("覆盖区划"),
        related_name="covering_party_organisations",
        blank=True,
        db_table="orgs_partyorganisation_covered_areas",
        help_text=_("联盟、行业党委等覆盖多个区划时填写。"),
    )
    secretary = models.ForeignKey(
        "PartyMember",
        verbose_name=_("书记"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    committee = models.ManyToManyField(
        "PartyMember",
        verbose_name=_("支委会（党委会）成员"),
        related_name="committees",
        blank=True,
        db_table="orgs_partyorganisation_committee",
        help_text=_("本届委员；支委会（党委会）的应到人员。"),
    )
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    term_started_on = models.DateField(_("本届任期开始"), null=True, blank=True)
    next_election_on = models.DateField(_("下次换届日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = ScopedManager()
    view_action = VIEW_PARTY  # not a functional department's to read
    within_paths = "area__code"  # 区划代码（含下级）: where it is led from, not the areas it covers

    class Meta:
        db_table = "orgs_partyorganisation"
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        ordering = ["area__code", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """A change of parent is checked again under a lock held to the end of the transaction: two
        concurrent edits cannot close a loop between them."""
        if self.pk is not None and self.parent_id is not None and connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PARENT_LOCK])
            if self.parent_in_loop():
                raise ValidationError({"parent": _("上级党组织不能是它自己或它的下级。")})
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("party:partyorganisation_detail", args=[self.pk])

    @classmethod
    def scope_hook(cls, user, action, scopes):
        """Kept by the office of its area; also read where it covers an area (an alliance across
        streets is seen by each street it links)."""
        areas = Area.objects.filter(scope_condition("code", scopes)).values("pk")
        if action != Action.VIEW:
            return Q(area__in=areas)
        # `id IN (… UNION …)` rather than an OR through a LEFT JOIN of the link table: each side is
        # served by the index of the area code (a community's scope reads its few areas), and the
        # organisations are not multiplied by the areas they cover.
        led = cls._base_manager.filter(area__in=areas).order_by().values("pk")
        covering = cls.covered_areas.through.objects.filter(area__in=areas).values("partyorganisation_id")
        return Q(pk__in=led.union(covering))

    @property
    def head_title(self):
        """What its head is called: a party group (党小组) has a 组长, every other organisation a 书记."""
        return _("组长") if self.kind == OrgKind.BUILDING_GROUP else _("书记")

    def history_shown_to(self, user):
        """Its change history is for the offices that keep it (its area in their scope), not for
        those that see it through an area it covers: its changes name members beyond their scope."""
        return can(user, VIEW_PARTY, self.area)

    def field_label(self, name):
        """A field's label on this organisation's page (core.views.generic) and form."""
        if name == "secretary":
            return self.head_title
        return self._meta.get_field(name).verbose_name

    def clean(self):
        """The rules of every path that writes an organisation (the form, the API, the admin): no
        loop of parents; the secretary is one of its own members."""
        errors = {}
        if self.parent_id is not None and self.parent_in_loop():
            errors["parent"] = _("上级党组织不能是它自己或它的下级。")
        if self.secretary_id is not None and (self.pk is None or self.secretary.organisation_id != self.pk):
            errors["secretary"] = _("{title}须是本组织的党员。").format(title=self.head_title)
        start, election = self.term_started_on, self.next_election_on
        if start and election and election <= start:
            errors["next_election_on"] = _("下次换届日期须晚于本届任期开始日期。")
        if errors:
            raise ValidationError(errors)

    def parent_in_loop(self):
        """Whether the parent is this organisation or lies below it: one query walking up from the
        parent, at most MAX_DEPTH steps (a loop already in the data cannot hold it forever)."""
        if self.pk is None:
            return False
        if self.parent_id == self.pk:
            return True
        table = self._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"""WITH RECURSIVE up(id, parent_id, depth) AS (
                        SELECT id, parent_id, 1 FROM {table} WHERE id = %s
                        UNION ALL
                        SELECT o.id, o.parent_id, up.depth + 1 FROM {table} o JOIN up ON o.id = up.parent_id
                         WHERE up.depth < %s)
                    SELECT EXISTS (SELECT 1 FROM up WHERE id = %s)""",
                [self.parent_id, MAX_DEPTH, self.pk],
            )
            return cursor.fetchone()[0]


# How far a walk up the parents goes: the chain is six levels deep, a loop is cut short.
MAX_DEPTH = 64
PARENT_LOCK = 0x6A6370  # pg_advisory_xact_lock key of changes of a party organisation's parent


class PartyMemberQuerySet(ScopedQuerySet):
    def probationary_due(self, within_days=30, today=None):
        """预备党员 whose year of probation ends within `within_days` (or has ended)."""
        today = today or timezone.localdate()
        return self.filter(
            status=MemberStatus.PROBATIONARY, joined_on__lte=today - datetime.timedelta(365 - within_days)
        )


# Where a member lives: a grid, a building or a unit (a home, not a street).
RESIDENCE_LEVELS = ("grid", "building", "unit")
RESIDENCE_MESSAGE = _("居住地须是网格、楼栋或单元。")

# What a member's record holds, as the form, the API and the member import handle it.
MEMBER_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "education",
    "phone",
    "id_number",
    "status",
    "joined_on",
    "full_member_on",
    "organisation",
    "is_flowing",
    "flowed_to",
    "is_central_household",
    "households_linked",
    "residence",
)


# Statement-level: a member import of 10,000 rows fires one trigger per statement, not per row.
@pghistory.track(model_name="PartyMemberEvent", level=pghistory.Statement, meta={"db_table": "orgs_partymemberevent"})
class PartyMember(models.Model):
    """党员: a member of one organisation, where their relation (组织关系) lies. The same person as a
    roster head with the same ID number (core.identity)."""

    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    ethnicity = models.CharField(_("民族"), max_length=16, blank=True, default="汉族")
    education = models.CharField(_("学历"), max_length=16, choices=Education.choices, blank=True)
    phone = PhoneField(_("联系电话"))
    id_number = IdNumberField(_("身份证号"))
    status = models.CharField(_("党员类别"), max_length=16, choices=MemberStatus.choices, default=MemberStatus.FULL)
    joined_on = models.DateField(_("入党日期"), null=True, blank=True)
    full_member_on = models.DateField(_("转正日期"), null=True, blank=True)
    organisation = models.ForeignKey(
        PartyOrganisation, verbose_name=_("所在党组织"), related_name="members", on_delete=models.PROTECT
    )
    is_flowing = models.BooleanField(_("流动党员"), default=False)
    flowed_to = models.CharField(_("流向"), max_length=100, blank=True)
    is_central_household = models.BooleanField(_("党员中心户"), default=False)
    households_linked = models.PositiveIntegerField(_("联系户数"), default=0)
    residence = models.ForeignKey(
        Area,
        verbose_name=_("居住地"),
        related_name="resident_party_members",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )

    objects = models.Manager.from_queryset(PartyMemberQuerySet)()
    view_action = VIEW_PARTY  # not a functional department's to read
    scope_path = "organisation__area__code"
    personal_data_columns = ("phone", "id_number")  # personal_data_fields: the fields declare themselves

    class Meta:
        db_table = "orgs_partymember"
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        ordering = ["organisation__name", "name", "pk"]
        # One registration of an ID number per organisation. Across organisations the number is not
        # unique: an office may register a person whose record another office keeps out of its
        # sight (answering otherwise would tell it the person is a member there); the offices that
        # see both registrations are shown the pair (party.widgets.member_panel).
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "id_number"],
                condition=~Q(id_number=""),
                name="orgs_member_org_id_unique",
                violation_error_message=_("该党组织已登记此身份证号的党员。"),
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="orgs_member_org_status"),
            models.Index(fields=["id_number"], condition=~Q(id_number=""), name="orgs_member_id_number"),
            # The home page's reminders (party.widgets.members_to_attend): the probationary in the
            # order their year ends, the flowing by name, read in that order and stopped at eight.
            models.Index(fields=["joined_on"], condition=Q(status="probationary"), name="orgs_member_probation"),
            models.Index(fields=["name"], condition=Q(is_flowing=True), name="orgs_member_flowing"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("party:partymember_detail", args=[self.pk])

    def breadcrumb(self):
        return self.organisation.area.breadcrumb()

    def get_residence_display(self):
        """Where the member lives as people say it: "3栋2单元（文化社区 · 第1网格）"."""
        from orgs.places import place_label

        return place_label(self.residence) if self.residence_id else None

    def clean(self):
        """The rules of a member's record, for every path that writes one (the form, the API, the
        member import): `member_errors` asks no query, so that an import checks ten thousand rows in
        memory; the import checks the residence's level in its own query."""
        errors = member_errors(self)
        if self.residence_id and self.residence.level not in RESIDENCE_LEVELS:  # the import checks it by its query
            errors.setdefault("residence", RESIDENCE_MESSAGE)
        if errors:
            raise ValidationError(errors)


def member_on_record(id_number, user, exclude_pk=None):
    """The member registered with `id_number` among those `user` may see (but `exclude_pk`), or
    None. A registration out of the user's sight is not looked at: the form, the API and the import
    answer alike whether the number is registered there or nowhere (DESIGN §2: nothing leaks)."""
    if not id_number:
        return None
    found = PartyMember.objects.scoped(user).filter(id_number=id_number).select_related("organisation")
    if exclude_pk is not None:
        found = found.exclude(pk=exclude_pk)
    return found.order_by("pk").first()


def registered_message(member):
    return _("此身份证号已登记为{organisation}的党员“{name}”，不能重复登记；如需调整请办理组织关系转接。").format(
        organisation=member.organisation, name=member.name
    )


def probation_start(today=None):
    """The earliest 入党日期 of a probationary member today: the probation (预备期) lasts one year;
    then the branch admits the member as a full member (转正)."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def member_errors(member, today=None):
    """{field: message} of what a member's record breaks."""
    today = today or timezone.localdate()
    errors = {}
    if member.joined_on and member.joined_on > today:
        errors["joined_on"] = _("入党日期不能晚于今天。")
    if member.status == MemberStatus.PROBATIONARY:
        if member.full_member_on:
            errors["full_member_on"] = _("预备党员尚未转正，请留空转正日期。")
        if not member.joined_on:
            errors.setdefault("joined_on", _("预备党员请填写入党日期（预备期从这一天算起）。"))
        elif member.joined_on < probation_start(today):
            errors.setdefault(
                "joined_on",
                _(
                    "预备期为一年：入党日期为{day}的预备党员已超过预备期。"
                    "入党日期须不早于{start}；已转正的请改为正式党员并填写转正日期。"
                ).format(day=member.joined_on.isoformat(), start=probation_start(today).isoformat()),
            )
    elif member.full_member_on and member.joined_on and member.full_member_on < member.joined_on:
        errors["full_member_on"] = _("转正日期不能早于入党日期。")
    if member.is_flowing and not member.flowed_to:
        errors["flowed_to"] = _("流动党员请填写流向。")
    return errors


@pghistory.track(model_name="MemberTransferEvent", meta={"db_table": "orgs_membertransferevent"})
class MemberTransfer(models.Model):
    """组织关系转接: a member's relation moves from one organisation to another; the history of where
    the member belonged."""

    member = models.ForeignKey(PartyMember, verbose_name=_("党员"), related_name="transfers", on_delete=models.CASCADE)
    from_organisation = models.ForeignKey(
        PartyOrganisation, verbose_name=_("转出党组织"), related_name="+", on_delete=models.PROTECT
    )
    to_organisation = models.ForeignKey(
        PartyOrganisation, verbose_name=_("转入党组织"), related_name="+", on_delete=models.PROTECT
    )
    transferred_on = models.DateField(_("转接日期"), default=timezone.localdate)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = ScopedManager()
    view_action = VIEW_PARTY  # not a functional department's to read
    scope_path = "member__organisation__area__code"

    class Meta:
        db_table = "orgs_membertransfer"
        verbose_name = _("组织关系转接")
        verbose_name_plural = _("组织关系转接")
        ordering = ["-transferred_on", "-pk"]

    def __str__(self):
        return f"{self.member} · {self.from_organisation} → {self.to_organisation}"

    def get_absolute_url(self):
        return self.member.get_absolute_url()


class MeetingQuerySet(ScopedQuerySet):
    def with_attendance(self):
        """Each meeting's number of attendees (`attended`), by a subquery evaluated for the rows
        shown: a page's count does not join the attendance of every meeting."""
        through = Meeting.attendees.through
        attended = through.objects.filter(meeting_id=models.OuterRef("pk")).values("meeting_id")
        return self.annotate(
            attended=models.Subquery(
                attended.annotate(n=models.Count("*")).values("n")[:1], output_field=models.IntegerField()
            )
        )


@pghistory.track(model_name="MeetingEvent", meta={"db_table": "orgs_meetingevent"})
class Meeting(models.Model):
    """组织生活: a meeting of one organisation (三会一课, 主题党日, 第一议题), with its attendance
    taken against the membership of the day."""

    organisation = models.ForeignKey(
        PartyOrganisation, verbose_name=_("党组织"), related_name="meetings", on_delete=models.PROTECT
    )
    kind = models.CharField(_("类型"), max_length=32, choices=MeetingKind.choices)
    held_on = models.DateField(_("日期"), default=timezone.localdate)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    host = models.CharField(_("主持人"), max_length=50, blank=True)
    recorder = models.CharField(_("记录人"), max_length=50, blank=True)
    topic = models.CharField(_("主题"), max_length=200)
    minutes = models.TextField(_("会议记录"), blank=True)
    attendees = models.ManyToManyField(
        PartyMember, verbose_name=_("出席党员"), related_name="meetings", blank=True, db_table="orgs_meeting_attendees"
    )
    expected = models.PositiveIntegerField(
        _("应到人数"), default=0, help_text=_("会议当日该组织的党员（支委会为支委会成员）人数。")
    )

    objects = models.Manager.from_queryset(MeetingQuerySet)()
    view_action = VIEW_PARTY  # not a functional department's to read
    scope_path = "organisation__area__code"

    class Meta:
        db_table = "orgs_meeting"
        verbose_name = _("组织生活")
        verbose_name_plural = _("组织生活")
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "kind", "held_on"], name="orgs_meeting_org_kind_day"),
            # The lists' order: a city's newest meetings are the first rows of this index.
            models.Index(fields=["-held_on", "-id"], name="orgs_meeting_newest"),
        ]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.topic}"

    def get_absolute_url(self):
        return reverse("party:meeting_detail", args=[self.pk])

    def breadcrumb(self):
        return self.organisation.area.breadcrumb()

    @property
    def attendance(self):
        attended = self.attended if hasattr(self, "attended") else self.attendees.count()
        return f"{attended or 0}/{self.expected}"

    def expected_members(self):
        """Who was to attend: the organisation's members of the meeting's day (members_on), and of
        them the committee for a 支委会 (all of them while no committee is recorded)."""
        members = members_on(self.organisation, self.held_on)
        if self.kind == MeetingKind.COMMITTEE_MEETING and self.organisation.committee.exists():
            members = members.filter(committees=self.organisation)
        return members

    def take_attendance(self, present, reasons=None):
        """Record who came (`present`) of those expected, the others as absent with their reasons
        ({member id: reason}); `expected` is their number. The meeting is saved."""
        reasons = reasons or {}
        expected = list(self.expected_members().order_by("name", "pk"))
        present_ids = {m.pk for m in present}
        # A member who came though no longer of the day's list (an edit after a transfer) still came.
        expected_ids = {m.pk for m in expected} | present_ids
        self.expected = len(expected_ids)
        self.save()
        self.attendees.set(list(present_ids))
        self.absences.all().delete()
        MeetingAbsence.objects.bulk_create(
            MeetingAbsence(meeting=self, member=m, reason=reasons.get(m.pk, ""))
            for m in expected
            if m.pk not in present_ids
        )


def members_on(organisation, day):
    """The members of `organisation` on `day`: those whose relation lay there that day (their
    current organisation, or the one a later transfer moved them from) and who had joined the
    party by then."""
    later = MemberTransfer.objects.filter(member=models.OuterRef("pk"), transferred_on__gt=day).order_by(
        "transferred_on", "pk"
    )
    # Its members and those it transferred away, as one indexed id IN (… UNION …): an OR of the two
    # read the city's 200,000 members for every meeting form.
    theirs = PartyMember.objects.filter(organisation=organisation).values("pk")
    left = MemberTransfer.objects.filter(from_organisation=organisation).values("member")
    return (
        PartyMember.objects.filter(pk__in=theirs.union(left))
        .filter(Q(joined_on__isnull=True) | Q(joined_on__lte=day))
        .annotate(
            organisation_then=Coalesce(
                models.Subquery(later.values("from_organisation_id")[:1]),
                "organisation_id",
                output_field=models.BigIntegerField(),
            )
        )
        .filter(organisation_then=organisation.pk)
    )


class MeetingAbsence(models.Model):
    """A member expected at a meeting who did not come, and why (请假原因)."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("组织生活"), related_name="absences", on_delete=models.CASCADE)
    member = models.ForeignKey(
        PartyMember, verbose_name=_("缺席党员"), related_name="absences", on_delete=models.CASCADE
    )
    reason = models.CharField(_("缺席原因"), max_length=16, choices=AbsenceReason.choices, blank=True)

    class Meta:
        db_table = "orgs_meetingabsence"
        verbose_name = _("缺席党员")
        verbose_name_plural = _("缺席党员")
        ordering = ["member__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="orgs_meeting_absence_unique")]

    def __str__(self):
        return f"{self.member} {self.get_reason_display() or ''}".strip()


def meeting_photo_path(photo, filename):
    return f"meetings/{photo.meeting.held_on:%Y/%m}/{photo.meeting_id}/{filename}"


class MeetingPhoto(models.Model):
    """A photo of a meeting (会议照片), checked as every upload is (core.files) and served only
    to those who may see the meeting."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("组织生活"), related_name="photos", on_delete=models.CASCADE)
    file = models.FileField(_("照片"), upload_to=meeting_photo_path, max_length=255)
    name = models.CharField(_("文件名"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), related_name="+", null=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        db_table = "orgs_meetingphoto"
        verbose_name = _("会议照片")
        verbose_name_plural = _("会议照片")
        ordering = ["pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("party:meetingphoto_download", args=[self.pk])


@pghistory.track(model_name="ReportingUnitEvent", meta={"db_table": "orgs_reportingunitevent"})
class ReportingUnit(models.Model):
    """报到单位 (双报到): an agency, state-owned enterprise or institution whose party organisation
    registers with communities (组织共建、活动共办、资源共享) and whose members report where they live.
    Kept by the office of its area; read by the communities it reports to and by its own users."""

    name = models.CharField(_("单位名称"), max_length=100, unique=True)
    kind = models.CharField(_("单位类型"), max_length=16, choices=UnitKind.choices)
    party_organisation_name = models.CharField(_("单位党组织"), max_length=100, blank=True)
    area = models.ForeignKey(Area, verbose_name=_("登记区划"), related_name="reporting_units", on_delete=models.PROTECT)
    communities = models.ManyToManyField(
        Area, verbose_name=_("报到社区"), through="UnitRegistration", related_name="reported_units", blank=True
    )
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[phone_validator])
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("单位账号"),
        related_name="reporting_units",
        blank=True,
        db_table="orgs_reportingunit_users",
        help_text=_("这些账号只能查看本单位的在职党员并登记其服务。"),
    )

    objects = ScopedManager()
    view_action = VIEW_PARTY  # not a functional department's to read
    personal_data_fields = {"contact_phone": "contact_phone"}

    class Meta:
        db_table = "orgs_reportingunit"
        verbose_name = _("报到单位")
        verbose_name_plural = _("报到单位")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("party:reportingunit_detail", args=[self.pk])

    reached_by_accounts = True  # a reporting unit's own account reaches its unit's (core.gate)
    @classmethod
    def scope_hook(cls, user, action, scopes):
        condition = scope_condition("area__code", scopes)
        if action == Action.VIEW:
            condition |= scope_condition("communities__code", scopes) | Q(users=user)
        return condition


@pghistory.track(model_name="UnitRegistrationEvent", meta={"db_table": "orgs_unitregistrationevent"})
class UnitRegistration(models.Model):
    """A reporting unit registered with a community: the agreement and what the unit brings."""

    unit = models.ForeignKey(
        ReportingUnit, verbose_name=_("报到单位"), related_name="registrations", on_delete=models.CASCADE
    )
    community = models.ForeignKey(Area, verbose_name=_("报到社区"), related_name="+", on_delete=models.PROTECT)
    registered_on = models.DateField(_("报到日期"), default=timezone.localdate)
    agreement = models.CharField(_("共建协议"), max_length=200, blank=True)
    resources = models.TextField(_("提供资源"), blank=True)

    objects = ScopedManager()
    view_action = VIEW_PARTY  # not a functional department's to read
    within_paths = "community__code"  # 区划代码（含下级）

    class Meta:
        db_table = "orgs_unitregistration"
        verbose_name = _("单位报到")
        verbose_name_plural = _("单位报到")
        ordering = ["community__code", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "community"],
                name="orgs_unit_registration_unique",
                violation_error_message=_("该单位已在此社区报到。"),
            )
        ]

    def __str__(self):
        return f"{self.unit} → {self.community.name}"

    def get_absolute_url(self):
        return reverse("party:unitregistration_detail", args=[self.pk])

    def breadcrumb(self):
        return self.community.breadcrumb()

    reached_by_accounts = True  # a reporting unit's own account reaches its unit's (core.gate)
    @classmethod
    def scope_hook(cls, user, action, scopes):
        """Kept by the community registered with; read by the unit's own account too."""
        condition = scope_condition("community__code", scopes)
        if action == Action.VIEW:
            condition |= Q(unit__users=user)
        return condition


@pghistory.track(model_name="InServiceMemberEvent", meta={"db_table": "orgs_inservicememberevent"})
class InServiceMember(models.Model):
    """在职党员: a member of a reporting unit who reports (亮身份) to the community where they live,
    assigned to a grid and a volunteer team (五彩). Seen by that community and by the unit."""

    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices, blank=True)
    phone = PhoneField(_("联系电话"))
    id_number = IdNumberField(_("身份证号"))
    unit = models.ForeignKey(
        ReportingUnit, verbose_name=_("所在单位"), related_name="members", on_delete=models.PROTECT
    )
    community = models.ForeignKey(Area, verbose_name=_("报到社区"), related_name="+", on_delete=models.PROTECT)
    grid = models.ForeignKey(
        Area, verbose_name=_("分配网格"), related_name="+", null=True, blank=True, on_delete=models.PROTECT
    )
    team = models.CharField(_("志愿服务队"), max_length=16, choices=ServiceTeam.choices, blank=True)
    reported_on = models.DateField(_("报到日期"), default=timezone.localdate)

    objects = ScopedManager()
    view_action = VIEW_PARTY  # not a functional department's to read
    # 区划代码（含下级）: reported to a community of the subtree, or assigned to a grid of it
    within_paths = ("community__code", "grid__code")
    personal_data_columns = ("phone", "id_number")  # personal_data_fields: the fields declare themselves

    class Meta:
        db_table = "orgs_inservicemember"
        verbose_name = _("在职党员")
        verbose_name_plural = _("在职党员")
        ordering = ["community__code", "name", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("party:inservicemember_detail", args=[self.pk])

    def breadcrumb(self):
        return self.community.breadcrumb()

    reached_by_accounts = True  # a reporting unit's own account reaches its unit's (core.gate)
    scope_hook_flat = True  # the hook is `id IN (… UNION …)`

    @classmethod
    def scope_hook(cls, user, action, scopes):
        """The community it reports to keeps it (and the grid it is assigned to); its unit's own
        users see it and log its service, wherever it reported (a scope that is not an area)."""
        return Q(pk__in=cls.ids_in_scope(user, action, scopes))

    @classmethod
    def ids_in_scope(cls, user, action, scopes):
        """The ids `scope_hook` reaches, as `id IN (… UNION …)`: each side is served by an index
        (the areas' codes, then the members' community or grid), where an OR over the joins made
        the planner walk every area of the city in code order for a community's list (280 ms)."""
        rows = cls._base_manager.order_by()
        parts = [
            rows.filter(scope_condition("community__code", scopes)).values("pk"),
            rows.filter(scope_condition("grid__code", scopes)).values("pk"),
        ]
        if action in (Action.VIEW, LOG_SERVICE):
            parts.append(rows.filter(unit__users=user).values("pk"))
        return parts[0].union(*parts[1:])

    def clean(self):
        """The form's and the API's rule alike: the grid is a grid (not a building or a unit) of
        the community reported to."""
        if self.grid_id and self.community_id and not self.grid.code.startswith(self.community.code):
            raise ValidationError({"grid": _("分配网格须在报到社区内。")})
        if self.grid_id and self.grid.level != "grid":
            level = self.grid.get_level_display()
            raise ValidationError({"grid": _("分配网格须是网格，不能是{level}。").format(level=level)})


# A deletion is kept too: a service once logged leaves a trace (issue 15).
@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    model_name="ServiceRecordEvent",
    meta={"db_table": "orgs_servicerecordevent"},
)
class ServiceRecord(Guarded, models.Model):
    """服务记录: what an in-service member did for the community, confirmed by the community."""

    member = models.ForeignKey(
        InServiceMember, verbose_name=_("在职党员"), related_name="services", on_delete=models.CASCADE
    )
    served_on = models.DateField(_("服务日期"), default=timezone.localdate)
    hours = models.DecimalField(
        _("时长（小时）"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))], default=2
    )
    description = models.CharField(_("服务内容"), max_length=200)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("社区确认人"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    objects = ScopedManager()
    view_action = VIEW_PARTY  # not a functional department's to read

    class Meta:
        db_table = "orgs_servicerecord"
        verbose_name = _("服务记录")
        verbose_name_plural = _("服务记录")
        ordering = ["-served_on", "-pk"]
        indexes = [
            models.Index(fields=["-served_on", "-id"], name="orgs_servicerecord_newest"),  # the lists' order
            # What waits for a community's confirmation (party.widgets.services_to_confirm): few rows.
            models.Index(fields=["member"], condition=Q(confirmed_at__isnull=True), name="orgs_service_unconfirmed"),
        ]

    def __str__(self):
        return f"{self.member} {self.served_on} {self.description}"

    def get_absolute_url(self):
        return reverse("party:servicerecord_detail", args=[self.pk])

    def breadcrumb(self):
        return self.member.community.breadcrumb()

    reached_by_accounts = True  # a reporting unit's own account reaches its unit's (core.gate)
    scope_hook_flat = True  # the hook is `member_id IN (…)`

    @classmethod
    def scope_hook(cls, user, action, scopes):
        """Logged by the community or the member's unit; confirmed by the community alone. Once
        confirmed it is locked: no one changes or deletes it until the community reopens it."""
        # The members reached as InServiceMember reaches them (indexed subqueries, not an OR of joins).
        condition = Q(member__in=InServiceMember.ids_in_scope(user, action, scopes))
        if action == LOG_SERVICE:
            condition &= Q(confirmed_at__isnull=True)
        return condition

    def refuses(self, what):
        """Once the community confirms it, it is locked until the community reopens it."""
        if self.confirmed_at is None:
            return ""
        if what == DELETE:
            return _("该服务记录已经社区确认，不能删除；如需更正，请社区先取消确认。")
        return _("该服务记录已经社区确认，不能修改；如需更正，请社区先取消确认。")

    @property
    def confirmed(self):
        return self.confirmed_at is not None


def counted_members():
    """An organisation's number of 党员, as a subquery per row: counted for the rows a page shows
    (after its LIMIT), not for every organisation of the scope joined to all their members."""
    members = PartyMember.objects.filter(organisation=models.OuterRef("pk")).order_by()
    counted = members.values("organisation").annotate(n=models.Count("pk")).values("n")
    return Coalesce(models.Subquery(counted, output_field=models.IntegerField()), 0)
