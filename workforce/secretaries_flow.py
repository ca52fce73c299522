"""书记项目's declared steps (core/transitions.py): 进行中 → 已完成 (完成: the secretary's area keeps
it; refused without its evidence uploaded, and while a milestone is not done) and 进行中 → 已终止
(终止, with a reason). Who took each step and when is the kit's history row."""

from django.utils.translation import gettext_lazy as _

from core.transitions import StateMachine, Transition

from .models_secretaries import SecretaryProject, SecretaryProjectStatus
from .permissions import KEEP_SECRETARY_PROJECTS

S = SecretaryProjectStatus


def ready_to_complete(key, record):
    """A project is completed with its evidence and every milestone done."""
    if not record.evidence:
        return _("请先在编辑页上传“{title}”的佐证材料，再标为已完成。").format(title=record.title)
    open_steps = record.milestones.filter(done_on__isnull=True).count()
    if open_steps:
        return _("“{title}”还有 {n} 个节点未完成，不能标为已完成。").format(title=record.title, n=open_steps)
    return None


PROJECTS = StateMachine(
    SecretaryProject,
    [
        Transition(
            "complete",
            _("标为已完成"),
            [S.RUNNING],
            S.COMPLETED,
            KEEP_SECRETARY_PROJECTS,
            confirm=_("确定将书记项目“{subject}”标为已完成吗？完成后须原样留存。"),
            done=_("书记项目已完成。"),
            refusal=_("书记项目“{subject}”当前为“{state}”，不能标为已完成。"),
            guard=ready_to_complete,
            style="btn-outline-success",
            icon="check2-circle",
        ),
        Transition(
            "stop",
            _("终止"),
            [S.RUNNING],
            S.STOPPED,
            KEEP_SECRETARY_PROJECTS,
            confirm=_("终止书记项目“{subject}”，请说明原因。"),
            done=_("书记项目已终止。"),
            reason=True,
            refusal=_("书记项目“{subject}”当前为“{state}”，不能终止。"),
            style="btn-outline-danger",
            icon="stop-circle",
        ),
    ],
)
