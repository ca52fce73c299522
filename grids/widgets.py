"""The roster's presence on other pages (registered in apps.py): the home-page widgets of grid
workers and cadres, and the coverage card of an area's page."""

from django.apps import apps

from core.history import history_rows, latest
from core.registry import CHANGES_LISTED
from orgs.choices import AreaLevel, Role
from orgs.models import Area, RoleAssignment
from orgs.places import place_name
from orgs.scoping import can, restrict, user_roles, user_scopes

from . import coverage
from .permissions import CHANGE_ROSTER, VIEW_ROSTER

MAX_VACANCY_AREAS = 3


def has_own_grids(user):
    return RoleAssignment.objects.filter(user=user, role=Role.GRID_WORKER, area__level=AreaLevel.GRID).exists()


def my_grids(request):
    """A grid worker's grids, with their vacancies, one tap from the roster of each."""
    if Role.GRID_WORKER not in user_roles(request.user):  # no query for the other roles
        return None
    grids = list(
        Area.objects.filter(
            role_assignments__user=request.user, role_assignments__role=Role.GRID_WORKER, level=AreaLevel.GRID
        ).order_by("code")
    )
    if not grids:
        return None
    figures = coverage.coverage_of(grids)
    return {"rows": [{"grid": grid, "levels": in_order(figures.get(grid.pk))} for grid in grids]}


def vacancies(request):
    """Where heads are missing in the areas the user keeps the roster of (streets, communities)."""
    user = request.user
    if user.is_superuser:
        return None
    codes = [scope.code for scope in user_scopes(user, CHANGE_ROSTER)]
    areas = list(Area.objects.filter(code__in=codes).exclude(level=AreaLevel.GRID).order_by("code")[:MAX_VACANCY_AREAS])
    if not areas:
        return None
    figures = coverage.coverage_of(areas)
    return {"rows": [{"area": area, "levels": in_order(figures.get(area.pk))} for area in areas]}


def in_order(figures):
    """The coverage of the three heads in the order everywhere: 网格长, 楼栋长, 单元长."""
    return [figures.level(level) for level in coverage.COVERED_LEVELS if figures.level(level).total]


def area_coverage(request):
    """The coverage of the three heads in the user's scope, for those who watch rather than keep
    the roster (organisation departments, departments): loaded after the page (htmx)."""
    user = request.user
    if user.is_superuser:
        return None
    if user_scopes(user, CHANGE_ROSTER):
        return None  # cadres and grid workers have the 空缺 card instead
    codes = [scope.code for scope in user_scopes(user, VIEW_ROSTER)]
    areas = list(Area.objects.filter(code__in=codes).order_by("code")[:MAX_VACANCY_AREAS])
    return {"areas": areas} if areas else None


def roster_changes(request, limit=CHANGES_LISTED):
    """The latest appointments and departures inside the user's scope."""
    events = apps.get_model("grids", "HeadAssignmentEvent").objects.order_by("-pgh_created_at")
    events = restrict(events, request.user, VIEW_ROSTER, "area_code")  # the area's code, kept on the event
    rows = history_rows(latest(events.select_related("area", "area__parent", "person", "pgh_context"), limit))
    for row in rows:
        event = row["event"]
        row["name"] = event.given_name or event.person.name  # as the post shows its holder
        row["place"] = place_name(event.area)  # 5栋3单元, not 3单元
    return {"rows": rows} if rows else None


def area_coverage_panel(request, area):
    """The coverage card on an area's page, loaded after the page (htmx) so that the page stays
    as fast as the tree: only the areas that hold grids, buildings or units get it."""
    if area.level in (AreaLevel.BUILDING, AreaLevel.UNIT) or not can(request.user, VIEW_ROSTER, area):
        return None
    return {"area": area}
