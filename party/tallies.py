"""The party's figures over a subtree, kept by the kit's tallies (core.tallies): the area page's
党建 panel and the home page's meetings still owed read stored sums instead of counting a city's
204,000 members and 11,600 organisations on every view. Each is kept per area code of an
organisation's own area (where it is led from); the triggers that mark codes stale are installed by
migration 0003 (`WATCHES`), whatever writes the rows.

Both are exact for what the pages show: an organisation is counted where it is led from, as the
panel (`within("area__code")`) and the offices that record meetings (`scope_hook` of any action but
viewing) reach it."""

from core.calendar import Quarter
from core.tallies import Tally
from orgs.scoping import within_sql

from .choices import REQUIRED_EVERY, REQUIRED_MEETINGS, MemberStatus

AREA = "orgs_area"
ORGANISATION = "orgs_partyorganisation"
MEMBER = "orgs_partymember"
MEETING = "orgs_meeting"

FIGURES = Tally(
    key="party.figures",
    columns=("organisations", "members", "probationary", "central", "flowing"),
    sql=f"""
        SELECT {{code}}, count(*), coalesce(sum(m.members), 0), coalesce(sum(m.probationary), 0),
               coalesce(sum(m.central), 0), coalesce(sum(m.flowing), 0)
          FROM {ORGANISATION} o
          JOIN {AREA} a ON a.id = o.area_id
          LEFT JOIN LATERAL (
               SELECT count(*) AS members,
                      count(*) FILTER (WHERE pm.status = '{MemberStatus.PROBATIONARY.value}') AS probationary,
                      count(*) FILTER (WHERE pm.is_central_household) AS central,
                      count(*) FILTER (WHERE pm.is_flowing) AS flowing
                 FROM {MEMBER} pm WHERE pm.organisation_id = o.id) m ON TRUE
         WHERE {{where}}
         GROUP BY 1
    """,
    code="a.code",
)


def _required():
    """VALUES rows (organisation kind, meeting kind, meetings required in a quarter)."""
    rows = [
        f"('{org_kind}', '{kind}', {Quarter.MONTHS // REQUIRED_EVERY[kind]})"
        for org_kind, kinds in REQUIRED_MEETINGS.items()
        for kind in kinds
    ]
    return ", ".join(rows)


def _behind(start, end):
    """SQL: the organisation `o` held fewer meetings of a kind it must hold than required between
    the parameters `start` and `end` (as party.queries.behind_count counts it)."""
    return f"""EXISTS (
        SELECT 1 FROM (VALUES {_required()}) AS req(org_kind, kind, required)
         WHERE req.org_kind = o.kind AND (
               SELECT count(*) FROM {MEETING} m
                WHERE m.organisation_id = o.id AND m.kind = req.kind
                  AND m.held_on BETWEEN %({start})s AND %({end})s) < req.required)"""


def _quarters():
    current = Quarter.current()
    previous = current.previous()
    return {"prev_start": previous.start, "prev_end": previous.end, "cur_start": current.start, "cur_end": current.end}


# The organisations behind their meetings in the last quarter (the panel) and in the one under way
# (the home page's 尚需开展): recounted whole when a quarter begins.
BEHIND = Tally(
    key="party.behind",
    columns=("previous", "current"),
    sql=f"""
        SELECT {{code}}, count(*) FILTER (WHERE {_behind("prev_start", "prev_end")}),
               count(*) FILTER (WHERE {_behind("cur_start", "cur_end")})
          FROM {ORGANISATION} o
          JOIN {AREA} a ON a.id = o.area_id
         WHERE {{where}} AND o.kind IN ({", ".join(f"'{kind}'" for kind in REQUIRED_MEETINGS)})
         GROUP BY 1
    """,
    code="a.code",
    params=_quarters,
    epoch=lambda: Quarter.current().key,
)

IN_SERVICE_MEMBER = "orgs_inservicemember"
# In-service members (双报到), each counted once where it is found: at its grid when the grid lies in
# the community it reports to (the form's and the API's rule), else at the community. A subtree
# holds it when it holds the community or the grid (party.queries.in_service_within).
IN_SERVICE = Tally(
    key="party.in_service",
    columns=("in_service",),
    sql=f"""
        SELECT {{code}}, count(*)
          FROM {IN_SERVICE_MEMBER} m
          JOIN {AREA} c ON c.id = m.community_id
          LEFT JOIN {AREA} g ON g.id = m.grid_id AND {within_sql("g.code", "c.code")}
         WHERE {{where}}
         GROUP BY 1
    """,
    code="coalesce(g.code, c.code)",
)

TALLIES = (FIGURES, BEHIND, IN_SERVICE)


def _codes(rows, via="organisation_id"):
    """SQL: the area codes of the organisations of `rows` (a transition table) by their `via`."""
    return f"SELECT a.code FROM {rows} r JOIN {ORGANISATION} o ON o.id = r.{via} JOIN {AREA} a ON a.id = o.area_id"


def _changed(columns, via="organisation_id"):
    """SQL: the area codes before and after of the rows updated in one of `columns`."""
    old = ", ".join(f"o.{c}" for c in columns)
    new = ", ".join(f"n.{c}" for c in columns)
    return f"""SELECT a.code FROM {AREA} a JOIN {ORGANISATION} po ON po.area_id = a.id
                WHERE po.id IN (SELECT unnest(ARRAY[n.{via}, o.{via}]) FROM new_rows n JOIN old_rows o ON o.id = n.id
                                 WHERE ({new}) IS DISTINCT FROM ({old}))"""


# (trigger name, table, tallies, insert, delete, update): core.tallies.watch_sql's arguments.
WATCHES = (
    (
        "party_member",
        MEMBER,
        ("party.figures",),
        _codes("new_rows"),
        _codes("old_rows"),
        _changed(("organisation_id", "status", "is_central_household", "is_flowing")),
    ),
    (
        "party_meeting",
        MEETING,
        ("party.behind",),
        _codes("new_rows"),
        _codes("old_rows"),
        _changed(("organisation_id", "kind", "held_on")),
    ),
    (
        "party_organisation",
        ORGANISATION,
        ("party.figures", "party.behind"),
        f"SELECT a.code FROM new_rows r JOIN {AREA} a ON a.id = r.area_id",
        f"SELECT a.code FROM old_rows r JOIN {AREA} a ON a.id = r.area_id",
        f"""SELECT a.code FROM {AREA} a
             WHERE a.id IN (SELECT unnest(ARRAY[n.area_id, o.area_id]) FROM new_rows n JOIN old_rows o ON o.id = n.id
                             WHERE (n.area_id, n.kind) IS DISTINCT FROM (o.area_id, o.kind))""",
    ),
    (
        "party_in_service",
        IN_SERVICE_MEMBER,
        ("party.in_service",),
        f"SELECT a.code FROM {AREA} a WHERE a.id IN (SELECT unnest(ARRAY[community_id, grid_id]) FROM new_rows)",
        f"SELECT a.code FROM {AREA} a WHERE a.id IN (SELECT unnest(ARRAY[community_id, grid_id]) FROM old_rows)",
        f"""SELECT a.code FROM {AREA} a
             WHERE a.id IN (SELECT unnest(ARRAY[n.community_id, n.grid_id, o.community_id, o.grid_id])
                              FROM new_rows n JOIN old_rows o ON o.id = n.id
                             WHERE (n.community_id, n.grid_id) IS DISTINCT FROM (o.community_id, o.grid_id))""",
    ),
)
