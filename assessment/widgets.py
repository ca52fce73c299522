"""The assessment's tile on the home page (core.registry.Widget): the score, rank and change of the
top of the user's scope in the period it works in (the running quarter once rolled up, else the
last quarter), its best and last-placed children, and the way to the full dashboard — what an
organisation department opens the portal for."""

from orgs.choices import Role
from orgs.scoping import user_roles

from . import queries


def ranking(request):
    from .views import home_area

    roles = user_roles(request.user)
    if roles and roles <= {Role.DEPARTMENT}:
        # A functional department (职能部门) answers whistles and reads property evaluations
        # (DESIGN §2): the area's score and its party figures are not its work.
        return None
    area = home_area(request.user)
    period = queries.working_scored_period() if area is not None and area.level not in ("building", "unit") else None
    if period is None:
        return None
    board = queries.dashboard(area, period, live=False)  # the card is a glance: the dashboard compares
    children = board["children"]
    return {
        "area": area,
        "period": period,
        "own": board["own"],
        "change": board["change"],
        "tiles": board["tiles"],
        "best": children[:3],
        "last_placed": board["last_placed"],
        "children": len(children),
    }
