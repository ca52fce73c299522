"""The funds app's actions and the roles that hold them, over which part of the tree
(orgs.scoping). Each half adds its own below its heading."""

from orgs.choices import Role
from orgs.scoping import SUBTREE, every_role_but, register_actions

# --- projects (funds/models_projects.py) ---------------------------------------------------------
KEEP_PROJECTS = "funds.keep_projects"  # add and edit projects; their steps as their transitions say

register_actions({KEEP_PROJECTS: {Role.STREET_CADRE: SUBTREE, Role.COMMUNITY_CADRE: SUBTREE}})

# --- funding (funds/models_funding.py) -----------------------------------------------------------
# A community records its own spending and publishes its notice; its street allocates (with the
# district's and city's organisation department, which bring in the finance office's sheet) and
# approves the spending below it — 居财街管: the street's 党工委 checks a community's vouchers before
# money leaves, as the seeds' streets hold the communities' funds (001); the district and the city
# read. A functional department reads none of it (READ_FUNDS is every role but the department's).
READ_FUNDS = "funds.read_funds"  # allocations, expenditures and notices, over the subtree
KEEP_ALLOCATIONS = "funds.keep_allocations"  # add, edit and import a community's yearly allocations
RECORD_EXPENDITURE = "funds.record_expenditure"  # record (draft) and edit spending while a draft
APPROVE_EXPENDITURE = "funds.approve_expenditure"  # approve or reject a community's spending
PUBLISH_NOTICE = "funds.publish_notice"  # draft and publish the community's public notice (公示)

register_actions(
    {
        READ_FUNDS: every_role_but(Role.DEPARTMENT),
        KEEP_ALLOCATIONS: {Role.ORG_DEPARTMENT: SUBTREE, Role.STREET_CADRE: SUBTREE},
        RECORD_EXPENDITURE: {Role.STREET_CADRE: SUBTREE, Role.COMMUNITY_CADRE: SUBTREE},
        APPROVE_EXPENDITURE: {Role.STREET_CADRE: SUBTREE},
        PUBLISH_NOTICE: {Role.STREET_CADRE: SUBTREE, Role.COMMUNITY_CADRE: SUBTREE},
    }
)
