"""Change history shown on each record's page (django-pghistory, trigger-based: it sees bulk
imports and queryset updates too). One helper for every app."""

import datetime
from datetime import timedelta

import pghistory.models
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import ExpressionWrapper, F
from django.utils import dateformat, timezone
from django.utils.dateparse import parse_datetime

from .personal_data import mask

HIDDEN_FIELDS = {"lft", "rght", "tree_id", "depth", "id"}
TIME_FORMAT = "Y-m-d H:i"  # as every other time on the portal


def local_time(value):
    """A datetime as the portal shows times: in local time (TIME_ZONE), "Y-m-d H:i". `value` is a
    datetime or the ISO text an event stores (2026-12-06T07:03:25.736978+00:00); anything else
    (a date, a number, text that is no time) is returned unchanged."""
    if isinstance(value, str) and "T" in value and ":" in value:
        try:
            value = parse_datetime(value) or value
        except ValueError:
            return value
    if not isinstance(value, datetime.datetime):
        return value
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return dateformat.format(value, TIME_FORMAT)


def history_for(obj, limit=50):
    """The latest events of `obj`, newest first, with who and what changed; two queries."""
    events = list(pghistory.models.Events.objects.tracks(obj).order_by("-pgh_created_at")[:limit])
    user_ids = set()
    for event in events:
        metadata = event.pgh_context or {}
        if metadata.get("user"):
            user_ids.add(metadata["user"])
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=user_ids)}
    # Phone and ID numbers stay masked in the history too (DESIGN §4).
    # A model names its columns that hold such numbers in `personal_data_columns`.
    model = type(obj)
    personal = set(
        getattr(model, "personal_data_columns", None)
        or (path for path in getattr(model, "personal_data_fields", {}).values() if "." not in path)
    )
    readable = Readable(model, events, obj)
    entries = []
    for event in events:
        metadata = event.pgh_context or {}
        changes = [
            (readable.label(name), mask(before), mask(after))
            if name in personal
            else (readable.label(name), readable.value(name, before), readable.value(name, after))
            for name, (before, after) in (event.pgh_diff or {}).items()
            if name not in HIDDEN_FIELDS
        ]
        entries.append(
            {
                "when": event.pgh_created_at,
                "label": event.pgh_label,
                "user": users.get(metadata.get("user")),
                "source": "import" if metadata.get("import_job") else metadata.get("url", ""),
                "import_job": metadata.get("import_job"),
                "changes": changes,
                "data": {
                    k: mask(v) if k in personal else v
                    for k, v in (event.pgh_data or {}).items()
                    if k not in HIDDEN_FIELDS
                },
            }
        )
    return entries


# How many of the newest events of a model the first plan of `latest` reads.
LATEST_WINDOW = 500


def latest(events, limit):
    """The newest `limit` of `events` (a queryset of one pghistory event model, narrowed to a scope
    by its caller), newest first, as a list, the plan chosen by how much of the model the scope
    holds. A city's scope holds nearly every event: its newest are found by walking the events'
    time index ((`pgh_created_at`, `pgh_id`), which the event model must index) and stopping at `limit`. A
    street's or a grid's are rare among the newest: walking the time index would read most of the
    table before finding five, so they are found from the scope's side (its areas, then their
    events by the area's index) and sorted. First the newest LATEST_WINDOW events of the model are
    looked at; only when fewer than `limit` of them lie in the scope is the scope's side read.
    Two queries when the newest events hold enough of the scope's, four otherwise; what is found
    is the same either way."""
    model = events.model
    order = ("-pgh_created_at", "-pgh_id")
    edge = (
        model.objects.order_by(*order).values_list("pgh_created_at", "pgh_id")[LATEST_WINDOW - 1 : LATEST_WINDOW]
    ).first()
    if edge is not None:
        # The window as one row comparison with literal values (the planner then knows it is
        # small), which the index (pgh_created_at, pgh_id) serves even where a bulk import gave
        # thousands of events the same time.
        table = model._meta.db_table
        newer = f'("{table}"."pgh_created_at", "{table}"."pgh_id") >= (%s, %s)'
        window = events.extra(where=[newer], params=list(edge))
        found = list(window.order_by(*order)[:limit])
        if len(found) == limit:
            return found
    # Sorted by an expression the time index cannot serve, so that the planner reads the scope's
    # events by its own indexes rather than walking the whole table in time order; searched
    # without joins (select_related), then fetched with them. (A model holding fewer events than
    # the window comes here at once: its events are few.)
    unindexed = ExpressionWrapper(F("pgh_created_at") + timedelta(0), output_field=models.DateTimeField())
    ids = list(events.order_by(unindexed.desc(), "-pgh_id").values_list("pk", flat=True)[:limit])
    rows = {event.pk: event for event in events.filter(pk__in=ids)}
    return [rows[pk] for pk in ids if pk in rows]


def history_rows(events):
    """Rows for a "recent changes" list from events of one tracked model (pghistory's event
    model), newest first as given: when, who, what kind of change, and the event itself (its
    tracked fields: e.g. `event.name`). Two queries; `events` may be a list of events fetched with
    their context (`latest`)."""
    if not isinstance(events, list):
        events = list(events.select_related("pgh_context"))
    user_ids = {(e.pgh_context.metadata or {}).get("user") for e in events if e.pgh_context_id}
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=[pk for pk in user_ids if pk])}
    rows = []
    for event in events:
        metadata = (event.pgh_context.metadata or {}) if event.pgh_context_id else {}
        rows.append(
            {
                "when": event.pgh_created_at,
                "label": event.pgh_label,
                "user": users.get(metadata.get("user")),
                "import_job": metadata.get("import_job"),
                "event": event,
            }
        )
    return rows


class Readable:
    """A change as a cadre reads it: the field's Chinese name, a choice's label, 是/否, and the
    name of a related record rather than its id (one query per related model)."""

    def __init__(self, model, events, obj=None):
        self.obj = obj  # a record may call a field by another name (core.views.generic: field_label)
        self.fields = {}
        for field in model._meta.concrete_fields:
            self.fields[field.name] = self.fields[field.attname] = field
        self.related = {}
        wanted = {}
        for event in events:
            for name, values in (event.pgh_diff or {}).items():
                field = self.fields.get(name)
                if field is not None and field.is_relation:
                    wanted.setdefault(name, set()).update(v for v in values if v is not None)
        for name, ids in wanted.items():
            objects = self.fields[name].related_model._base_manager.in_bulk(list(ids))
            self.related[name] = {pk: str(obj) for pk, obj in objects.items()}

    def label(self, name):
        field = self.fields.get(name)
        if field is None:
            return name
        if hasattr(self.obj, "field_label"):
            return str(self.obj.field_label(field.name))
        return str(field.verbose_name)

    def value(self, name, value):
        field = self.fields.get(name)
        if value is None:
            return value
        if field is None or isinstance(field, models.DateTimeField):
            return local_time(value)  # a time in the changes: local, as the event's own time
        if field.is_relation:
            return self.related.get(name, {}).get(value, value)
        if isinstance(field, models.FileField):
            return value.rsplit("/", 1)[-1]  # the file's name, not where the storage keeps it
        if isinstance(value, bool):
            return "是" if value else "否"
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        return value
