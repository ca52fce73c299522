"""经费's declared steps (core/transitions.py) and the public notice's content.

An expenditure: 待审批 → 已审批 (approve: the street; the allocation's row is locked and the balance
checked again, who approved and when kept) or → 已退回 (reject, with a reason: it leaves the balance).
A notice: 草稿 → 已公示 (publish: a community's or its street's cadre); publishing writes its
snapshot — the year's allocations and spending by type, each project with spending or running in
the year, its status and what was spent on it (no names, no phones) — and what changed since the
community's previous published notice, in the same transaction. Nothing recomputes it afterwards."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.transitions import Notify, StateMachine, Transition

from .models import Project, ProjectStatus
from .models_funding import (
    ZERO,
    Allocation,
    Expenditure,
    ExpenditureStatus,
    FundNotice,
    FundType,
    NoticeStatus,
    beyond_balance,
)
from .permissions import APPROVE_EXPENDITURE, PUBLISH_NOTICE, RECORD_EXPENDITURE

E = ExpenditureStatus


def lock_allocation(key):
    """The approval's lock: the allocation's row, before the expenditure's (as its save takes them)."""
    Allocation.objects.select_for_update(of=("self",)).filter(expenditures__pk=key["pk"]).first()


def within_balance(key, record):
    return beyond_balance(record.allocation, record.amount, record.pk) or None


class ExpenditureMachine(StateMachine):
    """Approval also keeps its time."""

    def take(self, name, key, user, **kwargs):
        with transaction.atomic():
            record = super().take(name, key, user, **kwargs)
            record.at = timezone.now()
            Expenditure.objects.filter(pk=record.pk).update(at=record.at)
            return record


EXPENDITURES = ExpenditureMachine(
    model=Expenditure,
    transitions=[
        Transition(
            "approve",
            _("审批通过"),
            sources=[E.DRAFT],
            target=E.APPROVED,
            action=APPROVE_EXPENDITURE,
            confirm=_("确定审批通过“{subject}”吗？通过后不能再编辑或删除。"),
            done=_("“{subject}”已审批通过。"),
            locks=lock_allocation,
            guard=within_balance,
            style="btn-outline-success",
            icon="check2-circle",
        ),
        Transition(
            "reject",
            _("退回"),
            sources=[E.DRAFT],
            target=E.REJECTED,
            action=APPROVE_EXPENDITURE,
            confirm=_("退回“{subject}”，请说明原因。退回后这笔支出不再占用经费余额。"),
            done=_("“{subject}”已退回。"),
            reason=True,
            style="btn-outline-danger",
            icon="arrow-return-left",
            notify=[
                Notify(
                    RECORD_EXPENDITURE,
                    _("经费支出“{subject}”被退回"),
                    _("原因：{reason}"),
                    area=lambda subject: getattr(subject.area, "area", subject.area),  # the expenditure's community
                )
            ],
        ),
    ],
    at_field="at",
)


class NoticeMachine(StateMachine):
    """Publishing writes the notice's snapshot and its changes since the last one."""

    def take(self, name, key, user, **kwargs):
        with transaction.atomic():
            record = super().take(name, key, user, **kwargs)
            if name == "publish":
                previous = (
                    FundNotice.objects.filter(area_id=record.area_id, status=NoticeStatus.PUBLISHED)
                    .exclude(pk=record.pk)
                    .order_by("-published_at", "-pk")
                    .first()
                )
                record.snapshot = snapshot(record.area_id, record.year)
                record.changes = changes(previous.snapshot if previous else None, record.snapshot)
                record.published_at = timezone.now()
                record.save(update_fields=["snapshot", "changes", "published_at", "at"])
            return record


NOTICES = NoticeMachine(
    model=FundNotice,
    transitions=[
        Transition(
            "publish",
            _("发布公示"),
            sources=[NoticeStatus.DRAFT],
            target=NoticeStatus.PUBLISHED,
            action=PUBLISH_NOTICE,
            confirm=_("发布“{subject}”？发布时记下当前各项目的支出和状态，之后原样留存，任何人无需登录即可查看。"),
            done=_("“{subject}”已发布公示。"),
            style="btn-outline-success",
            icon="megaphone",
        ),
    ],
)


def text(amount):
    return str((amount or ZERO).quantize(Decimal("0.01")))


def snapshot(area_id, year, on=None):
    """What a notice shows, as it stands now: the year's allocations and approved spending by type,
    and the projects of the community and its grids with their approved spending in the year (three
    queries). `on`: as it stood at the end of that day (the demo's notices of past quarters) — the
    spending up to it, the projects begun by it, one closed later still running."""
    approved_in_year = Q(status=E.APPROVED, allocation__year=year)
    spent_by = Q(expenditures__status=E.APPROVED, expenditures__allocation__year=year)
    if on is not None:
        approved_in_year &= Q(spent_on__lte=on)
        spent_by &= Q(expenditures__spent_on__lte=on)
    allocated = dict(
        Allocation.objects.filter(area_id=area_id, year=year)
        .values_list("fund_type")
        .annotate(total=Sum("amount"))
        .values_list("fund_type", "total")
    )
    spent = dict(
        Expenditure.objects.filter(approved_in_year, area_id=area_id)
        .values_list("allocation__fund_type")
        .annotate(total=Sum("amount"))
        .values_list("allocation__fund_type", "total")
    )
    funds = [
        {
            "type": str(label),
            "allocated": text(allocated.get(kind)),
            "spent": text(spent.get(kind)),
            "balance": text((allocated.get(kind) or ZERO) - (spent.get(kind) or ZERO)),
        }
        for kind, label in FundType.choices
        if kind in allocated or kind in spent
    ]
    projects = (
        Project.objects.filter(Project.done_in(area_id))
        .annotate(spent=Sum("expenditures__amount", filter=spent_by), spendings=Count("expenditures", filter=spent_by))
        .filter(Q(spendings__gt=0) | Q(started_on__year__lte=year, closed_on__isnull=True) | Q(closed_on__year=year))
        .select_related("area")
        .order_by("started_on", "pk")
    )
    if on is not None:
        projects = projects.filter(started_on__lte=on)
    return {
        "year": year,
        "funds": funds,
        "total_allocated": text(sum((allocated.get(k) or ZERO) for k in FundType.values)),
        "total_spent": text(sum((spent.get(k) or ZERO) for k in FundType.values)),
        "projects": [
            {
                "id": project.pk,
                "title": project.title,
                "place": project.area.name,  # the community or the grid: two projects may share a title
                "status": (
                    str(ProjectStatus.RUNNING.label)
                    if on is not None and project.closed_on and project.closed_on > on
                    else project.get_status_display()
                ),
                "started_on": project.started_on.isoformat(),
                "closed_on": project.closed_on.isoformat()
                if project.closed_on and not (on and project.closed_on > on)
                else "",
                "spent": text(project.spent),
            }
            for project in projects
        ],
    }


def shown(amount):
    """A snapshot's amount (text) as a line of the notice says it: "30,000.50"."""
    try:
        return f"{Decimal(amount):,.2f}"
    except (ArithmeticError, TypeError, ValueError):
        return amount


def changes(before, after):
    """What changed from the previous notice's snapshot to this one, in Chinese lines."""
    if not before:
        return [str(_("首次公示。"))]
    lines = []
    old = {p["id"]: p for p in before.get("projects", [])}
    new = {p["id"]: p for p in after.get("projects", [])}
    for pk, project in new.items():
        was = old.get(pk)
        if was is None:
            lines.append(
                str(_("新增项目“{title}”，已支出 {spent} 元。")).format(
                    title=project["title"], spent=shown(project["spent"])
                )
            )
            continue
        if was["status"] != project["status"]:
            lines.append(
                str(_("项目“{title}”状态由“{old}”变为“{new}”。")).format(
                    title=project["title"], old=was["status"], new=project["status"]
                )
            )
        if was["spent"] != project["spent"]:
            lines.append(
                str(_("项目“{title}”支出由 {old} 元变为 {new} 元。")).format(
                    title=project["title"], old=shown(was["spent"]), new=shown(project["spent"])
                )
            )
    for pk, project in old.items():
        if pk not in new:
            lines.append(str(_("项目“{title}”不再列入本期公示。")).format(title=project["title"]))
    if before.get("total_allocated") != after.get("total_allocated"):
        lines.append(
            str(_("经费总额由 {old} 元变为 {new} 元。")).format(
                old=shown(before.get("total_allocated")), new=shown(after.get("total_allocated"))
            )
        )
    if before.get("total_spent") != after.get("total_spent"):
        lines.append(
            str(_("累计支出由 {old} 元变为 {new} 元。")).format(
                old=shown(before.get("total_spent")), new=shown(after.get("total_spent"))
            )
        )
    return lines or [str(_("与上次公示相比没有变化。"))]
