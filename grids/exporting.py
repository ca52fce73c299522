"""The roster as a sheet in the import's columns, so that export → edit → re-import round-trips."""

from core.personal_data import mask
from orgs.choices import AreaLevel
from orgs.models import Area

from .choices import POLITICAL_STATUS_TO_CHINESE, POST_TO_CHINESE, Employment, Gender, Post
from .importers import HEADERS

EMPLOYMENT_POST = {Employment.FULL_TIME: "专职网格员", Employment.PART_TIME: "兼职网格员"}


HOLDER_FIELDS = ("name", "gender", "phone", "id_number", "political_status")
ROW_FIELDS = (
    ("area__code", "post", "employment", "note")
    + tuple(f"given_{name}" for name in HOLDER_FIELDS)
    + tuple(f"person__{name}" for name in HOLDER_FIELDS)
)


def roster_sheet_rows(assignments, *, whole=False):
    """Rows for `assignments` (a queryset of HeadAssignment); phone and ID masked unless `whole`.

    Tuples, not model instances (a district's 25,000 posts, each with its person and area, took
    longer to build as objects than to write); the holder is chosen as `HeadAssignment.holder`
    chooses it: what the appointing office typed when it typed it, else the person's record."""
    records = list(assignments.values_list(*ROW_FIELDS))
    prefixes = sorted({r[0][:n] for r in records for n in range(2, len(r[0]) + 1)})
    names, levels = {}, {}
    for start in range(0, len(prefixes), 20000):
        for code, name, level in Area.objects.filter(code__in=prefixes[start : start + 20000]).values_list(
            "code", "name", "level"
        ):
            names[code], levels[code] = name, level
    genders = {value: str(label) for value, label in Gender.choices}
    posts = {value: POST_TO_CHINESE[Post(value)] for value in Post.values}
    keep = (lambda value: value) if whole else mask
    for area_code, post, employment, note, *details in records:
        given, recorded = details[:5], details[5:]
        name, gender, phone, id_number, political_status = given if given[0] else recorded
        by_level = {}
        for n in range(2, len(area_code) + 1):
            code = area_code[:n]
            if code in levels:
                by_level[levels[code]] = code
        shown_post = posts[post]
        if post == Post.GRID_WORKER and employment:
            shown_post = EMPLOYMENT_POST[Employment(employment)]
        yield [
            names.get(by_level.get(AreaLevel.DISTRICT), ""),
            names.get(by_level.get(AreaLevel.STREET), ""),
            names.get(by_level.get(AreaLevel.COMMUNITY), ""),
            by_level.get(AreaLevel.GRID, ""),
            names.get(by_level.get(AreaLevel.GRID), ""),
            names.get(by_level.get(AreaLevel.BUILDING), ""),
            names.get(by_level.get(AreaLevel.UNIT), ""),
            shown_post,
            name,
            genders.get(gender, ""),
            keep(phone),
            keep(id_number),
            POLITICAL_STATUS_TO_CHINESE.get(political_status, ""),
            note,
        ]


__all__ = ["HEADERS", "roster_sheet_rows"]
