"""The funds app's actions and the roles that hold them, over which part of the tree
(orgs.scoping). Each half adds its own below its heading."""

from orgs.choices import Role
from orgs.scoping import SUBTREE, register_actions

# --- projects (funds/models_projects.py) ---------------------------------------------------------
KEEP_PROJECTS = "funds.keep_projects"  # add and edit projects; their steps as their transitions say

register_actions({KEEP_PROJECTS: {Role.STREET_CADRE: SUBTREE, Role.COMMUNITY_CADRE: SUBTREE}})

# --- funding (funds/models_funding.py) -----------------------------------------------------------
