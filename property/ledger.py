"""The ledger of compounds without management (无物业小区台账, seed 003): a compound whose mode is
无物业 is entered with a deadline at the year's end (清零); its entry is closed (销号) once a mode is
assigned, with evidence, and may be reopened with a reason — declared steps (core/transitions.py):
the buttons, the confirmation, the POST view and API action, the history row, the race refused."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.transitions import StateMachine, Transition

from .choices import LedgerStatus, ManagementMode
from .models import LedgerEntry
from .permissions import CLOSE_LEDGER


def enter(compound, today=None):
    """The compound's open entry, created if it has none (deadline: the end of the year)."""
    today = today or timezone.localdate()
    entry = LedgerEntry.objects.filter(compound=compound, status=LedgerStatus.OPEN).first()
    if entry is None:
        entry = LedgerEntry.objects.create(compound=compound, deadline=datetime.date(today.year, 12, 31))
    return entry


def close_refusal(key, entry):
    if entry.compound.mode == ManagementMode.NONE:
        return _("“{compound}”仍为“无物业”，请先为小区确定管理模式，再销号。").format(compound=entry.compound)
    if not entry.evidence:
        return _("请先在台账中上传销号材料（如物业服务合同、代管协议），再销号。")
    return None


def reopen_refusal(key, entry):
    if LedgerEntry.objects.filter(compound=entry.compound_id, status=LedgerStatus.OPEN).exclude(pk=entry.pk).exists():
        return _("“{compound}”已有一条待销号的台账，不能再重新打开这一条。").format(compound=entry.compound)
    return None


LEDGER = StateMachine(
    LedgerEntry,
    [
        Transition(
            "close",
            _("销号"),
            [LedgerStatus.OPEN],
            LedgerStatus.CLOSED,
            CLOSE_LEDGER,
            confirm=_("确定为“{subject}”销号吗？销号后它不再计入无物业小区。"),
            done=_("已为“{subject}”销号。"),
            guard=close_refusal,
            style="btn-outline-success",
            icon="check2-circle",
        ),
        Transition(
            "reopen",
            _("重新打开"),
            [LedgerStatus.CLOSED],
            LedgerStatus.OPEN,
            CLOSE_LEDGER,
            confirm=_("重新打开“{subject}”，请说明原因。"),
            done=_("已重新打开“{subject}”。"),
            reason=True,
            guard=reopen_refusal,
            style="btn-outline-warning",
            icon="arrow-counterclockwise",
        ),
    ],
)
