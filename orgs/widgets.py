"""The home-page widgets of the orgs app (registered in apps.py): the user's scope, the figures
of the areas in it, and what changed there lately."""

from core.history import history_rows, latest
from core.registry import CHANGES_LISTED, registry

from .choices import AreaLevel
from .models import Area, RoleAssignment
from .scoping import Action, restrict, user_scopes
from .tallies import descendant_counts

MAX_SCOPE_AREAS = 6  # figures are shown for at most this many areas of a user's scope


def scope_areas(user):
    """The areas at the top of the user's scope: the assignments' areas, or every city for a superuser."""
    if user.is_superuser:
        return list(Area.objects.filter(parent__isnull=True).order_by("code")[:MAX_SCOPE_AREAS])
    codes = [scope.code for scope in user_scopes(user, Action.VIEW)]
    return list(Area.objects.filter(code__in=codes).order_by("code")[:MAX_SCOPE_AREAS])


def scope(request):
    """The user's role assignments; None for an account of another app's record without a role (a
    reporting unit's account): that app's own widget stands in its place."""
    user = request.user
    assignments = list(
        RoleAssignment.objects.filter(user=user).select_related("area", "department").order_by("area__code")
    )
    if not assignments and not user.is_superuser and registry.accounts_held([user.pk]):
        return None
    return {
        "assignments": assignments,
        "is_superuser": user.is_superuser,
        "roots": scope_areas(user) if user.is_superuser else [],
    }


def area_figures(request):
    """How many streets, communities, grids, buildings and units each scope area holds."""
    areas = scope_areas(request.user)
    areas = [area for area in areas if area.level not in (AreaLevel.BUILDING, AreaLevel.UNIT)]
    if not areas:
        return None
    counts = descendant_counts(areas)
    levels = [level for level in AreaLevel if any(level in counts.get(a.pk, {}) for a in areas)]
    return {
        "rows": [
            {
                "area": area,
                "figures": [(AreaLevel(level).label, counts.get(area.pk, {}).get(level, 0)) for level in levels],
            }
            for area in areas
        ]
    }


def area_changes(request, limit=CHANGES_LISTED):
    """The latest changes of the tree inside the user's scope."""
    from django.apps import apps

    events = restrict(apps.get_model("orgs", "AreaEvent").objects.all(), request.user, Action.VIEW, "code")
    rows = history_rows(latest(events.select_related("pgh_context"), limit))
    if not rows:
        return None
    current = dict(Area.objects.filter(pk__in=[row["event"].pgh_obj_id for row in rows]).values_list("pk", "code"))
    for row in rows:
        row["current_code"] = current.get(row["event"].pgh_obj_id)  # None: the area is gone
    return {"rows": rows}


def department_panel(request, department):
    """A functional department's users, as far as the viewer's scope reaches."""
    from .scoping import can_anywhere

    return {
        "department": department,
        "assignments": RoleAssignment.objects.scoped(request.user)
        .filter(department=department)
        .select_related("user", "area")
        .order_by("user__username"),
        "can_manage_roles": can_anywhere(request.user, Action.MANAGE_ROLES),
    }
