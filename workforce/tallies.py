"""The two committees' election statistics kept by the kit's tallies (core.tallies): the committees
page and the area page's 两委 card read stored sums of the terms' facts (workforce/committees.py
FACTS: each member's age, college, gender, 交叉任职 and 一肩挑, found by EXISTS over the community's
other members) instead of working them out for a city's 10,000 members on every view. Kept per
community code; the triggers that mark a community stale when its terms or members are written are
installed by migration 0003 (`WATCHES`), whatever writes the rows. The facts depend on the day
(which term is current, who is in post), so the tally's epoch is the day: the first reader of a day
counts it afresh once."""

from django.utils import timezone

from core.tallies import Tally
from orgs.models import Area

from .committees import FACTS, STAT_NAMES, params, rank_figures_sql
from .models_committees import Committee, CommitteeMember, CommitteeTerm

AREA = Area._meta.db_table
TERM = CommitteeTerm._meta.db_table
MEMBER = CommitteeMember._meta.db_table
RANKS = ("current", "previous")  # rank 1 and 2 of FACTS


def _sql():
    # only the stale communities' members are read (`{where}` is the kit's, on the bucket's code)
    subtree = f"AND m.area_id IN (SELECT a.id FROM {AREA} a WHERE {{where}})"
    columns = [f"{rank}_{committee}_{name}" for rank in RANKS for committee in Committee.values for name in STAT_NAMES]
    facts = FACTS.replace("{subtree}", subtree)  # FACTS' one placeholder; {where} stays for the kit
    sql = f"SELECT {{code}}, {rank_figures_sql()} FROM {facts} f JOIN {AREA} a ON a.id = f.area_id GROUP BY 1"
    return (*columns, "communities"), sql


COLUMNS, _SQL = _sql()

COMMITTEES = Tally(
    key="workforce.committees",
    columns=COLUMNS,
    sql=_SQL,
    code="a.code",
    params=params,
    epoch=lambda: timezone.localdate().isoformat(),
)

TALLIES = (COMMITTEES,)


def _codes(rows):
    return f"SELECT a.code FROM {rows} r JOIN {AREA} a ON a.id = r.area_id"


def _changed(columns):
    old = ", ".join(f"o.{c}" for c in columns)
    new = ", ".join(f"n.{c}" for c in columns)
    return f"""SELECT a.code FROM {AREA} a
                WHERE a.id IN (SELECT unnest(ARRAY[n.area_id, o.area_id]) FROM new_rows n JOIN old_rows o ON o.id = n.id
                                WHERE ({new}) IS DISTINCT FROM ({old}))"""


# (trigger name, table, tallies, insert, delete, update): core.tallies.watch_sql's arguments.
WATCHES = (
    (
        "workforce_cmember",
        MEMBER,
        ("workforce.committees",),
        _codes("new_rows"),
        _codes("old_rows"),
        _changed(
            (
                "area_id",
                "term_id",
                "id_number",
                "gender",
                "birth_date",
                "education",
                "post",
                "started_on",
                "ended_on",
            )
        ),
    ),
    (
        "workforce_cterm",
        TERM,
        ("workforce.committees",),
        _codes("new_rows"),
        _codes("old_rows"),
        _changed(("area_id", "committee", "elected_on", "ends_on")),
    ),
)
