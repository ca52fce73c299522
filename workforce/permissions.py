"""The workforce app's actions and the roles that hold them, over which part of the tree
(orgs.scoping). Each part adds its own below its heading."""

from orgs.choices import Role  # noqa: F401
from orgs.scoping import BELOW, SUBTREE, every_role_but, register_actions  # noqa: F401

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
# Street and community cadres keep the venues of their subtree (a community its station and the
# grid posts under it, a street its centre and everything below) and import the street's sheet of
# them. Demonstration sites are named by higher bodies (区委组织部 and above) with a document: the
# organisation department of a district or the city records them, and so does a street cadre for the
# areas, organisations and venues of the street (the street holds the naming document of its
# communities and keeps their records); the 文号 is the proof either way. Everyone but a functional
# department reads both (a department's work reaches the tree as whistles, as for funds).
READ_VENUES = "workforce.read_venues"  # venues, their photos and meetings held there, and the sites
KEEP_VENUES = "workforce.keep_venues"  # add, edit, delete and import venues; upload their photos
MARK_SITES = "workforce.mark_sites"  # record, edit and delete demonstration sites

register_actions(
    {
        READ_VENUES: every_role_but(Role.DEPARTMENT),
        KEEP_VENUES: {Role.STREET_CADRE: SUBTREE, Role.COMMUNITY_CADRE: SUBTREE},
        MARK_SITES: {Role.ORG_DEPARTMENT: SUBTREE, Role.STREET_CADRE: SUBTREE},
    }
)


# --- secretary projects, 述职评议, street and lane chiefs (workforce/models_secretaries.py) -------
# A secretary's own area keeps its projects: the district's 组织部 the district secretary's (and,
# as the office over the secretaries below, theirs), a street's cadres their street's and its
# communities', a community's cadres their own (a grid has no secretary: its worker finds no project
# in its scope, and is offered none of these pages). 述职评议 is recorded by the
# level above the secretary (BELOW): the 组织部 records the districts', streets' and communities'
# reviews under it, a street's 党工委 its communities' — never a secretary's own — and each area
# reads its own. Roads and their chiefs are the street's to keep; everyone but a functional
# department reads them (the chiefs' phones masked as personal data).
READ_SECRETARY_PROJECTS = "workforce.read_secretary_projects"  # projects and milestones
KEEP_SECRETARY_PROJECTS = "workforce.keep_secretary_projects"  # add, edit, complete, stop; milestones
READ_REVIEWS = "workforce.read_reviews"  # 述职评议
RECORD_REVIEWS = "workforce.record_reviews"  # record a secretary's report and the review's votes
READ_ROADS = "workforce.read_roads"  # roads, their chiefs and vacancies
KEEP_ROADS = "workforce.keep_roads"  # add, edit and import a street's roads and chiefs

register_actions(
    {
        READ_SECRETARY_PROJECTS: {
            Role.ORG_DEPARTMENT: SUBTREE,
            Role.STREET_CADRE: SUBTREE,
            Role.COMMUNITY_CADRE: SUBTREE,
        },
        KEEP_SECRETARY_PROJECTS: {
            Role.ORG_DEPARTMENT: SUBTREE,
            Role.STREET_CADRE: SUBTREE,
            Role.COMMUNITY_CADRE: SUBTREE,
        },
        READ_REVIEWS: {Role.ORG_DEPARTMENT: SUBTREE, Role.STREET_CADRE: SUBTREE, Role.COMMUNITY_CADRE: SUBTREE},
        RECORD_REVIEWS: {Role.ORG_DEPARTMENT: BELOW, Role.STREET_CADRE: BELOW},
        READ_ROADS: every_role_but(Role.DEPARTMENT),
        KEEP_ROADS: {Role.STREET_CADRE: SUBTREE, Role.ORG_DEPARTMENT: SUBTREE},
    }
)
