"""吹哨报到's rules and steps (services/models_whistles.py): blowing a whistle (checked: a place of
the street, a deadline not past, departments of the street's district or city), the declared
steps of each department's response — 报到 (sign for), 办结 (close, with evidence), 核验评分
(verify and score) — whose buttons, confirmation, POST view, API action, history row and race
refusal are the kit's (core/transitions.py); the overdue responses escalated to the district (a
DueSource: the district's organisation department told once, the flag on the lists); and the
quarterly ranking of departments by the streets' scores."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, DecimalField, F, Q, Window
from django.db.models.functions import Cast, NullIf, Rank
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import files, notices
from core.registry import Due
from core.transitions import UNSEEN, Notify, StateMachine, Subject, Transition
from orgs.choices import AreaLevel, Role
from orgs.models import Department, RoleAssignment
from orgs.scoping import can

from .models_whistles import OPEN_STATES, ResponseStatus, Whistle, WhistleResponse, overdue, score_of
from .permissions import ANSWER_WHISTLE, BLOW_WHISTLE, READ_WHISTLES, VERIFY_WHISTLE

# --- blowing --------------------------------------------------------------------------------------


def street_of(area):
    """The street an area lies in (itself if a street), or None above the street level."""
    node = area
    while node is not None and node.level != AreaLevel.STREET:
        node = node.parent
    return node


def departments_for(area):
    """The departments a whistle about `area` may call: those of its district or its city."""
    prefixes = [area.code[:n] for n in range(2, len(area.code) + 1)]
    return Department.objects.filter(area__code__in=prefixes, area__level__in=(AreaLevel.CITY, AreaLevel.DISTRICT))


def blow_errors(user, area, deadline, departments, today=None):
    """The refusals of a whistle, by field, in Chinese ({} when it may be blown); `area` and
    `departments` None when they are not asked (a blown whistle's new deadline)."""
    today = today or timezone.localdate()
    errors = {}
    if area is not None:
        if street_of(area) is None:
            errors["area"] = _("吹哨地点须在街道之内（街道、社区、网格或楼栋），“{area}”是{level}。").format(
                area=area.name, level=area.get_level_display()
            )
        elif not can(user, BLOW_WHISTLE, area):
            errors["area"] = _("“{area}”不在您可以吹哨的范围内。").format(area=area.name)
    if deadline is not None and deadline < today:
        errors["deadline"] = _("办结时限 {day} 已过，请选择今天或以后的日期。").format(day=deadline.isoformat())
    if departments is None:  # a whistle blown keeps its departments (an edit of its deadline)
        pass
    elif not departments:
        errors["departments"] = _("请至少选择一个报到部门。")
    elif area is not None and "area" not in errors:
        allowed = set(departments_for(area).values_list("pk", flat=True))
        outside = [d for d in departments if d.pk not in allowed]
        if outside:
            errors["departments"] = _("“{names}”不属于本区或本市，不能向其吹哨。").format(
                names="、".join(d.name for d in outside)
            )
    return errors


def department_users(department_ids):
    return list(
        RoleAssignment.objects.filter(
            role=Role.DEPARTMENT, department__in=department_ids, user__is_active=True
        ).values_list("user_id", flat=True)
    )


def blow(whistle, departments, user, subject=None):
    """Blow `whistle` (unsaved) to `departments`: checked, saved with one response a department, and
    each department's users told (the next to act). `subject`: a record the type links to.
    Raises a ValidationError by field."""
    errors = blow_errors(user, whistle.area, whistle.deadline, departments)
    model = whistle.kind.subject_model if whistle.kind_id else ""
    if model and subject is None:
        errors["subject"] = _("“{kind}”须选择关联的对象。").format(kind=whistle.kind)
    if errors:
        raise ValidationError({k: [str(v)] for k, v in errors.items()})
    with transaction.atomic():
        whistle.blown_by = user if getattr(user, "pk", None) else None
        if subject is not None and model:
            whistle.subject_type = ContentType.objects.get_for_model(subject)
            whistle.subject_id, whistle.subject_label = subject.pk, str(subject)[:200]
        whistle.save()
        responses = WhistleResponse.objects.bulk_create(
            WhistleResponse(whistle=whistle, department=department) for department in departments
        )
        for response in responses:
            notices.tell(
                [pk for pk in department_users([response.department_id]) if pk != getattr(user, "pk", None)],
                source=f"services.whistleresponse:{response.pk}:blow",
                title=_("街道吹哨：{title}（{day} 前办结）").format(title=whistle.title, day=whistle.deadline),
                body=_("{area} · {kind}。请报到并处置。").format(area=whistle.area.name, kind=whistle.kind),
                url=response.get_absolute_url(),
                record=response,
                record_label=str(response),
            )
    return whistle


def subject_choices(kind, user):
    """The records a whistle of `kind` may be about, those `user` reads (the linked app's own
    scoped manager, found through Django's app registry: no import of that app)."""
    if kind is None or not kind.subject_model:
        return None
    from django.apps import apps

    model = apps.get_model(kind.subject_model)
    return model._default_manager.scoped(user)


# --- the response's steps ----------------------------------------------------------------------


def street_area(subject):
    return subject.area.whistle.area


RESPONSES = StateMachine(
    WhistleResponse,
    [
        Transition(
            "sign",
            gettext_lazy("报到"),
            [ResponseStatus.ADDRESSED],
            ResponseStatus.SIGNED,
            ANSWER_WHISTLE,
            confirm=gettext_lazy("确定报到“{subject}”吗？报到后请在时限内处置并办结。"),
            done=gettext_lazy("已报到。"),
            refusal=gettext_lazy("{subject}当前为“{state}”，不能再报到。"),
            style="btn-outline-primary",
            icon="person-check",
        ),
        Transition(
            "close",
            gettext_lazy("办结"),
            [ResponseStatus.SIGNED],
            ResponseStatus.CLOSED,
            ANSWER_WHISTLE,
            confirm=gettext_lazy("填写处置情况并上传办结材料后办结“{subject}”。"),
            done=gettext_lazy("已办结，等待街道核验评分。"),
            refusals={ResponseStatus.ADDRESSED: gettext_lazy("{subject}尚未报到，请先报到再办结。")},
            style="btn-outline-success",
            icon="check2-circle",
            notify=[
                Notify(
                    VERIFY_WHISTLE,
                    gettext_lazy("{subject}已办结，请核验评分"),
                    area=street_area,
                    url=lambda subject: subject.area.get_absolute_url(),
                )
            ],
        ),
        Transition(
            "verify",
            gettext_lazy("核验评分"),
            [ResponseStatus.CLOSED],
            ResponseStatus.VERIFIED,
            VERIFY_WHISTLE,
            confirm=gettext_lazy("核验“{subject}”的办理情况并评分。"),
            done=gettext_lazy("已核验评分。"),
            refusals={
                ResponseStatus.ADDRESSED: gettext_lazy("{subject}尚未办结，不能核验评分。"),
                ResponseStatus.SIGNED: gettext_lazy("{subject}尚未办结，不能核验评分。"),
            },
            style="btn-outline-success",
            icon="star",
        ),
    ],
)


def subject_of(response):
    return Subject({"pk": response.pk}, response, str(response), back=response.get_absolute_url(), breadcrumb=[])


def close_errors(report, evidence, kept=False):
    errors = {}
    if not (report or "").strip():
        errors["report"] = _("请填写处置情况。")
    if evidence:
        try:
            files.check_upload(evidence)
        except ValidationError as error:
            errors["evidence"] = " ".join(error.messages)
    elif not kept:
        errors["evidence"] = _("请上传办结材料（如现场照片、处置记录）。")
    return errors


def close_with(response, user, *, report, evidence=None, seen=UNSEEN, subject=None):
    """办结 in one step: the report and the evidence kept, the step taken, on time computed (closed
    on or before the deadline) — all or nothing. Raises a ValidationError (by field, or the step's)."""
    errors = close_errors(report, evidence, kept=bool(response.evidence))
    if errors:
        raise ValidationError({k: [str(v)] for k, v in errors.items()})
    stored = []
    try:
        with transaction.atomic():
            locked = WhistleResponse.objects.select_for_update().select_related("whistle").get(pk=response.pk)
            if locked.status == ResponseStatus.SIGNED:
                now = timezone.now()
                locked.report, locked.closed_at = report.strip(), now
                # On time: signed for and closed by the deadline (a late signing loses it for good,
                # even if the deadline is moved after).
                locked.on_time = not locked.signed_late and timezone.localdate(now) <= locked.whistle.deadline
                if evidence:
                    locked.evidence_name = evidence.name[:200]
                    locked.evidence.save(evidence.name.rsplit("/", 1)[-1], evidence, save=False)
                    stored.append(locked.evidence)
                locked.save()
            return RESPONSES.take("close", {"pk": response.pk}, user, seen=seen, subject=subject)
    except Exception:
        for field_file in stored:  # rolled back: the new file goes too
            field_file.storage.delete(field_file.name)
        raise


def verify_errors(quality, satisfaction):
    errors = {}
    for name, value, label in (("quality", quality, _("办理质量")), ("satisfaction", satisfaction, _("满意度"))):
        if value is None or not 1 <= int(value) <= 5:
            errors[name] = _("{label}须为 1 至 5 分。").format(label=label)
    return errors


def verify(response, user, *, quality, satisfaction, seen=UNSEEN, subject=None):
    """核验评分: quality and satisfaction (1–5), the score computed with the on-time flag."""
    errors = verify_errors(quality, satisfaction)
    if errors:
        raise ValidationError({k: [str(v)] for k, v in errors.items()})
    with transaction.atomic():
        locked = WhistleResponse.objects.select_for_update().get(pk=response.pk)
        if locked.status == ResponseStatus.CLOSED:
            locked.quality, locked.satisfaction = int(quality), int(satisfaction)
            locked.score = score_of(locked.on_time, locked.quality, locked.satisfaction)
            locked.save()
        return RESPONSES.take("verify", {"pk": response.pk}, user, seen=seen, subject=subject)


def sign(response, user, *, seen=UNSEEN, subject=None):
    """报到: allowed after the deadline too, but then recorded as late (逾期报到): shown on the
    whistle and in the ranking, and the score's on-time part is lost."""
    with transaction.atomic():
        record = RESPONSES.take("sign", {"pk": response.pk}, user, seen=seen, subject=subject)
        now = timezone.now()
        late = timezone.localdate(now) > Whistle.objects.values_list("deadline", flat=True).get(pk=record.whistle_id)
        WhistleResponse.objects.filter(pk=record.pk).update(signed_at=now, signed_late=late)
        record.signed_at, record.signed_late = now, late
    return record


# --- overdue: escalated to the district ----------------------------------------------------------


def district_of(area):
    node = area
    while node is not None and node.level != AreaLevel.DISTRICT:
        node = node.parent
    return node


def overdue_due(today):
    """Each response past its deadline and not closed, told once to the district's organisation
    department (READ_WHISTLES' nearest holders at the district); marked escalated for the flag."""
    responses = overdue(WhistleResponse.objects.all(), today).select_related(
        "whistle__area__parent__parent__parent__parent", "department"
    )
    escalated = []
    for response in responses:
        district = district_of(response.whistle.area)
        if district is None:
            continue
        escalated.append(response.pk)
        yield Due(
            key=f"services.whistle_overdue:{response.pk}:{response.whistle.deadline.isoformat()}",
            area=district,
            action=READ_WHISTLES,
            title=_("吹哨逾期：{department}未按时办结“{title}”").format(
                department=response.department.label, title=response.whistle.title
            ),
            body=_("{area} · 时限 {day} · 当前{state}。").format(
                area=response.whistle.area.name, day=response.whistle.deadline, state=response.get_status_display()
            ),
            due_on=response.whistle.deadline,
            url=response.get_absolute_url(),
            record=response,
            record_label=str(response),
        )
    WhistleResponse.objects.filter(pk__in=escalated, escalated_on__isnull=True).update(escalated_on=today)


# --- the quarterly ranking ------------------------------------------------------------------------


def ranked_departments(user, quarter):
    """The departments addressed in the whistles `user` reads whose deadline falls in `quarter`,
    with their verified responses' mean score, on-time rate, counts (late signings too) and rank —
    one grouped query."""
    responses = WhistleResponse.objects.scoped(user).filter(
        whistle__deadline__gte=quarter.start, whistle__deadline__lte=quarter.end
    )
    mine = Q(whistle_responses__in=responses.values("pk"))
    verified = mine & Q(whistle_responses__status=ResponseStatus.VERIFIED)
    return (
        Department.objects.filter(pk__in=responses.values("department"))
        .select_related("area")
        .annotate(
            addressed=Count("whistle_responses", filter=mine),
            verified_count=Count("whistle_responses", filter=verified),
            open_count=Count("whistle_responses", filter=mine & Q(whistle_responses__status__in=OPEN_STATES)),
            mean_score=Cast(
                Avg("whistle_responses__score", filter=verified), DecimalField(max_digits=5, decimal_places=1)
            ),
            on_time_count=Count("whistle_responses", filter=verified & Q(whistle_responses__on_time=True)),
            signed_late_count=Count("whistle_responses", filter=mine & Q(whistle_responses__signed_late=True)),
        )
        .annotate(
            on_time_rate=Cast(
                100.0 * F("on_time_count") / NullIf(F("verified_count"), 0),
                DecimalField(max_digits=5, decimal_places=1),
            ),
            rank=Window(Rank(), order_by=F("mean_score").desc(nulls_last=True)),
        )
    )


def may_rank(user):
    """The district's organisation department and the streets (the areas' side of reading): a
    department's user, who reads only its own whistles, is not shown the others' ranks."""
    from orgs.scoping import user_scopes

    return user.is_authenticated and (user.is_superuser or bool(user_scopes(user, READ_WHISTLES)))


__all__ = ["RESPONSES", "Whistle", "blow", "close_with", "overdue_due", "ranked_departments", "sign", "verify"]
