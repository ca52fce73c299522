from orgs.choices import Role
from orgs.scoping import SUBTREE, register_actions

CHANGE_POINT = "kitapp.change_point"

register_actions({CHANGE_POINT: {Role.STREET_CADRE: SUBTREE, Role.COMMUNITY_CADRE: SUBTREE}})
