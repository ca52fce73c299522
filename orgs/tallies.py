"""The areas of each level in a subtree, kept by the kit's tallies (core.tallies): the home page's
figures of the user's scope read the sums of a city's 73 street buckets instead of counting its
165,000 areas on every view. Kept per bucket of the first nine digits of the code (a street):
a community's or a grid's subtree, below a bucket, is counted (a few hundred areas at most).
Inserts and deletes mark their buckets stale (migration 0011); a code or a level changed marks
both codes stale for every tally (the row trigger of the same migration)."""

from core.tallies import Tally

from .choices import AreaLevel

AREA = "orgs_area"
BUCKET = 9  # a street's code: 220104001

AREAS = Tally(
    key="orgs.areas",
    columns=tuple(AreaLevel.values),
    sql=f"""
        SELECT {{code}}, {", ".join(f"count(*) FILTER (WHERE a.level = '{level}')" for level in AreaLevel.values)}
          FROM {AREA} a
         WHERE {{where}}
         GROUP BY 1
    """,
    code="a.code",
    prefix=BUCKET,
)

TALLIES = (AREAS,)

# (trigger name, table, tallies, insert, delete, update, prefix): core.tallies.watch_sql's arguments.
WATCHES = (
    ("orgs_area", AREA, ("orgs.areas",), "SELECT code FROM new_rows", "SELECT code FROM old_rows", None, BUCKET),
)


def descendant_counts(areas):
    """{area id: {level: count}} of the areas strictly below each of `areas`, as
    orgs.queries.descendant_counts counts them, from the tally: two queries for the areas down to
    a street, one more for each deeper one."""
    sums = AREAS.sums([area.code for area in areas])
    counts = {}
    for area in areas:
        below = dict(sums[area.code])
        below[area.level] -= 1  # the area itself
        below = {level: n for level, n in below.items() if n}
        if below:  # as orgs.queries.descendant_counts: an area with nothing below is left out
            counts[area.pk] = below
    return counts
