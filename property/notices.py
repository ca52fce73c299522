"""What red property has due by a date (core/notices.py): the ledger entries of compounds without
management whose deadline nears or has passed (清零 by year end, seed 003), and the owners'
committees whose term ends — each told to the nearest who act on it, once, overdue ones in the
daily digest."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.registry import Due, DueSource, registry

from .choices import LedgerStatus
from .models import LedgerEntry, OwnersCommittee
from .permissions import CHANGE_PROPERTY, CLOSE_LEDGER

LEDGER_TOLD_BEFORE = datetime.timedelta(days=30)
TERM_TOLD_BEFORE = datetime.timedelta(days=90)


def ledger_due(today):
    """Each open entry whose deadline is within a month or past, told to who closes it."""
    entries = (
        LedgerEntry.objects.filter(status=LedgerStatus.OPEN, deadline__lte=today + LEDGER_TOLD_BEFORE)
        .select_related("compound__community")
        .order_by("deadline", "pk")
    )
    for entry in entries:
        compound = entry.compound
        yield Due(
            key=f"property.ledger:{entry.pk}:{entry.deadline.isoformat()}",
            area=compound.community,
            action=CLOSE_LEDGER,
            title=_("无物业小区“{compound}”须于 {day} 前销号").format(
                compound=compound.name, day=entry.deadline.isoformat()
            ),
            body=_("{community} · 责任人：{who}。确定管理模式并上传销号材料后，在台账中销号。").format(
                community=compound.community.name, who=entry.responsible or _("未指定")
            ),
            due_on=entry.deadline,
            url=entry.get_absolute_url(),
            record=entry,
            record_label=str(entry),
        )


def terms_ending(today):
    """Each owners' committee whose term ends within a quarter, told to who keeps its compound."""
    committees = (
        OwnersCommittee.objects.filter(term_end__lte=today + TERM_TOLD_BEFORE, term_end__gte=today - TERM_TOLD_BEFORE)
        .select_related("compound__community")
        .order_by("term_end", "pk")
    )
    for committee in committees:
        yield Due(
            key=f"property.term:{committee.pk}:{committee.term_end.isoformat()}",
            area=committee.compound.community,
            action=CHANGE_PROPERTY,
            title=_("{name}的任期于 {day} 届满，请指导换届").format(
                name=committee.name, day=committee.term_end.isoformat()
            ),
            due_on=committee.term_end,
            url=committee.get_absolute_url(),
            record=committee,
            record_label=committee.name,
        )


# Registered when property/apps.py imports this module.
registry.add_due_source(DueSource("property.ledger", gettext_lazy("无物业小区销号"), ledger_due))
registry.add_due_source(DueSource("property.term", gettext_lazy("业委会换届"), terms_ending))
