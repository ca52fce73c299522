import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.exporting import counted
from core.personal_data import log_access_if_whole
from core.spreadsheets import xlsx_response
from core.views.generic import ObjectDetailView, ObjectListView, csv_response
from orgs.choices import AreaLevel, Role
from orgs.models import Area, RoleAssignment
from orgs.places import place_name
from orgs.scoping import can, can_anywhere, scoped_area, within

from . import coverage as coverage_module
from . import roster
from .choices import HEAD_OF_LEVEL, POST_LEVEL, Post
from .exporting import HEADERS, roster_sheet_rows
from .filters import HeadAssignmentFilterSet
from .forms import AppointForm
from .models import HeadAssignment, Person, registered_party_member
from .permissions import CHANGE_ROSTER, VIEW_ROSTER, action_for_post
from .tables import RosterTable


def safe_next(request):
    """The `next` URL of a form when it points back into this site, else None."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return None


def as_of(request):
    """The day asked for (`?on=2026-06-30`: the assessment's gap links ask for a period's last
    day), or None for today; 404 for a malformed one."""
    value = request.GET.get("on")
    if not value:
        return None
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise Http404 from None
    return None if day == timezone.localdate() else day


@login_required
def area_coverage(request, code):
    """Coverage of the three heads for an area, with its children (drill-down) and the gaps: today,
    or as of a day (`?on=`), from the posts' start and end dates."""
    area = scoped_area(request, code, VIEW_ROSTER)
    on = as_of(request)
    figures, children = coverage_module.drill_down(area, on=on)
    level = request.GET.get("level") or None
    if level not in (None, *coverage_module.COVERED_LEVELS):
        level = None
    paginator = Paginator(coverage_module.gaps(area, level, on=on), 50)
    # The number of gaps is known from the figures: no count over a city's 165,000 areas.
    paginator.count = sum(figures.level(lv).gaps for lv in ([level] if level else coverage_module.COVERED_LEVELS))
    gaps = paginator.get_page(request.GET.get("page"))
    gap_paths = coverage_module.paths(gaps.object_list)
    for gap in gaps.object_list:
        gap.path = gap_paths[gap.pk]
    return render(
        request,
        "grids/coverage.html",
        {
            "area": area,
            "breadcrumb": area.breadcrumb(),
            "figures": figures,
            "children": children,
            "levels": coverage_module.COVERED_LEVELS,
            "gap_level": level,
            "page_obj": gaps,
            "paginator": gaps.paginator,
            # A vacancy of a past day may be filled since: appointing is offered for today's and later.
            "can_change": can(request.user, CHANGE_ROSTER, area) and (on is None or on > timezone.localdate()),
            "has_grids": any(figures.level(lv).total for lv in coverage_module.COVERED_LEVELS),
            "on": on,
        },
    )


@login_required
def coverage_summary(request, code):
    """The coverage figures of one area, for the card on its page (loaded by htmx)."""
    area = scoped_area(request, code, VIEW_ROSTER)
    return render(
        request,
        "grids/includes/coverage_summary.html",
        {"figures": coverage_module.coverage(area), "levels": coverage_module.COVERED_LEVELS},
    )


class RosterView(ObjectListView):
    """The roster of an area's subtree: who holds which post, filters, sorting, paging, export in
    the roster import's columns."""

    queryset = HeadAssignment.objects.select_related("person", "area", "area__parent")
    table = RosterTable
    filterset = HeadAssignmentFilterSet
    filter_defaults = {"state": "current"}
    template_name = "grids/roster.html"

    def get_queryset(self):
        self.area = scoped_area(self.request, self.kwargs["code"], VIEW_ROSTER)
        return (
            super()
            .get_queryset()
            .filter(within("area__code", self.area.code))
            .annotate(registered_member=registered_party_member())  # a party member by the party's register
            .order_by("area__code", "post")
        )

    def export(self, queryset, fmt, progress=None):
        whole = log_access_if_whole(
            self.request,
            HeadAssignment,
            f"export:{self.area.code}",
            row_count=queryset.count(),
            query=self.request.GET.urlencode(),
        )
        rows = counted(roster_sheet_rows(queryset, whole=whole), progress)
        if fmt == "csv":
            return csv_response(f"人员名册_{self.area.code}.csv", HEADERS, rows)
        return xlsx_response(f"人员名册_{self.area.code}.xlsx", HEADERS, rows, sheet_title="人员名册")

    def get_title(self):
        return _("{name}的人员名册").format(name=self.area.name)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        can_change = can(self.request.user, CHANGE_ROSTER, self.area)
        context["table"].can_change = can_change
        context.update(area=self.area, breadcrumb=self.area.breadcrumb(), can_change=can_change)
        return context


class PersonDetailView(ObjectDetailView):
    """A person's page: open while the user's scope holds one of their posts. The registered
    details and their history only for a user who keeps the record (every post in scope);
    otherwise what was typed for the user's own post, or — when only relieved posts of theirs are
    in scope — just those posts, not the person's current details elsewhere."""

    queryset = Person.objects.all()
    template_name = "grids/person_detail.html"
    change_action = CHANGE_ROSTER

    def get_queryset(self):
        return Person.objects.as_shown_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.object
        posts = list(
            HeadAssignment.objects.scoped(self.request.user)
            .filter(person=person)
            .select_related("area__parent", "person")
            .order_by("-start_date", "-pk")
        )
        context.update(
            person=person,
            keeps=person.record_kept,
            show_details=person.record_kept or any(post.is_current for post in posts),
            posts=posts,
            breadcrumb=posts[0].area.breadcrumb() if posts else [],
            roster_area=posts[0].area if posts else None,
            history=context["history"] if person.record_kept else None,
        )
        return context


@login_required
@require_http_methods(["GET", "POST"])
def appoint(request, code):
    """Appoint or replace a head (or add a grid worker) on a grid, building or unit."""
    area = scoped_area(request, code, CHANGE_ROSTER)
    if area.level not in set(POST_LEVEL.values()):
        raise Http404
    form = AppointForm(
        request.POST or None, area=area, user=request.user, initial={"post": request.GET.get("post", "")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment, kept_elsewhere = roster.appoint_holder(
                area,
                data["post"],
                form.holder(),
                user=request.user,
                employment=data["employment"],
                start_date=data["start_date"],
                note=data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("已任命：{name}（{post}，{area}）。").format(
                    name=assignment.holder.name, post=assignment.get_post_display(), area=place_name(area)
                ),
            )
            if kept_elsewhere:
                messages.info(request, roster.KEPT_ELSEWHERE_NOTICE)
            return redirect(safe_next(request) or reverse("grids:roster", kwargs={"code": area.code}))
    current = HeadAssignment.objects.current().filter(area=area).select_related("person")
    return render(
        request,
        "grids/appoint.html",
        {
            "area": area,
            "place": place_name(area),
            "form": form,
            "current": current,
            "breadcrumb": area.breadcrumb(),
            "next": request.GET.get("next", ""),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def relieve(request, pk):
    """Relieve the holder of a post, after a confirmation page naming who leaves which post."""
    assignment = get_object_or_404(
        HeadAssignment.objects.scoped(request.user, CHANGE_ROSTER).select_related("area__parent", "person"),
        pk=pk,
        end_date__isnull=True,
    )
    back = safe_next(request) or reverse("grids:roster", kwargs={"code": assignment.area.code})
    if not can(request.user, action_for_post(assignment.post), assignment.area):
        raise Http404  # a grid worker and the grid head: the community's to relieve
    if request.method == "GET":
        return render(
            request,
            "generic/confirm.html",
            {
                "title": _("离任"),
                "question": _(
                    "{name}将于今天离任“{area}”的{post}，任职记录会保留，该职务将出现空缺。"
                    "如需由他人接任，请改用“更换”。确定离任吗？"
                ).format(name=assignment.holder.name, area=assignment.place, post=assignment.get_post_display()),
                "confirm_label": _("确认离任"),
                "danger": True,
                "cancel_url": back,
                "next": safe_next(request) or "",
                "breadcrumb": assignment.area.breadcrumb(),
            },
        )
    try:
        roster.relieve(assignment, user=request.user)
    except ValidationError as error:  # e.g. a post that starts in the future
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("{name}已离任。").format(name=assignment.holder.name))
    return redirect(back)


@login_required
def my_grids(request):
    """The grid worker's page on a phone: each own grid with its heads and gaps, to update."""
    if not can_anywhere(request.user, VIEW_ROSTER):
        raise Http404  # a functional department reads no roster
    codes = RoleAssignment.objects.filter(user=request.user, role=Role.GRID_WORKER).values_list("area__code", flat=True)
    grids = list(Area.objects.filter(code__in=list(codes), level=AreaLevel.GRID).order_by("code"))
    current = HeadAssignment.objects.current().select_related("person")
    blocks = []
    for grid in grids:
        areas = list(
            Area.objects.filter(within("code", grid.code))
            .order_by("code")
            .prefetch_related(Prefetch("head_assignments", queryset=current, to_attr="current_posts"))
        )
        names = {area.pk: area.name for area in areas}
        for area in areas:  # a gap: no current head of the area's level (a grid with workers only, too)
            area.is_gap = not any(
                p.post == HEAD_OF_LEVEL.get(area.level) and not p.is_scheduled for p in area.current_posts
            )
            area.parent_name = names.get(area.parent_id, "")
        blocks.append({"grid": grid, "areas": areas})
    return render(request, "grids/my_grids.html", {"blocks": blocks, "Post": Post})
