"""The actions of the services app (清单, and later 吹哨报到 and 诉求) and who holds them, over which
part of the tree (orgs.scoping).

A list is kept by the cadres of its own area, not by those above it (services.models.kept_here):
a community keeps its admission and public-service lists, a street its power list and its own
public-service list; the street decides the tasks stopped at its communities' gates; the
organisation department reads (Action.VIEW, every role). A functional department pushes tasks to
the communities of its city or district and reads its own."""

from orgs.choices import Role
from orgs.scoping import SUBTREE, every_role_but, register_actions, user_departments

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
