"""The roster as a sheet in the import's columns, so that export → edit → re-import round-trips."""

from core.personal_data import mask
from orgs.choices import AreaLevel
from orgs.models import Area

from .choices import POLITICAL_STATUS_TO_CHINESE, POST_TO_CHINESE, Employment, Post
from .importers import HEADERS

EMPLOYMENT_POST = {Employment.FULL_TIME: "专职网格员", Employment.PART_TIME: "兼职网格员"}


def roster_sheet_rows(assignments, *, whole=False):
    """Rows for `assignments` (a queryset of HeadAssignment); phone and ID masked unless `whole`."""
    assignments = list(assignments.select_related("person", "area"))
    prefixes = {a.area.code[:n] for a in assignments for n in range(2, len(a.area.code) + 1)}
    names, levels = {}, {}
    prefixes = sorted(prefixes)
    for start in range(0, len(prefixes), 20000):
        for code, name, level in Area.objects.filter(code__in=prefixes[start : start + 20000]).values_list(
            "code", "name", "level"
        ):
            names[code], levels[code] = name, level
    for a in assignments:
        by_level = {}
        for n in range(2, len(a.area.code) + 1):
            code = a.area.code[:n]
            if code in levels:
                by_level[levels[code]] = code
        person = a.holder
        post = POST_TO_CHINESE[Post(a.post)]
        if a.post == Post.GRID_WORKER and a.employment:
            post = EMPLOYMENT_POST[Employment(a.employment)]
        phone = person.phone if whole else mask(person.phone)
        id_number = person.id_number if whole else mask(person.id_number)
        yield [
            names.get(by_level.get(AreaLevel.DISTRICT), ""),
            names.get(by_level.get(AreaLevel.STREET), ""),
            names.get(by_level.get(AreaLevel.COMMUNITY), ""),
            by_level.get(AreaLevel.GRID, ""),
            names.get(by_level.get(AreaLevel.GRID), ""),
            names.get(by_level.get(AreaLevel.BUILDING), ""),
            names.get(by_level.get(AreaLevel.UNIT), ""),
            post,
            person.name,
            person.get_gender_display(),
            phone,
            id_number,
            POLITICAL_STATUS_TO_CHINESE.get(person.political_status, ""),
            a.note,
        ]


__all__ = ["HEADERS", "roster_sheet_rows"]
