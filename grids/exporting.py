"""The roster as a sheet in the import's columns, so that export → edit → re-import round-trips."""

import itertools

from core.personal_data import mask
from orgs.choices import AreaLevel
from orgs.models import Area

from .choices import POLITICAL_STATUS_TO_CHINESE, POST_TO_CHINESE, Employment, Gender, Post
from .importers import HEADERS

PLACE_LEVELS = (
    AreaLevel.DISTRICT,
    AreaLevel.STREET,
    AreaLevel.COMMUNITY,
    AreaLevel.GRID,
    AreaLevel.BUILDING,
    AreaLevel.UNIT,
)
EMPLOYMENT_POST = {Employment.FULL_TIME: "专职网格员", Employment.PART_TIME: "兼职网格员"}


HOLDER_FIELDS = ("name", "gender", "phone", "id_number", "political_status")
# The post's area and its two ancestors come with the row (a unit, its building and grid); the
# levels above them — a few hundred streets and communities — from one lookup of their codes.
PLACE_FIELDS = tuple(
    f"area__{up}{field}" for up in ("", "parent__", "parent__parent__") for field in ("code", "name", "level")
)
ROW_FIELDS = (
    PLACE_FIELDS
    + ("post", "employment", "note")
    + tuple(f"given_{name}" for name in HOLDER_FIELDS)
    + tuple(f"person__{name}" for name in HOLDER_FIELDS)
)


CHUNK_ROWS = 5000  # rows fetched at a time (a server-side cursor): a city's export in bounded memory


def upper_levels(codes):
    """{code: {level: (ancestor code, name)}} for the given area codes, the area itself included:
    the ancestors are the codes' prefixes (orgs' code rule), named in one query."""
    prefixes = sorted({code[:n] for code in codes for n in range(2, len(code) + 1)})
    known = {}
    for start in range(0, len(prefixes), 20000):
        for code, name, level in Area.objects.filter(code__in=prefixes[start : start + 20000]).values_list(
            "code", "name", "level"
        ):
            known[code] = (level, name)
    found = {}
    for code in codes:
        ancestors = (code[:n] for n in range(2, len(code) + 1))
        found[code] = {known[c][0]: (c, known[c][1]) for c in ancestors if c in known}
    return found


def roster_sheet_rows(assignments, *, whole=False):
    """Rows for `assignments` (a queryset of HeadAssignment); phone and ID masked unless `whole`.

    Tuples, not model instances (a district's 25,000 posts, each with its person and area, took
    longer to build as objects than to write), fetched CHUNK_ROWS at a time; the holder is chosen as
    `HeadAssignment.holder` chooses it: what the appointing office typed when it typed it, else the
    person's record."""
    genders = {value: str(label) for value, label in Gender.choices}
    posts = {value: POST_TO_CHINESE[Post(value)] for value in Post.values}
    keep = (lambda value: value) if whole else mask
    records = assignments.values_list(*ROW_FIELDS).iterator(chunk_size=CHUNK_ROWS)
    uppers = {}  # the oldest joined ancestor's code → its own ancestors, looked up once a chunk
    while chunk := list(itertools.islice(records, CHUNK_ROWS)):
        tops = {next(code for code in (r[6], r[3], r[0]) if code) for r in chunk} - uppers.keys()
        if tops:
            uppers.update(upper_levels(tops))
        yield from _rows(chunk, uppers, genders, posts, keep)


def _rows(chunk, uppers, genders, posts, keep):
    for record in chunk:
        places, (post, employment, note), details = record[:9], record[9:12], record[12:]
        area_code, _, _, parent_code, _, _, top_code, _, _ = places
        by_level = dict(uppers[top_code or parent_code or area_code])
        for code, name, level in (places[6:9], places[3:6], places[0:3]):
            if code:
                by_level[level] = (code, name)
        given, recorded = details[:5], details[5:]
        name, gender, phone, id_number, political_status = given if given[0] else recorded
        shown_post = posts[post]
        if post == Post.GRID_WORKER and employment:
            shown_post = EMPLOYMENT_POST[Employment(employment)]
        district, street, community, grid, building, unit = (by_level.get(level, ("", "")) for level in PLACE_LEVELS)
        yield [
            district[1],
            street[1],
            community[1],
            grid[0],
            grid[1],
            building[1],
            unit[1],
            shown_post,
            name,
            genders.get(gender, ""),
            keep(phone),
            keep(id_number),
            POLITICAL_STATUS_TO_CHINESE.get(political_status, ""),
            note,
        ]


__all__ = ["HEADERS", "roster_sheet_rows"]
