from orgs.choices import Role
from orgs.scoping import SUBTREE, register_actions

CHANGE_POINT = "kitapp.change_point"

register_actions({CHANGE_POINT: {Role.STREET_CADRE: SUBTREE, Role.COMMUNITY_CADRE: SUBTREE}})

HANDLE_REPAIR = "kitapp.handle_repair"  # handle a repair, or reopen it (the community's)

register_actions({HANDLE_REPAIR: {Role.COMMUNITY_CADRE: SUBTREE}})
