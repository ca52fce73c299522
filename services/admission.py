"""The gate (准入, seed 001): a task a functional department pushes to a community is admitted at
once when its name is an item of the community's current admission list; otherwise it is stopped
(待街道审批) and the community's street is told, to approve or refuse it with a reason — declared
steps (core/transitions.py), each recorded with who and when (StateChange)."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import StateChange
from core.transitions import NO_RECORD, Notify, StateMachine, Subject, Transition

from .choices import ListKind, TaskStatus, VersionStatus
from .models import GateTask, ListItem
from .permissions import DECIDE_GATE, PUSH_TASK


def normalised(name):
    """A task's or an item's name as the gate compares them: without spaces or full-width spaces."""
    return "".join(str(name or "").split())


def admitting_item(community, name):
    """The item of `community`'s current admission list that `name` names, or None."""
    wanted = normalised(name)
    items = ListItem.objects.filter(
        version__service_list__area=community,
        version__service_list__kind=ListKind.ADMISSION,
        version__status=VersionStatus.PUBLISHED,
    ).only("pk", "name")
    return next((item for item in items if normalised(item.name) == wanted), None)


def subject_of(task):
    return Subject({"pk": task.pk}, task, str(task), back=task.get_absolute_url(), breadcrumb=task.breadcrumb())


DECISION_NOTICE = Notify(
    DECIDE_GATE,
    _("“{subject}”未列入{community}的准入清单，待街道审批"),
    _("{department}交办。请在准入事项中批准或拒绝。"),
    area=lambda subject: subject.area.community,  # the community's nearest deciders: its street
    words=lambda subject: {"community": subject.area.community.name, "department": subject.area.department.label},
)

# Pushing is where a task starts: not a button, but the step its history row and notice are of.
ADMIT = Transition("admit", _("准入"), [None], TaskStatus.ADMITTED, PUSH_TASK)
STOP = Transition("stop", _("拦截"), [None], TaskStatus.STOPPED, PUSH_TASK, notify=[DECISION_NOTICE])

GATE = StateMachine(
    GateTask,
    [
        Transition(
            "approve",
            _("批准"),
            [TaskStatus.STOPPED],
            TaskStatus.APPROVED,
            DECIDE_GATE,
            confirm=_("确定批准“{subject}”进入社区吗？它不在社区的准入清单上。"),
            done=_("已批准“{subject}”。"),
            style="btn-outline-success",
            icon="bi-check2-circle",
        ),
        Transition(
            "refuse",
            _("拒绝"),
            [TaskStatus.STOPPED],
            TaskStatus.REFUSED,
            DECIDE_GATE,
            confirm=_("拒绝“{subject}”进入社区，请说明理由。"),
            done=_("已拒绝“{subject}”。"),
            reason=True,
            reason_label=_("拒绝理由"),
            style="btn-outline-danger",
            icon="bi-x-circle",
        ),
    ],
)


def screen(task):
    """Set the task's state by the community's admission list (before it is saved)."""
    task.matched_item = admitting_item(task.community, task.name)
    task.status = TaskStatus.ADMITTED if task.matched_item is not None else TaskStatus.STOPPED
    return task


def push(task, user):
    """Screen and save a task pushed (or changed while stopped) by `user`; record the step and, when
    it is stopped, tell the street. Returns the task."""
    with transaction.atomic():
        before = GateTask.objects.filter(pk=task.pk).values_list("status", flat=True).first() if task.pk else None
        screen(task)
        task.by = user if getattr(user, "pk", None) else None
        task.save()
        step = ADMIT if task.status == TaskStatus.ADMITTED else STOP
        StateChange.objects.create(
            content_type=ContentType.objects.get_for_model(GateTask),
            object_id=task.pk,
            transition=step.name,
            label=str(step.label),
            from_state=before or NO_RECORD,
            to_state=task.status,
            user=task.by,
        )
        GATE.announce(step, task, subject_of(task), user)
    return task


def decisions_url():
    return reverse("services:gatetask_list") + "?status=stopped"
