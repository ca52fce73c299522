"""The actions of the roster and the roles that hold them (DESIGN §4: permissions per app)."""

from orgs.choices import Role
from orgs.scoping import SUBTREE, register_actions

CHANGE_ROSTER = "grids.change_roster"  # appoint and relieve the people of the roster, import rosters

register_actions(
    {
        CHANGE_ROSTER: {Role.STREET_CADRE: SUBTREE, Role.COMMUNITY_CADRE: SUBTREE, Role.GRID_WORKER: SUBTREE},
    }
)
