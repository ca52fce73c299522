"""The assessment's actions and who holds them: the organisation departments open and close
periods and run the rollup; everyone reads the dashboards of their own scope."""

from orgs.choices import Role
from orgs.scoping import SUBTREE, register_actions

MANAGE = "assessment.manage"

register_actions({MANAGE: {Role.ORG_DEPARTMENT: SUBTREE}})


def may_manage_periods(user):
    """Periods are the whole city's: opened, closed and rolled up by the city's organisation
    department (a role over a root of the tree) or a superuser."""
    from orgs.models import Area
    from orgs.scoping import can

    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or any(can(user, MANAGE, root) for root in Area.objects.filter(parent=None))
