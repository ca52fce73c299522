"""The actions of the services app (清单, and later 吹哨报到 and 诉求) and who holds them, over which
part of the tree (orgs.scoping).

A list is kept by the cadres of its own area, not by those above it (services.models.kept_here):
a community keeps its admission and public-service lists, a street its power list and its own
public-service list; the street decides the tasks stopped at its communities' gates; the
organisation department reads (Action.VIEW, every role). A functional department pushes tasks to
the communities of its city or district and reads its own."""

from orgs.choices import Role
from orgs.scoping import SUBTREE, every_role_but, register_actions, register_holders_without_area, user_departments

KEEP_LISTS = "services.keep_lists"  # draft, edit, import and publish the lists of one's own area
DECIDE_GATE = "services.decide_gate"  # approve or refuse a task stopped at a community's gate
PUSH_TASK = "services.push_task"  # a department's user: push a task to a community of its area
READ_TASKS = "services.read_tasks"  # the areas' side of reading tasks (a department reads its own)
READ_DRAFTS = "services.read_drafts"  # a list's unpublished draft: the offices of the tree, not a department

register_actions(
    {
        KEEP_LISTS: {Role.STREET_CADRE: SUBTREE, Role.COMMUNITY_CADRE: SUBTREE},
        DECIDE_GATE: {Role.STREET_CADRE: SUBTREE},
        PUSH_TASK: {Role.DEPARTMENT: SUBTREE},
        READ_TASKS: {Role.ORG_DEPARTMENT: SUBTREE, Role.STREET_CADRE: SUBTREE, Role.COMMUNITY_CADRE: SUBTREE},
        READ_DRAFTS: every_role_but(Role.DEPARTMENT),
    }
)


def serves_a_department(user):
    return bool(user_departments(user))


# --- 吹哨报到 (whistle-and-report: services/whistles.py) --------------------------------------------
# A street blows and verifies; the organisation department and the street read (READ_WHISTLES, by
# subtree); a department's users answer (报到, close) only the responses addressed to their own
# department, wherever they are — the scope hooks of services/models_whistles.py narrow ANSWER_WHISTLE
# to them, and read them there too (a department holds no READ_WHISTLES over the tree).
BLOW_WHISTLE = "services.blow_whistle"  # a street cadre: blow a whistle about a place of the street
ANSWER_WHISTLE = "services.answer_whistle"  # a department's user: sign for and close its response
VERIFY_WHISTLE = "services.verify_whistle"  # a street cadre: verify and score a closed response
READ_WHISTLES = "services.read_whistles"  # the areas' side of reading whistles; also the escalation's

register_actions(
    {
        BLOW_WHISTLE: {Role.STREET_CADRE: SUBTREE},
        ANSWER_WHISTLE: {Role.DEPARTMENT: SUBTREE},
        VERIFY_WHISTLE: {Role.STREET_CADRE: SUBTREE},
        READ_WHISTLES: {Role.ORG_DEPARTMENT: SUBTREE, Role.STREET_CADRE: SUBTREE},
    }
)
register_holders_without_area(READ_WHISTLES, lambda user: bool(user_departments(user)))
# --- Residents' requests (诉求) ---------------------------------------------------------------------
# A request is read over the subtree of its place and of the body it is routed to (a department
# reads those routed to it: services.models_requests.Request.scope_hook). The categories and the
# routing table are the street's; a grid worker receives, handles, verifies and visits the requests
# of its grid (seed 003: the grid is where a request is followed to its close); reopening and
# transferring are the community's and the street's.
KEEP_ROUTING = "services.keep_routing"  # the request categories and the routing table
READ_REQUESTS = "services.read_requests"  # the areas' side of reading requests
RECEIVE_REQUEST = "services.receive_request"  # record a resident's request, edit it while received
HANDLE_REQUEST = "services.handle_request"  # take and handle a request routed to one's body
VERIFY_REQUEST = "services.verify_request"  # verify a handled request, or return it
VISIT_REQUEST = "services.visit_request"  # the return visit: satisfaction, then closed
TRANSFER_REQUEST = "services.transfer_request"  # send to another body; reopen a closed request
DELIBERATE = "services.deliberate"  # keep a request's 五步议事法 record
# The 12345 hotline's export (services/hotline.py): handed to a district, imported whole by the
# district's (or the city's) organisation department — the only office role above the street — or
# part by part by each street cadre for its own street. Rows outside the importer's subtree are refused.
IMPORT_HOTLINE = "services.import_hotline"

AREA_ROLES = {Role.STREET_CADRE: SUBTREE, Role.COMMUNITY_CADRE: SUBTREE, Role.GRID_WORKER: SUBTREE}
register_actions(
    {
        KEEP_ROUTING: {Role.STREET_CADRE: SUBTREE},
        READ_REQUESTS: {**AREA_ROLES, Role.ORG_DEPARTMENT: SUBTREE},
        RECEIVE_REQUEST: AREA_ROLES,
        HANDLE_REQUEST: AREA_ROLES,
        VERIFY_REQUEST: AREA_ROLES,
        VISIT_REQUEST: AREA_ROLES,
        TRANSFER_REQUEST: {Role.STREET_CADRE: SUBTREE, Role.COMMUNITY_CADRE: SUBTREE},
        DELIBERATE: {Role.STREET_CADRE: SUBTREE, Role.COMMUNITY_CADRE: SUBTREE},
        IMPORT_HOTLINE: {Role.ORG_DEPARTMENT: SUBTREE, Role.STREET_CADRE: SUBTREE},
    }
)
register_holders_without_area(HANDLE_REQUEST, serves_a_department)  # a department handles what is routed to it
register_holders_without_area(READ_REQUESTS, serves_a_department)  # and reads it
