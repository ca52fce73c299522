"""书记项目、述职评议与街长路长巷长的 pages on the kit (ModelPages), and what the kit does not derive:

- the overview per level (区 / 街道 / 社区): the secretaries of that level in scope with no project
  this year, and the projects late — two flat queries whatever the number of areas;
- an evidence file served to who reads its project;
- the area page's card (loaded after the page): the subtree's projects this year, late, and the
  secretaries without one; and the roads' card of the coverage and roster pages (a slot of grids'
  pages, core.registry): roads and chiefs per street with the vacancies;
- the home widget: the projects late that the user keeps."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import files
from core.views.generic import ModelPages
from orgs.choices import LEVEL_RANK, AreaLevel
from orgs.models import Area
from orgs.scoping import can, can_anywhere, scoped_area, user_scopes, within

from . import api_secretaries as rest
from . import filters_secretaries as filters
from . import forms_secretaries as forms
from . import tables_secretaries as tables
from .menu import COMMITTEES, PLACES
from .menu import GROUP as MENU
from .models_secretaries import (
    SECRETARY_LEVELS,
    Road,
    SecretaryMilestone,
    SecretaryProject,
    SecretaryReport,
    late_condition,
)
from .permissions import (
    KEEP_ROADS,
    KEEP_SECRETARY_PROJECTS,
    READ_ROADS,
    READ_SECRETARY_PROJECTS,
    RECORD_REVIEWS,
)
from .secretaries_flow import PROJECTS

SECTION = COMMITTEES
ROADS_SECTION = PLACES  # beside the venues (workforce/views_venues.py)
LISTED = 8


class SecretaryProjectPages(ModelPages):
    model = SecretaryProject
    queryset = rest.with_late(SecretaryProject.objects.select_related("area"))
    table = tables.SecretaryProjectTable
    filterset = filters.SecretaryProjectFilterSet
    form = forms.SecretaryProjectForm
    change_action = KEEP_SECRETARY_PROJECTS
    detail_fields = (
        "area",
        "secretary",
        "year",
        "title",
        "goal",
        "started_on",
        "ends_on",
        "status",
        "evidence_name",
        "reason",
        "by",
        "at",
    )
    transitions = PROJECTS
    api = "secretary-projects"
    serializer = rest.SecretaryProjectSerializer
    viewset = rest.SecretaryProjectViewSet
    menu = {"group": MENU, "section": SECTION, "order": 120, "icon": "flag", "label": gettext_lazy("书记项目")}


class SecretaryMilestonePages(ModelPages):
    model = SecretaryMilestone
    queryset = SecretaryMilestone.objects.select_related("project__area")
    table = tables.SecretaryMilestoneTable
    filterset = filters.SecretaryMilestoneFilterSet
    form = forms.SecretaryMilestoneForm
    change_action = KEEP_SECRETARY_PROJECTS
    detail_fields = ("project", "title", "due_on", "done_on", "note", "evidence_name")
    import_kind = "workforce_milestones"
    api = "secretary-milestones"
    serializer = rest.SecretaryMilestoneSerializer
    viewset = rest.SecretaryMilestoneViewSet


class SecretaryReportPages(ModelPages):
    model = SecretaryReport
    queryset = SecretaryReport.objects.select_related("area")
    table = tables.SecretaryReportTable
    filterset = filters.SecretaryReportFilterSet
    form = forms.SecretaryReportForm
    change_action = RECORD_REVIEWS
    detail_fields = (
        "area",
        "year",
        "secretary",
        "reported_on",
        "summary",
        "voters",
        "good",
        "fairly_good",
        "fair",
        "poor",
    )
    import_kind = "workforce_reports"
    api = "secretary-reports"
    serializer = rest.SecretaryReportSerializer
    viewset = rest.SecretaryReportViewSet
    menu = {
        "group": MENU,
        "section": SECTION,
        "order": 122,
        "icon": "clipboard-check",
        "label": gettext_lazy("述职评议"),
    }


class RoadPages(ModelPages):
    model = Road
    queryset = Road.objects.select_related("area").annotate(along_count=Count("along")).order_by("area__code", "name")
    table = tables.RoadTable
    filterset = filters.RoadFilterSet
    form = forms.RoadForm
    change_action = KEEP_ROADS
    detail_fields = (
        "area",
        "name",
        "kind",
        "chief_name",
        "chief_phone",
        "chief_id_number",
        "chief_since",
        "note",
    )
    import_kind = "workforce_roads"
    api = "roads"
    serializer = rest.RoadSerializer
    viewset = rest.RoadViewSet
    menu = {
        "group": MENU,
        "section": ROADS_SECTION,
        "order": 124,
        "icon": "signpost-split",
        "label": gettext_lazy("街长路长巷长"),
    }


PAGES = (
    ("workforce/secretary-projects", SecretaryProjectPages),
    ("workforce/secretary-milestones", SecretaryMilestonePages),
    ("workforce/secretary-reports", SecretaryReportPages),
    ("workforce/roads", RoadPages),
)


# --- the overview per level ----------------------------------------------------------------------

LEVEL_WORDS = {
    AreaLevel.DISTRICT: gettext_lazy("区（县）书记"),
    AreaLevel.STREET: gettext_lazy("街道（乡镇）书记"),
    AreaLevel.COMMUNITY: gettext_lazy("社区（村）书记"),
}


def without_project(user, level, year):
    """The areas of `level` the user reads that have no secretary project of `year` (one query)."""
    claimed = SecretaryProject.objects.filter(area=OuterRef("pk"), year=year)
    return (
        Area.objects.scoped(user, READ_SECRETARY_PROJECTS)
        .filter(level__in=[level] if isinstance(level, str) else level)
        .exclude(Exists(claimed))
        .select_related("parent")
        .order_by("code")
    )


def offered_levels(user):
    """The levels of secretaries the user oversees: those at or below the highest area they read
    projects in (a street's cadre: the street's and its communities', not the district's)."""
    scopes = user_scopes(user, READ_SECRETARY_PROJECTS)
    levels = dict(Area.objects.filter(code__in=[s.code for s in scopes]).values_list("code", "level"))
    top = min(
        (LEVEL_RANK[levels[s.code]] + (1 if s.strict else 0) for s in scopes if s.code in levels),
        default=LEVEL_RANK[AreaLevel.COMMUNITY],
    )
    return [each for each in SECRETARY_LEVELS if LEVEL_RANK[each] >= top] or [AreaLevel.COMMUNITY]


@login_required
def overview(request):
    """书记项目 per level: the secretaries of the level with none this year, and the projects late."""
    if not can_anywhere(request.user, READ_SECRETARY_PROJECTS):
        raise Http404
    offered = offered_levels(request.user)
    level = request.GET.get("level") or AreaLevel.COMMUNITY
    if level not in offered:
        level = AreaLevel.COMMUNITY
    year = timezone.localdate().year
    missing = without_project(request.user, level, year)
    late = (
        SecretaryProject.objects.scoped(request.user)
        .filter(area__level=level)
        .filter(late_condition())
        .select_related("area")
        .order_by("ends_on", "pk")
    )
    missing_rows = list(missing[:200])
    late_rows = list(late[:200])
    return render(
        request,
        "workforce/secretaries/overview.html",
        {
            "title": _("书记项目推进情况"),
            "levels": [(each, LEVEL_WORDS[each]) for each in offered],
            "level": level,
            "year": year,
            "missing": missing_rows,
            "missing_count": len(missing_rows) if len(missing_rows) < 200 else missing.count(),
            "late": late_rows,
            "late_count": len(late_rows) if len(late_rows) < 200 else late.count(),
            "list_url": reverse("workforce:secretaryproject_list"),
            "add_url": reverse("workforce:secretaryproject_add")
            if can_anywhere(request.user, KEEP_SECRETARY_PROJECTS)
            else "",
        },
    )


# --- evidence --------------------------------------------------------------------------------------


@login_required
def project_evidence(request, pk):
    project = get_object_or_404(SecretaryProject.objects.scoped(request.user), pk=pk)
    if not project.evidence:
        raise Http404
    return files.serve(project.evidence, project.evidence_name or project.evidence.name.rsplit("/", 1)[-1])


@login_required
def milestone_evidence(request, pk):
    milestone = get_object_or_404(SecretaryMilestone.objects.scoped(request.user), pk=pk)
    if not milestone.evidence:
        raise Http404
    return files.serve(milestone.evidence, milestone.evidence_name or milestone.evidence.name.rsplit("/", 1)[-1])


def project_panel(request, project):
    """A project's page: its milestones, late ones flagged, and the link to add one."""
    rows = list(project.milestones.order_by("due_on", "pk"))
    return {
        "project": project,
        "rows": rows,
        "evidence_url": reverse("workforce:secretaryproject_evidence", args=[project.pk]) if project.evidence else "",
        "add_url": reverse("workforce:secretarymilestone_add") + f"?project={project.pk}"
        if project.status == "running" and can(request.user, KEEP_SECRETARY_PROJECTS, project.area)
        else "",
    }


def report_panel(request, report):
    """A report's page: each vote's share and the projects it reports on."""
    shares = [
        (label, getattr(report, name), report.share(name) * 100 if report.voters else 0)
        for name, label in (("good", _("好")), ("fairly_good", _("较好")), ("fair", _("一般")), ("poor", _("差")))
    ]
    return {
        "report": report,
        "shares": shares,
        "good_share": (report.good_share or 0) * 100,
        "projects": list(report.projects.order_by("pk")),
    }


def road_panel(request, road):
    """A road's page: the communities, grids and buildings along it."""
    return {"road": road, "along": list(road.along.order_by("code"))}


# --- the area page's card (lazy) ------------------------------------------------------------------


def area_panel_place(request, area):
    if area.level not in (AreaLevel.CITY, *SECRETARY_LEVELS) or not can(request.user, READ_SECRETARY_PROJECTS, area):
        return None
    return {"title": _("书记项目"), "url": reverse("workforce:secretaries_area_panel", args=[area.code])}


@login_required
def area_panel(request, code):
    """书记项目 under an area this year: how many, late, and the secretaries below without one."""
    area = scoped_area(request, code, READ_SECRETARY_PROJECTS)
    year = timezone.localdate().year
    projects = SecretaryProject.objects.scoped(request.user).filter(within("area__code", area.code), year=year)
    figures = projects.aggregate(total=Count("pk"), late=Count("pk", filter=late_condition()))
    missing = without_project(request.user, SECRETARY_LEVELS, year).filter(within("code", area.code)).count()
    query = f"?within={area.code}&year={year}"
    return render(
        request,
        "workforce/secretaries/area_panel.html",
        {
            "object": area,
            "year": year,
            "total": figures["total"],
            "late": figures["late"],
            "missing": missing,
            "list_url": reverse("workforce:secretaryproject_list") + query,
            "late_url": reverse("workforce:secretaryproject_list") + query + "&late=true",
            "overview_url": reverse("workforce:secretaries_overview"),
        },
    )


# --- roads beside the three heads (grids' coverage and roster pages: a slot, core.registry) --------


def roads_place(request, area):
    """The roads card's place on grids' coverage and roster pages: from the street up, to who reads roads."""
    if area is None or area.level not in (AreaLevel.CITY, AreaLevel.DISTRICT, AreaLevel.STREET):
        return None
    if not can(request.user, READ_ROADS, area):
        return None
    return {"title": _("街长、路长、巷长"), "url": reverse("workforce:roads_panel", args=[area.code])}


def roads_per_street(user, area):
    """Per street under `area`: its roads, those with a chief and the vacancies (one grouped query)."""
    rows = list(
        Road.objects.scoped(user)
        .filter(within("area__code", area.code))
        .values("area__code", "area__name")
        .annotate(roads=Count("pk"), vacant=Count("pk", filter=Q(chief_name="")))
        .order_by("area__code")
    )
    for row in rows:
        row["chiefs"] = row["roads"] - row["vacant"]
    return rows


@login_required
def roads_panel(request, code):
    area = scoped_area(request, code, READ_ROADS)
    streets = roads_per_street(request.user, area)
    vacancies = list(
        Road.objects.scoped(request.user)
        .filter(within("area__code", area.code), chief_name="")
        .select_related("area")
        .order_by("area__code", "name")[:LISTED]
    )
    return render(
        request,
        "workforce/roads/panel.html",
        {
            "object": area,
            "streets": streets,
            "roads": sum(s["roads"] for s in streets),
            "vacant": sum(s["vacant"] for s in streets),
            "vacancies": vacancies,
            "list_url": reverse("workforce:road_list") + f"?within={area.code}",
            "vacant_url": reverse("workforce:road_list") + f"?within={area.code}&vacant=true",
        },
    )


# --- the home widget --------------------------------------------------------------------------------


def keeps_projects(request):
    return can_anywhere(request.user, KEEP_SECRETARY_PROJECTS)


def projects_late(request):
    """The secretary projects late that the user keeps."""
    late = SecretaryProject.objects.scoped(request.user, KEEP_SECRETARY_PROJECTS).filter(late_condition())
    rows = list(late.select_related("area").order_by("ends_on", "pk")[:LISTED])
    if not rows:
        return None
    return {
        "title": _("滞后的书记项目"),
        "rows": rows,
        "count": len(rows) if len(rows) < LISTED else late.count(),
        "all_url": reverse("workforce:secretaryproject_list") + "?late=true",
    }


urlpatterns = [
    path("workforce/secretaries/", overview, name="secretaries_overview"),
    path("workforce/secretary-projects/<int:pk>/evidence/", project_evidence, name="secretaryproject_evidence"),
    path("workforce/secretary-milestones/<int:pk>/evidence/", milestone_evidence, name="secretarymilestone_evidence"),
    path("areas/<code:code>/secretaries/", area_panel, name="secretaries_area_panel"),
    path("areas/<code:code>/roads/", roads_panel, name="roads_panel"),
]
