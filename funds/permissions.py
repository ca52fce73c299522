"""The funds app's actions and the roles that hold them, over which part of the tree
(orgs.scoping). Each half adds its own below its heading."""

from orgs.choices import Role
from orgs.scoping import SUBTREE, every_role_but, register_actions, register_holders_without_area

# --- projects (funds/models_projects.py) ---------------------------------------------------------
KEEP_PROJECTS = "funds.keep_projects"  # add and edit projects; their steps as their transitions say

READ_PROJECTS = "funds.read_projects"  # read demands, resources and projects (each model's view_action)
POST_DEMAND = "funds.post_demand"  # post a demand of a community or grid, edit it while open, close it
KEEP_RESOURCES = "funds.keep_resources"  # record the resources providers offer; withdraw them
CLAIM_DEMAND = "funds.claim_demand"  # 党员接单、单位认领: claim a demand for a provider
CLAIM_RESOURCE = "funds.claim_resource"  # 社区派单、群众点单: claim a resource for a community
CLOSE_PROJECT = "funds.close_project"  # close a project with its evidence, or stop it: the community's side
KEEP_MILESTONES = "funds.keep_milestones"  # a project's milestones and its service records: both sides

# The areas' side: the street, the community and the grid over their subtree, the organisation
# department reading. A functional department holds none of it: a department's work reaches the
# tree as whistles and requests (services), and a demand is a community's to place, a resource a
# provider's to offer; reading the matching would show it every community's residents' needs.
# A reporting unit's own account (danwei) holds the reading, claiming a demand and keeping its
# projects' milestones without an area: the scope hooks of funds/models_projects.py narrow it to the
# open demands of the communities its members report to and the projects its unit owns.
CADRES = {Role.STREET_CADRE: SUBTREE, Role.COMMUNITY_CADRE: SUBTREE}
register_actions(
    {
        KEEP_PROJECTS: CADRES,
        READ_PROJECTS: {**CADRES, Role.GRID_WORKER: SUBTREE, Role.ORG_DEPARTMENT: SUBTREE},
        POST_DEMAND: {**CADRES, Role.GRID_WORKER: SUBTREE},
        KEEP_RESOURCES: CADRES,
        CLAIM_DEMAND: CADRES,
        CLAIM_RESOURCE: {**CADRES, Role.GRID_WORKER: SUBTREE},
        CLOSE_PROJECT: CADRES,
        KEEP_MILESTONES: CADRES,
    }
)


def is_unit_account(user):
    """A reporting unit's own account (a user of a party.ReportingUnit), asked once a request and
    cached on the user under the key party's own question uses (party/permissions.py)."""
    if not user.is_authenticated:
        return False
    if "_jiceng_unit_account" not in user.__dict__:
        user.__dict__["_jiceng_unit_account"] = user.reporting_units.exists()
    return user.__dict__["_jiceng_unit_account"]


for _action in (READ_PROJECTS, CLAIM_DEMAND, KEEP_MILESTONES):
    register_holders_without_area(_action, is_unit_account)

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
