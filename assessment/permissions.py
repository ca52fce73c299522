"""The assessment's actions and who holds them: the organisation departments open and close
periods, run the rollup and edit the indicator sets; the communities and streets enter their
manual indicators and submit them; a street returns its communities' submissions, and the district
accepts or returns the streets'; everyone reads the dashboards of their own scope."""

from orgs.choices import Role
from orgs.scoping import BELOW, SUBTREE, register_actions

MANAGE = "assessment.manage"
ENTER = "assessment.enter"  # enter and submit the manual indicators of an area
ACCEPT = "assessment.accept"  # accept a street's submission (the district)
RETURN = "assessment.return"  # send a submission or an acceptance back, with a reason

register_actions(
    {
        MANAGE: {Role.ORG_DEPARTMENT: SUBTREE},
        ENTER: {Role.STREET_CADRE: SUBTREE, Role.COMMUNITY_CADRE: SUBTREE},
        ACCEPT: {Role.ORG_DEPARTMENT: BELOW},
        RETURN: {Role.ORG_DEPARTMENT: BELOW, Role.STREET_CADRE: BELOW},
    }
)


def may_manage_periods(user):
    """Periods and indicator sets are the whole city's: opened, closed, rolled up and edited by the
    city's organisation department (a role over a root of the tree) or a superuser."""
    from orgs.models import Area
    from orgs.scoping import can

    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or any(can(user, MANAGE, root) for root in Area.objects.filter(parent=None))
