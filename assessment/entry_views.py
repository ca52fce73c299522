"""Entering the manual indicators and their approval by level (assessment/approvals.py): the page
of an area and a period shows its entered leaves with their evidence, where it stands, and the
areas below it that report to it — with what the user may do and nothing else."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core import files
from core.transitions import Subject, TransitionView
from orgs.choices import AreaLevel
from orgs.models import Area
from orgs.scoping import can, scoped_area

from . import approvals
from .choices import ApprovalStatus, PeriodStatus
from .forms import EntryForm
from .models import Approval, Entry, Evidence, Indicator, Period
from .permissions import ENTER
from .queries import requested_period, working_entry_period


def page_url(area, period):
    return reverse("assessment:entry", args=[area.code]) + f"?period={period.key}"


def step_url(transition, area, period):
    return reverse(f"assessment:entry_{transition.name}", args=[area.code]) + f"?period={period.key}"


def reviewed_areas(area):
    """The areas whose submissions this area's page lists: a street's communities, the streets of
    a district or of the city."""
    if area.level == AreaLevel.STREET:
        return area.children.filter(level=AreaLevel.COMMUNITY)
    if area.level in (AreaLevel.CITY, AreaLevel.DISTRICT):
        return Area.objects.filter(level=AreaLevel.STREET, code__startswith=area.code)
    return Area.objects.none()


@login_required
def entry(request, code):
    area = scoped_area(request, code)
    period = requested_period(request, working_entry_period)
    context = {"area": area, "breadcrumb": area.breadcrumb(), "period": period}
    if period is None:
        return render(request, "assessment/entry.html", context)
    leaves = approvals.entered_leaves(period, area.level)
    entries = {
        e.indicator_id: e
        for e in Entry.objects.filter(period=period, area=area)
        .select_related("entered_by")
        .prefetch_related("evidence")
    }
    lock = approvals.lock_reason(period, area)
    own = approvals.approval(period, area)
    above = approvals.accepted_above(period, area) if own and own.status == ApprovalStatus.SUBMITTED else None
    may_enter = can(request.user, ENTER, area) and area.level in approvals.SUBMITTING_LEVELS
    # The declared 上报 (only who may, only from the state), where there is anything to submit.
    submit_offers = (
        approvals.APPROVAL.offers(
            own.status if own else None,
            request.user,
            area,
            lambda t: step_url(t, area, period),
            only=("submit",),
        )
        if may_enter and lock is None and (leaves or area.level == AreaLevel.STREET)
        else []
    )
    reviewed = list(reviewed_areas(area).select_related("parent").order_by("code"))
    found = {a.area_id: a for a in Approval.objects.filter(period=period, area__in=reviewed).select_related("by")}
    progress = communities_progress(period, reviewed) if area.level in (AreaLevel.CITY, AreaLevel.DISTRICT) else {}
    # Whether the areas above the listed ones stand submitted or accepted (the street of this page, or
    # the districts of the streets listed): then the listed ones are not theirs to return any more.
    parents_locked = {}
    for child in reviewed:
        if child.parent_id not in parents_locked:
            parents_locked[child.parent_id] = (
                lock is not None
                if child.parent_id == area.pk
                else approvals.lock_reason(period, child.parent) is not None
            )
    # A community's submission is accepted with its street: listed under an accepted street, it reads 已验收.
    accepted_with = own if own and own.status == ApprovalStatus.ACCEPTED and area.level == AreaLevel.STREET else None
    rows = []
    for child in reviewed:
        status = found.get(child.pk)
        standing = status.status if status else None
        if accepted_with and standing == ApprovalStatus.SUBMITTED:
            standing = ApprovalStatus.ACCEPTED
        # The buttons of the declared steps (only who may, only from the state); 退回 not once the
        # area above stands submitted or accepted, nothing in a closed period.
        only = () if period.status != PeriodStatus.OPEN else ("accept",) if parents_locked[child.parent_id] else None
        rows.append(
            {
                "area": child,
                "approval": status,
                "standing": standing,
                "standing_label": ApprovalStatus(standing).label if standing else None,
                "with_street": accepted_with is not None and status is not None and status.status != standing,
                "communities": progress.get(child.pk),
                "offers": approvals.APPROVAL.offers(
                    standing, request.user, child, lambda t, c=child: step_url(t, c, period), only=only
                ),
            }
        )
    context.update(
        {
            "lines": [(leaf, entries.get(leaf.pk)) for leaf in leaves],
            "lock": lock,
            "approval": own,
            "accepted_above": above,
            "may_enter": may_enter and lock is None,
            "may_submit": bool(submit_offers),
            "submit_offers": submit_offers,
            "changes": approvals.APPROVAL.history(own),
            "missing": approvals.missing_leaves(period, area) if may_enter else [],
            "lacking": approvals.lacking_evidence(period, area) if may_enter else [],
            "waiting": approvals.waiting_children(period, area) if may_enter else [],
            "reviewed": rows,
            "periods": Period.objects.order_by("-end", "-pk")[:8],
            "counts": {
                "submitted": sum(1 for r in rows if r["standing"] == ApprovalStatus.SUBMITTED),
                "accepted": sum(1 for r in rows if r["standing"] == ApprovalStatus.ACCEPTED),
                "total": len(rows),
            },
        }
    )
    return render(request, "assessment/entry.html", context)


def communities_progress(period, streets):
    """{street id: (communities submitted or accepted, communities)}: how far below a street the
    entry has come, for the district's page. Two queries."""
    totals = dict(
        Area.objects.filter(parent__in=streets, level=AreaLevel.COMMUNITY)
        .values("parent_id")
        .annotate(n=Count("id"))
        .values_list("parent_id", "n")
    )
    done = dict(
        Approval.objects.filter(period=period, area__parent__in=streets, area__level=AreaLevel.COMMUNITY)
        .filter(status__in=approvals.LOCKING)
        .values("area__parent_id")
        .annotate(n=Count("id"))
        .values_list("area__parent_id", "n")
    )
    return {street_id: (done.get(street_id, 0), total) for street_id, total in totals.items()}


def enterable(request, code):
    """The area, if the user may enter and submit its manual indicators (else 404); the lock is asked apart."""
    area = scoped_area(request, code)
    if not can(request.user, ENTER, area) or area.level not in approvals.SUBMITTING_LEVELS:
        raise Http404
    return area


@login_required
def entry_edit(request, code, indicator):
    period = requested_period(request, working_entry_period)
    if period is None:
        raise Http404
    area = enterable(request, code)
    leaf = get_object_or_404(
        Indicator,
        pk=indicator,
        indicator_set_id=period.indicator_set_id,
        method="entered",
        levels__contains=[area.level],
    )
    lock = approvals.lock_reason(period, area)
    if lock:
        messages.error(request, lock)
        return redirect(page_url(area, period))
    current = Entry.objects.filter(period=period, indicator=leaf, area=area).prefetch_related("evidence").first()
    initial = (
        {"numerator": current.numerator, "denominator": current.denominator, "note": current.note} if current else {}
    )
    has_evidence = bool(current and current.evidence.all())
    form = EntryForm(request.POST or None, request.FILES or None, leaf=leaf, initial=initial, has_evidence=has_evidence)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                saved = approvals.save_entry(
                    period, area, leaf, request.user, data["numerator"], data["denominator"], data["note"]
                )
                if data["evidence"]:
                    upload = data["evidence"]
                    Evidence.objects.create(
                        entry=saved, file=upload, name=upload.name[:200], size=upload.size, uploaded_by=request.user
                    )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(page_url(area, period))
        messages.success(request, _("已保存“{name}”。").format(name=leaf.name))
        if "more" in request.POST:
            return redirect(reverse("assessment:entry_edit", args=[area.code, leaf.pk]) + f"?period={period.key}")
        return redirect(page_url(area, period))
    return render(
        request,
        "assessment/entry_edit.html",
        {
            "area": area,
            "breadcrumb": area.breadcrumb(),
            "period": period,
            "leaf": leaf,
            "entry": current,
            "form": form,
        },
    )


class ApprovalStep(TransitionView):
    """A step of the approval chain (approvals.APPROVAL: 上报, 验收, 退回) on an area's approval in a
    period: its confirmation page and its POST. Out of scope, or not the user's to take: 404."""

    machine = approvals.APPROVAL

    def subject(self, request, code):
        period = requested_period(request, working_entry_period)
        if period is None:
            raise Http404
        area = scoped_area(request, code)
        key = {"period": period, "area": area}
        if self.transition == "submit":
            return Subject(key, area, area.name, back=page_url(area, period), breadcrumb=area.breadcrumb())
        communities = area.children.filter(level=AreaLevel.COMMUNITY).count() if self.transition == "accept" else 0
        return Subject(
            key,
            area,
            area.name,
            back=page_url(area.parent, period),
            words={"period": period.label, "communities": communities},
            review=page_url(area, period) if self.transition == "accept" else "",
            review_label=_("先查看其填报情况与佐证材料"),
            breadcrumb=area.breadcrumb(),
        )

    def hidden(self, subject):
        return {"period": subject.key["period"].key}


def scoped_evidence(request, pk):
    return get_object_or_404(
        Evidence.objects.scoped(request.user).select_related("entry__area", "entry__period"), pk=pk
    )


@login_required
def evidence_download(request, pk):
    evidence = scoped_evidence(request, pk)
    return files.serve(evidence.file, evidence.name)


@login_required
def evidence_delete(request, pk):
    evidence = scoped_evidence(request, pk)
    area, period = evidence.entry.area, evidence.entry.period
    if not can(request.user, ENTER, area):
        raise Http404
    lock = approvals.lock_reason(period, area)
    back = reverse("assessment:entry_edit", args=[area.code, evidence.entry.indicator_id]) + f"?period={period.key}"
    if lock:
        messages.error(request, lock)
        return redirect(page_url(area, period))
    if request.method == "POST":
        with transaction.atomic():
            approvals.hold(period, area)  # not while the area submits
            lock = approvals.lock_reason(period, area)
            if lock is None:
                evidence.delete()
        if lock:
            messages.error(request, lock)
            return redirect(page_url(area, period))
        evidence.file.delete(save=False)
        messages.success(request, _("已删除佐证材料“{name}”。").format(name=evidence.name))
        return redirect(back)
    return render(
        request,
        "assessment/entry_confirm.html",
        {
            "area": area,
            "breadcrumb": area.breadcrumb(),
            "period": period,
            "title": _("删除佐证材料"),
            "message": _("确定删除“{name}”吗？删除后不能恢复。").format(name=evidence.name),
            "button": _("确认删除"),
            "danger": True,
            "back": back,
        },
    )
