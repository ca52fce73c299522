"""The workforce app's actions and the roles that hold them, over which part of the tree
(orgs.scoping). Each part adds its own below its heading."""

from orgs.choices import Role  # noqa: F401
from orgs.scoping import SUBTREE, every_role_but, register_actions  # noqa: F401

# --- workers (workforce/models_workers.py) -------------------------------------------------------

# --- committees (workforce/models_committees.py) -------------------------------------------------

# --- venues and demonstration sites (workforce/models_venues.py) ---------------------------------

# --- secretary projects, 述职评议, street and lane chiefs (workforce/models_secretaries.py) -------
