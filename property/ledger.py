"""The ledger of compounds without management (无物业小区台账, seed 003): a compound whose mode is
无物业 is entered with a deadline at the year's end (清零); its entry is closed (销号) in one step that
assigns the compound's mode with the evidence (close_with), and may be reopened with a reason —
declared steps (core/transitions.py): the buttons, the confirmation, the POST view and API action,
the history row, the race refused."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import files
from core.transitions import UNSEEN, StateMachine, Transition

from .choices import MODES_WITH_COMPANY, LedgerStatus, ManagementMode
from .models import Compound, LedgerEntry, PropertyCompany
from .permissions import CLOSE_LEDGER, ENGAGE_COMPANY


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


# --- 销号 in one step: the mode assigned, the evidence uploaded, the entry closed -------------------


def companies_to_name(user):
    """The companies `user` may name for a compound (as the compound's form offers them)."""
    return PropertyCompany.objects.scoped(user, ENGAGE_COMPANY)


def close_errors(user, mode, company, evidence, kept=False):
    """The refusals of a one-step 销号, by field, in Chinese ({} when it may be taken): a mode other
    than 无物业, a company when the mode needs one and only then, among those `user` may name, and
    evidence checked as every upload is (core.files) — or `kept`, uploaded on the entry before."""
    errors = {}
    if not mode:
        errors["mode"] = _("请选择小区新的管理模式。")
    elif mode not in ManagementMode.values:
        errors["mode"] = _("“{mode}”不是有效的管理模式。").format(mode=mode)
    elif mode == ManagementMode.NONE:
        errors["mode"] = _("销号须为小区确定管理模式，不能仍为“无物业”。")
    elif mode == ManagementMode.PROFESSIONAL and company is None:
        errors["company"] = _("专业物业的小区须选择物业企业。")
    elif company is not None and mode not in MODES_WITH_COMPANY:
        errors["company"] = _("“{mode}”的小区不选物业企业。").format(mode=ManagementMode(mode).label)
    if company is not None and "company" not in errors:
        if not companies_to_name(user).filter(pk=company.pk).exists():
            errors["company"] = _("不能选择“{company}”：它不是您可以为小区选定的物业企业。").format(company=company)
    if not evidence and kept:
        pass
    elif not evidence:
        errors["evidence"] = _("请上传销号材料（如物业服务合同、代管协议）。")
    else:
        try:
            files.check_upload(evidence)
        except ValidationError as error:
            errors["evidence"] = " ".join(error.messages)
    return errors


def close_with(entry, user, *, mode, company=None, evidence=None, seen=UNSEEN, subject=None):
    """销号 in one step: set the compound's mode (and company), keep the evidence and take the
    declared step — all or nothing, in one transaction, with the compound's and the entry's history
    and the step's row. Raises a ValidationError (a dict by field, or the step's refusal)."""
    errors = close_errors(user, mode, company, evidence, kept=bool(entry.evidence))
    if errors:
        raise ValidationError({k: [str(v)] for k, v in errors.items()})
    stored = []
    try:
        return _close(entry, user, mode, company, evidence, seen, subject, stored)
    except Exception:
        for field_file in stored:  # the transaction is rolled back: the new file goes too
            field_file.storage.delete(field_file.name)
        raise


def _close(entry, user, mode, company, evidence, seen, subject, stored):
    with transaction.atomic():
        locked = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
        if locked.status != LedgerStatus.OPEN:  # the race (or a closed entry): the step says it
            return LEDGER.take("close", {"pk": entry.pk}, user, seen=seen, subject=subject)
        compound = Compound.objects.select_for_update().get(pk=locked.compound_id)
        compound.mode = mode
        compound.company = company if mode in MODES_WITH_COMPANY else None
        if compound.company is None:
            compound.contract_start = compound.contract_end = None
        compound.save()
        if evidence:
            locked.evidence_name = evidence.name[:200]
            locked.evidence.save(evidence.name.rsplit("/", 1)[-1], evidence, save=False)
            stored.append(locked.evidence)
            locked.save(update_fields=["evidence", "evidence_name", "at"])
        return LEDGER.take("close", {"pk": entry.pk}, user, seen=seen, subject=subject)
