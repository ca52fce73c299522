"""The workforce app's actions and the roles that hold them, over which part of the tree
(orgs.scoping). Each part adds its own below its heading."""

from orgs.choices import Role  # noqa: F401
from orgs.scoping import SUBTREE, every_role_but, register_actions  # noqa: F401

# --- workers (workforce/models_workers.py) -------------------------------------------------------

# --- committees (workforce/models_committees.py) -------------------------------------------------
# The two committees' terms and members and the mentoring are kept by the street (which runs the
# 换届 of its communities and keeps the sheet of who was elected) and by the community over its own;
# the organisation department (district, city) reads them — it guides the elections and reads their
# statistics, but the record of who was elected is the street's, as its sheet is — and a grid worker
# or a functional department reads none of it (a member's ID number is personal data).
READ_COMMITTEES = "workforce.read_committees"  # terms, members, studios, sessions, pairs; the statistics
KEEP_COMMITTEES = "workforce.keep_committees"  # add, edit, delete and import them

register_actions(
    {
        READ_COMMITTEES: {Role.ORG_DEPARTMENT: SUBTREE, Role.STREET_CADRE: SUBTREE, Role.COMMUNITY_CADRE: SUBTREE},
        KEEP_COMMITTEES: {Role.STREET_CADRE: SUBTREE, Role.COMMUNITY_CADRE: SUBTREE},
    }
)

# --- venues and demonstration sites (workforce/models_venues.py) ---------------------------------

# --- secretary projects, 述职评议, street and lane chiefs (workforce/models_secretaries.py) -------
