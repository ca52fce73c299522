"""The assessment's pages: periods (opened, rolled up with a progress bar, closed) and, for any
area in scope, its dashboard and the breakdown of its score — read from stored rollup rows."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.replica import replica_safe
from core.spreadsheets import xlsx_response
from core.views.jobs import job_progress
from orgs.choices import AreaLevel
from orgs.models import Area
from orgs.scoping import Action, can, can_anywhere, scoped_area, user_scopes

from . import queries
from .choices import ApprovalStatus, PeriodStatus
from .forms import PeriodForm
from .models import Approval, Period, RollupJob, Score
from .permissions import ENTER, may_manage_periods
from .rollup import lock_period
from .tasks import start_rollup


def home_area(user):
    """The highest area of the user's scope: where their dashboard starts. The areas of the user's
    assignments are the tops of the scope (read by their codes: sorting a district's 24,000 areas
    by depth took ~35 ms on every home page); a superuser's is the first city."""
    scopes = user_scopes(user, Action.VIEW)
    if not user.is_superuser and scopes and not any(scope.strict for scope in scopes):
        return Area.objects.filter(code__in=[scope.code for scope in scopes]).order_by("depth", "code").first()
    return Area.objects.scoped(user).filter(parent=None).first() or (
        Area.objects.scoped(user).order_by("depth", "code").first()
    )


def managed(request):
    if not may_manage_periods(request.user):
        raise Http404


@login_required
def period_list(request):
    if not can_anywhere(request.user, Action.VIEW):
        raise Http404
    manager = may_manage_periods(request.user)
    form = PeriodForm(request.POST or None) if manager else None
    if request.method == "POST":
        managed(request)
        if form.is_valid():
            period = form.save()
            messages.success(request, _("已开启考核周期：{period}。").format(period=period))
            return redirect("assessment:period_detail", pk=period.pk)
    periods = Period.objects.select_related("indicator_set").order_by("-start", "kind")
    return render(
        request,
        "assessment/period_list.html",
        {"periods": periods, "form": form, "manager": manager, "home_area": home_area(request.user)},
    )


@login_required
def period_detail(request, pk):
    if not can_anywhere(request.user, Action.VIEW):
        raise Http404
    period = get_object_or_404(Period.objects.select_related("indicator_set"), pk=pk)
    job = period.rollups.order_by("-created_at").first()
    root = home_area(request.user)
    return render(
        request,
        "assessment/period_detail.html",
        {
            "period": period,
            "job": job,
            "manager": may_manage_periods(request.user),
            "scores": period.scores.count(),
            "progress": approval_progress(period),
            "home_area": root,
            "deletable": not period.why_kept(),
        },
    )


@login_required
@require_POST
def period_run(request, pk):
    managed(request)
    period = get_object_or_404(Period, pk=pk)
    if period.status == PeriodStatus.CLOSED:
        messages.error(request, _("考核周期已关闭，结果已冻结，不能重新计算。"))
    else:
        start_rollup(period, request.user)
    return redirect("assessment:period_detail", pk=period.pk)


@login_required
def rollup_progress(request, pk):
    managed(request)
    job = get_object_or_404(RollupJob, pk=pk)
    return job_progress(request, job, "assessment:rollup_progress", unit=_("项指标"))


@login_required
def period_close(request, pk):
    managed(request)
    period = get_object_or_404(Period, pk=pk)
    if request.method == "POST":
        with transaction.atomic():
            lock_period(period)  # a rollup under way finishes first; none starts after
            period.status = PeriodStatus.CLOSED
            period.save(update_fields=["status"])
        messages.success(request, _("考核周期已关闭，结果已冻结。"))
        return redirect("assessment:period_detail", pk=period.pk)
    return render(
        request,
        "assessment/period_close.html",
        {"period": period, "progress": approval_progress(period), "today": timezone.localdate()},
    )


@login_required
def period_delete(request, pk):
    """Delete a period nobody has worked in (a mistyped one), after a confirmation; a period with
    entries, approvals, a rollup run by hand or a closing is kept, and the page says why."""
    managed(request)
    period = get_object_or_404(Period, pk=pk)
    kept = period.why_kept()
    if request.method == "POST" and not kept:
        with transaction.atomic():
            period = get_object_or_404(Period.objects.select_for_update(), pk=pk)
            lock_period(period)  # no rollup under way, none starts
            kept = period.why_kept()  # an entry may have come meanwhile
            if not kept:
                label = period.label
                period.delete()
                messages.success(request, _("已删除考核周期：{period}。").format(period=label))
                return redirect("assessment:period_list")
    return render(
        request,
        "assessment/period_delete.html",
        {"period": period, "kept": kept, "scores": period.scores.count()},
        status=409 if request.method == "POST" else 200,
    )


def approval_progress(period):
    """How many streets' manual indicators are accepted, submitted, or neither: what closing the
    period would freeze. Two queries."""
    streets = Area.objects.filter(level=AreaLevel.STREET, children__isnull=False).distinct().count()
    found = dict(
        Approval.objects.filter(period=period, area__level=AreaLevel.STREET)
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    accepted, submitted = found.get(ApprovalStatus.ACCEPTED, 0), found.get(ApprovalStatus.SUBMITTED, 0)
    return {"streets": streets, "accepted": accepted, "submitted": submitted, "open": streets - accepted - submitted}


def dashboard_context(request, code):
    area = scoped_area(request, code)
    period = queries.requested_period(request, queries.working_scored_period)
    context = {"area": area, "breadcrumb": area.breadcrumb(), "period": period}
    if period is not None:
        board = queries.dashboard(area, period)
        context.update(board, siblings=queries.siblings(area, period), charts=queries.charts(area, period, board))
    return context


@replica_safe
@login_required
def dashboard(request, code):
    """The organisation department's home for an area in scope, and a street's or community's own:
    headline figures, the score and rank with the change since last period, the children ranked
    with their figures and trend, the last-placed, charts; all from stored rollup rows."""
    context = dashboard_context(request, code)
    context["periods"] = queries.scored().order_by("-end", "-pk")[:12]
    return render(request, "assessment/dashboard.html", context)


@replica_safe
@login_required
def dashboard_export(request, code):
    """The dashboard's table of children as xlsx (上报): rank, name, score, change, figures."""
    context = dashboard_context(request, code)
    area, period = context["area"], context["period"]
    if period is None:
        raise Http404
    columns = context["columns"]
    headers = [_("名次"), _("区划代码"), _("区划"), _("得分"), _("较上期"), _("末位")]
    for figure in columns:
        headers += [str(figure.label)] if not figure.share else [f"{figure.label}（%）", f"{figure.label}（分子/分母）"]

    def figure_cells(figures):
        cells = []
        for figure in columns:
            numerator, denominator = figures.get(figure.key, (None, None))
            if figure.share:
                cells += [
                    (Decimal(100 * numerator) / denominator).quantize(Decimal("0.1")) if denominator else None,
                    f"{numerator}/{denominator}" if denominator else "",
                ]
            else:
                cells.append(numerator)
        return cells

    rows = [
        [
            score.rank,
            score.area.code,
            score.area.name,
            score.points,
            score.change,
            _("是") if score.last_place else "",
            *figure_cells(score.figures),
        ]
        for score in context["children"]
    ]
    own = context["own"]
    for row in context["figure_rows"]:  # the area's own (直属) records and the total: the rows add up
        points = own.points if row.total and own else None
        rows.append([None, area.code if row.total else "", row.label, points, None, "", *figure_cells(row.figures)])
    filename = f"{area.name}考核排名-{period.label}.xlsx"
    return xlsx_response(filename, headers, rows, sheet_title=period.label)


@replica_safe
@login_required
def breakdown(request, code):
    area = scoped_area(request, code)
    period = queries.requested_period(request, queries.working_scored_period)
    if period is None:
        raise Http404
    systems = queries.breakdown(area, period)
    children = queries.children_scores(area, period)  # asked at every level: the same queries everywhere
    has_own = any(line.value for _s, groups, _p, _w in systems for _g, lines in groups for line in lines)
    return render(
        request,
        "assessment/breakdown.html",
        {
            "area": area,
            "breadcrumb": area.breadcrumb(),
            "period": period,
            "own": Score.objects.filter(period=period, area=area).first(),
            "systems": systems,
            "indicator_set": period.indicator_set,
            "may_enter": can(request.user, ENTER, area),
            # An area with no leaf of its own (a district, the city) is scored from its children.
            "children": [] if has_own else children,
        },
    )
