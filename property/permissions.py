"""The actions of red property (红色物业) and who holds them, over which part of the tree."""

from orgs.choices import Role
from orgs.scoping import SUBTREE, register_actions, register_holders_without_area

CHANGE_PROPERTY = "property.change"  # compounds, checklists, owners' committees, consultations, ledger entries
CLOSE_LEDGER = "property.close_ledger"  # 销号 of a ledger entry, and reopening it
ENGAGE_COMPANY = "property.engage_company"  # name a company registered in or above one's area for a compound
# A company's party links (双向进入、交叉任职, seed 001): the street sends the 党建指导员, the
# community names its 兼职委员 and 物业服务顾问 — the party side's to record, not the housing bureau's.
LINK_PARTY = "property.link_party"
KEEP_COMPANY = "property.keep_company"  # register and edit companies: the housing department (住建) that registers them

# The kind of department (orgs.DepartmentKind) that registers and keeps property companies.
HOUSING = "住建"

register_actions(
    {
        CHANGE_PROPERTY: {Role.STREET_CADRE: SUBTREE, Role.COMMUNITY_CADRE: SUBTREE},
        CLOSE_LEDGER: {Role.STREET_CADRE: SUBTREE, Role.COMMUNITY_CADRE: SUBTREE},
        ENGAGE_COMPANY: {Role.STREET_CADRE: SUBTREE, Role.COMMUNITY_CADRE: SUBTREE},
        # Held by no role over an area: by the users of a housing department, over the companies
        # it registered (PropertyCompany.scope_hook) — not by every department of the district.
        LINK_PARTY: {Role.ORG_DEPARTMENT: SUBTREE, Role.STREET_CADRE: SUBTREE, Role.COMMUNITY_CADRE: SUBTREE},
        KEEP_COMPANY: {},
    }
)


def housing_departments(user):
    """The ids of the housing departments (住建) `user` serves in (cached on the user)."""
    from orgs.models import Department
    from orgs.scoping import user_departments

    if not getattr(user, "is_authenticated", False):
        return []
    cache = user.__dict__.get("_jiceng_housing")
    if cache is None:
        ids = user_departments(user)
        housing = Department.objects.filter(pk__in=ids, kind__name=HOUSING)
        cache = list(housing.values_list("pk", flat=True)) if ids else []
        user.__dict__["_jiceng_housing"] = cache
    return cache


register_holders_without_area(KEEP_COMPANY, lambda user: bool(housing_departments(user)))
