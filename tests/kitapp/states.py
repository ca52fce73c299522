"""A record with states on the kit: 报修's two steps declared, its pages from ModelPages."""

import django_tables2 as tables

from core.filters import FilterSet
from core.forms import ScopedModelForm
from core.tables import LinkedColumn, Table
from core.transitions import StateMachine, Transition
from core.views.generic import ModelPages

from .models import Repair
from .permissions import HANDLE_REPAIR

REPAIR = StateMachine(
    Repair,
    [
        Transition("handle", "办结", ["received"], "handled", HANDLE_REPAIR, confirm="确定“{subject}”已办结吗？"),
        Transition(
            "reopen", "重新打开", ["handled"], "received", HANDLE_REPAIR, reason=True, style="btn-outline-warning"
        ),
    ],
)


class RepairTable(Table):
    title = LinkedColumn("事项")
    status = tables.Column("状态")


class RepairFilterSet(FilterSet):
    class Meta:
        model = Repair
        fields = ["status"]


class RepairForm(ScopedModelForm):
    class Meta:
        model = Repair
        fields = ["area", "title"]


class RepairPages(ModelPages):
    model, table, filterset, form = Repair, RepairTable, RepairFilterSet, RepairForm
    change_action = HANDLE_REPAIR
    transitions = REPAIR  # the buttons, confirmations, steps and history rows
