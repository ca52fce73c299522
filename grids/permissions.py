"""The actions of the roster and the roles that hold them (DESIGN §4: permissions per app)."""

from orgs.choices import Role
from orgs.scoping import SUBTREE, every_role_but, register_actions

VIEW_ROSTER = "grids.view_roster"  # read the roster: every office but a functional department
CHANGE_ROSTER = "grids.change_roster"  # appoint and relieve the people of the roster, import rosters
# The grid head (网格长) is chosen by the community: a grid worker keeps the building heads, unit
# heads, grid workers and ten-household heads of the own grid, not its head.
APPOINT_GRID_HEAD = "grids.appoint_grid_head"

register_actions(
    {
        VIEW_ROSTER: every_role_but(Role.DEPARTMENT),
        CHANGE_ROSTER: {Role.STREET_CADRE: SUBTREE, Role.COMMUNITY_CADRE: SUBTREE, Role.GRID_WORKER: SUBTREE},
        APPOINT_GRID_HEAD: {Role.STREET_CADRE: SUBTREE, Role.COMMUNITY_CADRE: SUBTREE},
    }
)


def action_for_post(post):
    """The action that appoints or relieves a holder of `post`."""
    from .choices import Post

    return APPOINT_GRID_HEAD if post == Post.GRID_HEAD else CHANGE_ROSTER
