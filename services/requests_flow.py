"""A request's states as declared steps (core/transitions.py): received (待受理) → handling (办理中,
yellow) → verifying (待核验, green) → visiting (待回访, orange) → closed (已办结), the return visit's
three answers each a step of its own (the satisfaction is what the step records), the returns to
the stage before (退回), reopening a closed request, and the transfer to another body
(`transfer`: the body and the step in one transaction). Each step is kept with who and when; a race
is refused; whoever must act next is told (`RequestMachine.announce`)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import notices
from core.transitions import UNSEEN, StateMachine, Subject, Transition

from .models_requests import RequestStatus, ResidentRequest, Satisfaction
from .permissions import HANDLE_REQUEST, TRANSFER_REQUEST, VERIFY_REQUEST, VISIT_REQUEST

S = RequestStatus
# The return visit's answers: the step's name → the satisfaction it records.
VISITS = {
    "close_satisfied": Satisfaction.SATISFIED,
    "close_basic": Satisfaction.BASIC,
    "close_unsatisfied": Satisfaction.UNSATISFIED,
}
# Who acts next once a request is in a state: the action told (the body's for received and handling).
NEXT = {S.RECEIVED: HANDLE_REQUEST, S.VERIFYING: VERIFY_REQUEST, S.VISITING: VISIT_REQUEST}


class RequestMachine(StateMachine):
    """The steps of a request; the return visit also records the satisfaction and the close's
    time, reopening counts itself."""

    def take(self, name, key, user, **kwargs):
        with transaction.atomic():
            record = super().take(name, key, user, **kwargs)
            changes = {}
            if name in VISITS:
                changes = {"satisfaction": VISITS[name], "closed_at": timezone.now()}
            elif name == "reopen":
                changes = {"satisfaction": "", "closed_at": None, "reopened": record.reopened + 1}
            if changes:
                for field, value in changes.items():
                    setattr(record, field, value)
                record.save(update_fields=[*changes, "at"])
            return record

    def announce(self, t, record, subject, user, reason=""):
        """Settle the earlier steps' notices, and tell who acts next: the body a received request is
        routed to (a department's users, or the holders at its area), the verifier, the visitor."""
        told = super().announce(t, record, subject, user, reason)
        told += tell_next(record, user, source=f"services.request:{record.pk}:{t.name}", step=t.label)
        return told


def tell_next(record, user=None, *, source, step=""):
    action = NEXT.get(record.status)
    if action is None:
        return []
    title = _("{request}（{category}）{state}：{place}").format(
        request=record, category=record.category, state=record.get_status_display(), place=record.area.name
    )
    body = _("办理时限：{due}。{step}").format(due=record.due_on, step=_("上一步：{s}").format(s=step) if step else "")
    exclude = [user.pk] if getattr(user, "pk", None) else []
    if action == HANDLE_REQUEST and record.responsible_department_id:
        from orgs.models import RoleAssignment

        users = RoleAssignment.objects.filter(
            department=record.responsible_department_id, user__is_active=True
        ).values_list("user_id", flat=True)
        return notices.tell(
            [pk for pk in users if pk not in exclude],
            source=source,
            title=title,
            body=body,
            url=record.get_absolute_url(),
            record=record,
            record_label=str(record),
        )
    area = record.responsible_area if action == HANDLE_REQUEST and record.responsible_area_id else record.area
    return notices.notify(
        action,
        area,
        source=source,
        title=title,
        body=body,
        url=record.get_absolute_url(),
        record=record,
        record_label=str(record),
        exclude=exclude,
    )


WAITS_FOR = {HANDLE_REQUEST: _("办理"), VERIFY_REQUEST: _("核验"), VISIT_REQUEST: _("回访")}


def tell_in_bulk(pks, user=None, *, source, step):
    """Tell who acts next on many requests at once (an import's, `step` its name): each body or
    area once — how many requests wait for it, how many are overdue, the earliest due — not once a
    request. Groups as `tell_next` routes: a received request's department, else its responsible
    area, else its place; a verified or visited one's place."""
    from django.urls import reverse

    from orgs.models import Area, RoleAssignment

    today = timezone.localdate()
    groups = {}
    rows = ResidentRequest.objects.filter(pk__in=pks, status__in=list(NEXT)).values_list(
        "status", "responsible_department", "responsible_area", "area", "due_on"
    )
    for status, department, responsible, place, due_on in rows:
        action = NEXT[status]
        if action == HANDLE_REQUEST and department:
            key = (action, "department", department)
        else:
            key = (action, "area", responsible if action == HANDLE_REQUEST and responsible else place)
        count, overdue, first = groups.get(key, (0, 0, due_on))
        groups[key] = (count + 1, overdue + (due_on < today), min(first, due_on))
    areas = Area.objects.in_bulk([key[2] for key in groups if key[1] == "area"])
    exclude = [user.pk] if getattr(user, "pk", None) else []
    told = []
    for (action, kind, target), (count, overdue, first) in sorted(groups.items()):
        texts = {
            "source": f"{source}:{action}:{kind}:{target}",
            "title": _("{step}：{count} 件诉求待{verb}").format(step=step, count=count, verb=WAITS_FOR[action]),
            "body": _("其中已超期 {overdue} 件，最早办理时限 {first}。").format(overdue=overdue, first=first),
            "url": reverse("services:my_requests"),
        }
        if kind == "department":
            users = RoleAssignment.objects.filter(department=target, user__is_active=True).values_list("user_id")
            told += notices.tell([pk for (pk,) in users if pk not in exclude], **texts)
        elif target in areas:
            told += notices.notify(action, areas[target], exclude=exclude, **texts)
    return told


def visit(name, label, style):
    return Transition(
        name,
        label,
        [S.VISITING],
        S.CLOSED,
        VISIT_REQUEST,
        confirm=_("回访结果为“{label}”，确定办结{subject}吗？").format(label=VISITS[name].label, subject="{subject}"),
        done=_("{subject}已回访并办结。"),
        reason=name == "close_unsatisfied",
        reason_label=_("居民不满意的原因"),
        style=style,
        icon="telephone",
    )


REQUESTS = RequestMachine(
    ResidentRequest,
    [
        Transition(
            "accept",
            _("签收办理"),
            [S.RECEIVED],
            S.HANDLING,
            HANDLE_REQUEST,
            done=_("已签收{subject}，开始办理。"),
            style="btn-warning",
            icon="hand-index",
        ),
        Transition(
            "submit",
            _("办结提交核验"),
            [S.HANDLING],
            S.VERIFYING,
            HANDLE_REQUEST,
            confirm=_("确定{subject}已办理完毕、提交核验吗？"),
            done=_("{subject}已提交核验。"),
            style="btn-success",
            icon="check2",
        ),
        Transition(
            "verify",
            _("核验通过"),
            [S.VERIFYING],
            S.VISITING,
            VERIFY_REQUEST,
            confirm=_("确定{subject}核验通过、转入回访吗？"),
            done=_("{subject}核验通过，待回访。"),
            style="btn-success",
            icon="clipboard-check",
        ),
        visit("close_satisfied", _("回访：满意"), "btn-primary"),
        visit("close_basic", _("回访：基本满意"), "btn-outline-primary"),
        visit("close_unsatisfied", _("回访：不满意"), "btn-outline-danger"),
        Transition(
            "return_received",
            _("退回"),
            [S.HANDLING],
            S.RECEIVED,
            HANDLE_REQUEST,
            confirm=_("将{subject}退回待受理，请说明原因。"),
            done=_("{subject}已退回待受理。"),
            reason=True,
            style="btn-outline-secondary",
            icon="arrow-return-left",
        ),
        Transition(
            "return_handling",
            _("退回"),
            [S.VERIFYING],
            S.HANDLING,
            VERIFY_REQUEST,
            confirm=_("核验未通过，将{subject}退回办理，请说明原因。"),
            done=_("{subject}已退回办理。"),
            reason=True,
            style="btn-outline-secondary",
            icon="arrow-return-left",
        ),
        Transition(
            "return_verifying",
            _("退回"),
            [S.VISITING],
            S.VERIFYING,
            VISIT_REQUEST,
            confirm=_("将{subject}退回核验，请说明原因。"),
            done=_("{subject}已退回核验。"),
            reason=True,
            style="btn-outline-secondary",
            icon="arrow-return-left",
        ),
        Transition(
            "reopen",
            _("重新打开"),
            [S.CLOSED],
            S.HANDLING,
            TRANSFER_REQUEST,
            confirm=_("重新打开{subject}，请说明原因。"),
            done=_("已重新打开{subject}。"),
            reason=True,
            refusal=_("{subject}当前为“{state}”，只有已办结的诉求才能重新打开。"),
            style="btn-outline-warning",
            icon="arrow-counterclockwise",
        ),
        # Taken by `transfer` (the new body and the step together): its own page, no plain button.
        Transition(
            "transfer",
            _("转办"),
            [S.RECEIVED, S.HANDLING],
            S.RECEIVED,
            TRANSFER_REQUEST,
            reason=True,
            refusal=_("{subject}当前为“{state}”，只有待受理或办理中的诉求才能转办。"),
            applies=lambda subject: False,
        ),
    ],
)


def subject_of(record):
    from core.views.generic import breadcrumb_of

    return Subject(
        {"pk": record.pk}, record, str(record), back=record.get_absolute_url(), breadcrumb=breadcrumb_of(record)
    )


def transfer(record, user, *, area=None, department=None, reason="", seen=UNSEEN):
    """转办: send the request to another body (an area of the tree or a department) with a reason;
    it waits there to be signed for (待受理). Refused in Chinese: no body or both, the same body,
    no reason, a state it cannot be transferred from, a race."""
    if bool(area) == bool(department):
        raise ValidationError(_("请选择转办的承办区划或承办部门（只选一项）。"))
    if (area is not None and area.pk == record.responsible_area_id) or (
        department is not None and department.pk == record.responsible_department_id
    ):
        raise ValidationError(_("诉求已由“{body}”承办，请选择另一个承办单位。").format(body=record.body()))
    if not (reason or "").strip():
        raise ValidationError(_("请填写转办原因。"))
    with transaction.atomic():
        locked = ResidentRequest.objects.select_for_update().get(pk=record.pk)
        refusal = REQUESTS.refusal("transfer", {"pk": record.pk}, locked)
        if refusal is None and seen is not UNSEEN and seen != locked.status:
            refusal = REQUESTS.changed(REQUESTS["transfer"], locked, subject_of(locked))
        if refusal:
            raise ValidationError(refusal)
        locked.responsible_area, locked.responsible_department = area, department
        locked.save(update_fields=["responsible_area", "responsible_department", "at"])
        return REQUESTS.take("transfer", {"pk": record.pk}, user, reason=reason, subject=subject_of(locked))


def receive(record, user):
    """Save a request as received (new, or changed while still 待受理): routed by its category and
    place, its due date from the category's limit; the body it goes to is told."""
    with transaction.atomic():
        before = ResidentRequest.objects.filter(pk=record.pk).values("area", "category").first() if record.pk else None
        rerouted = before is None or (before["area"], before["category"]) != (record.area_id, record.category_id)
        if rerouted:
            record.route()
        record.by = user if getattr(user, "pk", None) else None
        record.save()
        if rerouted:
            tell_next(record, user, source=f"services.request:{record.pk}:received")
    return record


def overdue(today):
    """The DueSource of overdue requests (escalation): each open request past its due date, told
    once to its street's cadres (who may transfer it), and in their daily digest."""
    from core.registry import Due
    from orgs.choices import AreaLevel
    from orgs.models import Area

    late = list(
        ResidentRequest.objects.filter(status__in=[s for s in S if s != S.CLOSED], due_on__lt=today)
        .select_related("area", "category")
        .order_by("due_on", "pk")
    )
    if not late:
        return
    streets = sorted(Area.objects.filter(level=AreaLevel.STREET).values_list("code", flat=True), key=len, reverse=True)
    for record in late:
        street = next((code for code in streets if record.area.code.startswith(code)), record.area.code)
        yield Due(
            key=f"services.request:{record.pk}:{record.due_on.isoformat()}",
            area=street,
            action=TRANSFER_REQUEST,
            title=str(
                _("{request}（{category}，{place}）已超过办理时限 {day}").format(
                    request=record, category=record.category, place=record.area.name, day=record.due_on.isoformat()
                )
            ),
            due_on=record.due_on,
            url=record.get_absolute_url(),
            record=record,
            record_label=str(record),
        )
