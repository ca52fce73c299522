"""The menu bar's search: every model an app registered (core.registry.Searchable) searched at once
for what a person types — a name, a code, an ID number as the portal shows it — among the records
the user may see, one query per model.

    registry.add_searchable(Searchable(Area, names=("name",), codes=("code",)))
"""

import re
from dataclasses import dataclass, field

from django.db.models import Q

from . import gate
from .identity import id_number
from .registry import registry

RESULTS = 20  # the most results one group shows
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MASKED_ID = re.compile(r"^([0-9]{6})\*{8}([0-9]{3}[0-9X])$")


@dataclass
class Group:
    searchable: object
    label: str
    results: list = field(default_factory=list)  # [(record, detail)]
    truncated: bool = False

    @property
    def model_label(self):
        return self.searchable.model._meta.label_lower


def cleaned(query):
    """The typed text without control characters (PostgreSQL refuses a NUL), at most 100 long."""
    return CONTROL.sub("", query or "").strip()[:100]


def id_condition(path, text):
    """An ID number typed whole, or as its mask (the first six and last four): else nothing."""
    compact = text.replace(" ", "").upper()
    whole = MASKED_ID.match(compact)
    if whole:
        return Q(**{f"{path}__startswith": whole.group(1), f"{path}__endswith": whole.group(2)})
    try:
        value = id_number(compact)
    except ValueError:
        return None
    return Q(**{path: value}) if value else None


def condition(searchable, text):
    """The Q of `searchable`'s records that `text` names, or None when it can name none."""
    found = Q(pk__in=[])
    hit = False
    for path in searchable.names:
        found |= Q(**{f"{path}__icontains": text})
        hit = True
    compact = text.replace(" ", "")
    if compact.isdigit():
        for path in searchable.codes:
            found |= gate.within(path, compact)
            hit = True
    for path in searchable.id_numbers:
        by_id = id_condition(path, text)
        if by_id is not None:
            found |= by_id
            hit = True
    named = searchable.terms(text) if searchable.terms else None
    if named is not None:
        found |= named
        hit = True
    return found if hit else None


def find(user, query):
    """The groups of records `user` may see that `query` names: [Group], the empty ones left out."""
    text = cleaned(query)
    groups = []
    if not text:
        return groups
    for searchable in registry.searchables:
        if not gate.can_anywhere(user, searchable.action) or gate.reads_elsewhere_only(user, searchable.model):
            continue
        where = condition(searchable, text)
        if where is None:
            continue
        rows = searchable.model._default_manager.scoped(user, searchable.action).filter(where)
        if searchable.related:
            rows = rows.select_related(*searchable.related)
        records = list(rows.order_by(*(searchable.model._meta.ordering or ["pk"]))[: RESULTS + 1])
        if not records:
            continue
        detail = searchable.detail or (lambda record: "")
        groups.append(
            Group(
                searchable,
                str(searchable.label or searchable.model._meta.verbose_name_plural),
                [(record, detail(record)) for record in records[:RESULTS]],
                len(records) > RESULTS,
            )
        )
    return groups
