"""The actions of party organisations, members, organisation life and 双报到, and who holds them."""

from orgs.choices import Role
from orgs.scoping import SUBTREE, every_role_but, register_actions, register_holders_without_area, register_user_tie

VIEW_PARTY = "party.view"  # read organisations, members, organisation life, 双报到: not a functional department
CHANGE_PARTY = "party.change_party"  # organisations, members, transfers, the member import
RECORD_MEETING = "party.record_meeting"  # organisation life: a grid branch records from a phone
CHANGE_REPORTING = "party.change_reporting"  # reporting units, registrations, in-service members, confirming
LOG_SERVICE = "party.log_service"  # an in-service member's service: the community, or the unit's account

register_actions(
    {
        VIEW_PARTY: every_role_but(Role.DEPARTMENT),
        CHANGE_PARTY: {Role.ORG_DEPARTMENT: SUBTREE, Role.STREET_CADRE: SUBTREE, Role.COMMUNITY_CADRE: SUBTREE},
        RECORD_MEETING: {
            Role.ORG_DEPARTMENT: SUBTREE,
            Role.STREET_CADRE: SUBTREE,
            Role.COMMUNITY_CADRE: SUBTREE,
            Role.GRID_WORKER: SUBTREE,
        },
        CHANGE_REPORTING: {Role.STREET_CADRE: SUBTREE, Role.COMMUNITY_CADRE: SUBTREE},
        LOG_SERVICE: {Role.STREET_CADRE: SUBTREE, Role.COMMUNITY_CADRE: SUBTREE, Role.GRID_WORKER: SUBTREE},
    }
)


def is_unit_account(user):
    """A reporting unit's own account: it sees its unit's members and logs their service (asked
    once a request: cached on the user, like the user's scopes)."""
    if not user.is_authenticated:
        return False
    if "_jiceng_unit_account" not in user.__dict__:
        user.__dict__["_jiceng_unit_account"] = user.reporting_units.exists()
    return user.__dict__["_jiceng_unit_account"]


register_holders_without_area(LOG_SERVICE, is_unit_account)


def unit_accounts():
    from .models import ReportingUnit

    return ReportingUnit.users.through.objects.all()


# A unit's account is managed (listed, reset, deactivated) by the 组织部 above the unit's area.
register_user_tie(unit_accounts, "reportingunit__area__code")
