"""The workforce app's actions and the roles that hold them, over which part of the tree
(orgs.scoping). Each part adds its own below its heading."""

from orgs.choices import Role  # noqa: F401
from orgs.scoping import SUBTREE, every_role_but, register_actions  # noqa: F401

# --- workers (workforce/models_workers.py) -------------------------------------------------------
# A worker's record holds their ID number, pay grade and annual rating: personnel matters of the
# street's 党工委 and of the community that employs them. The street and the community keep them;
# the organisation department (district, city) reads them. A grid worker reads none of it: their
# role's area is their grid, below the community that employs the workers, and colleagues' grades,
# pay bands and ratings are not a grid's business (their own record is kept by their community).
READ_WORKERS = "workforce.read_workers"  # workers, their changes, training, certificates and ratings
KEEP_WORKERS = "workforce.keep_workers"  # add, edit, import workers; record changes, training, ratings

register_actions(
    {
        READ_WORKERS: {Role.STREET_CADRE: SUBTREE, Role.COMMUNITY_CADRE: SUBTREE, Role.ORG_DEPARTMENT: SUBTREE},
        KEEP_WORKERS: {Role.STREET_CADRE: SUBTREE, Role.COMMUNITY_CADRE: SUBTREE},
    }
)


# --- committees (workforce/models_committees.py) -------------------------------------------------

# --- venues and demonstration sites (workforce/models_venues.py) ---------------------------------

# --- secretary projects, 述职评议, street and lane chiefs (workforce/models_secretaries.py) -------
