"""What ModelPages (core.views.generic) derives from a model's declaration, so that each fact is
said once (issue 16 §5):

- the field list — the form's, the serializer's, the resource's and a generated table's;
- the area relation — the model's `scope_path` ("area__code") says that `area` is typed by its
  code in the API and the import and shown by its code in the table;
- the change action — the form's choices, the serializer's and the resource's related objects,
  the viewset's writes and the importer's permission;
- personal data — the model's phone and ID-number fields (core.fields) mark themselves, so the
  table's column and the serializer's field are masked.

Each function builds one piece for a ModelPages class `pages`; a piece the class declares itself
is never replaced.
"""

import django_filters
import django_tables2 as tables
from django.db import models
from import_export.fields import Field

from .fields import PersonalField
from .filters import FilterSet
from .forms import ScopedModelForm
from .tables import DateColumn, DateTimeColumn, LinkedColumn, PersonalColumn, Table, YesNoColumn


def scope_relation(model):
    """(relation name, key) of the area relation that `scope_path` walks ("area__code" →
    ("area", "code")), or (None, None) for a model whose path is not one relation's key."""
    path = getattr(model, "scope_path", "") or ""
    relation, _, key = path.partition("__")
    if not key or "__" in key:
        return None, None
    return relation, key


def is_scoped(model):
    return hasattr(model._default_manager, "scoped")


def field_names(pages):
    """The declared fields, or those of the declared form, or the model fields of the table's columns."""
    if pages.fields:
        return list(pages.fields)
    if pages.form is not None and getattr(pages.form._meta, "fields", None):
        return list(pages.form._meta.fields)
    names = {f.name for f in pages.model._meta.get_fields()}
    return [name for name, _header in pages.table.export_columns() if name in names] if pages.table else []


def table_for(model, fields):
    """A table of `fields`: the area by its code, the first text field linked to the record's page,
    personal data masked, dates as 2026-01-05, yes/no as 是/否."""
    relation, key = scope_relation(model)
    attrs, linked = {}, False
    for name in fields:
        field = model._meta.get_field(name)
        label = field.verbose_name
        if name == relation:
            column = tables.Column(field.related_model._meta.get_field(key).verbose_name, accessor=model.scope_path)
        elif isinstance(field, PersonalField):
            column = PersonalColumn(label, field=name)
        elif not linked and isinstance(field, models.CharField) and not field.choices:
            column, linked = LinkedColumn(label), True
        elif isinstance(field, models.DateTimeField):
            column = DateTimeColumn("Y-m-d H:i", verbose_name=label)
        elif isinstance(field, models.DateField):
            column = DateColumn("Y-m-d", verbose_name=label)
        elif isinstance(field, models.BooleanField):
            column = YesNoColumn(label)
        else:
            column = tables.Column(label)
        attrs[name] = column
    return type(f"{model.__name__}Table", (Table,), attrs)


def form_for(model, fields):
    """A ScopedModelForm of `fields`: every related choice narrowed to the user's scope."""
    meta = type("Meta", (), {"model": model, "fields": list(fields)})
    return type(f"{model.__name__}Form", (ScopedModelForm,), {"Meta": meta})


def filterset_for(model, names):
    """A filterset with one filter per name (text: contains; others: as django-filter makes them),
    each labelled with the field's Chinese name; `within` comes with core.filters.FilterSet."""
    attrs = {}
    for name in names:
        field = model._meta.get_field(name)
        if isinstance(field, models.CharField) and not field.choices:
            attrs[name] = django_filters.CharFilter(label=field.verbose_name, lookup_expr="contains")
        else:
            attrs[name] = FilterSet.filter_for_field(field, name)
            attrs[name].label = field.verbose_name
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": list(names)})
    return type(f"{model.__name__}FilterSet", (FilterSet,), attrs)


def serializer_for(model, fields, action):
    """A serializer of "id" and `fields`: the area by its code and every other scoped relation by
    its id, among the records the caller may `action` on; personal data masked."""
    from .api import DeclaredSerializer, ScopedPrimaryKeyField, ScopedRelatedField

    relation, key = scope_relation(model)
    attrs = {}
    for name in fields:
        field = model._meta.get_field(name)
        if not (field.many_to_one and is_scoped(field.related_model)):
            continue
        options = {"queryset": field.related_model._default_manager.all(), "action": action}
        if field.null:
            options.update(required=False, allow_null=True)
        if name == relation:
            attrs[name] = ScopedRelatedField(slug_field=key, **options)
        else:
            attrs[name] = ScopedPrimaryKeyField(**options)
    personal = tuple(name for name in getattr(model, "personal_data_fields", {}) if name in fields)
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": ["id", *fields], "personal_fields": personal})
    return type(f"{model.__name__}Serializer", (DeclaredSerializer,), attrs)


def viewset_for(model, queryset, serializer, filterset, action):
    from .api import ScopedViewSet

    relation, _key = scope_relation(model)
    if relation:
        queryset = queryset.select_related(relation)
    attrs = {"queryset": queryset, "serializer_class": serializer, "filterset_class": filterset, "write_action": action}
    return type(f"{model.__name__}ViewSet", (ScopedViewSet,), attrs)


def resource_for(model, fields, table, import_id_fields, action):
    """A django-import-export resource of `fields` under the table's headers: the area by its code
    and every other scoped relation by its id, among the records the importing user may `action`
    on; rows found by `import_id_fields`; each record cleaned as the form cleans it."""
    from .resources import ScopedForeignKeyWidget, ScopedResource

    relation, key = scope_relation(model)
    attrs = {}
    for name in fields:
        field = model._meta.get_field(name)
        if field.many_to_one and is_scoped(field.related_model):
            widget = ScopedForeignKeyWidget(field.related_model, key if name == relation else "pk", action=action)
            attrs[name] = Field(attribute=name, widget=widget)
    attrs["Meta"] = type(
        "Meta",
        (),
        {
            "model": model,
            "table": table,
            "fields": tuple(fields),
            "import_id_fields": tuple(import_id_fields),
            "skip_unchanged": True,
            "report_skipped": True,
            "clean_model_instances": True,
        },
    )
    return type(f"{model.__name__}Resource", (ScopedResource,), attrs)


def complete(pages):
    """Fill in what `pages` (a ModelPages class) does not declare."""
    model = pages.model
    if pages.table is None and pages.fields:
        pages.table = table_for(model, pages.fields)
    fields = field_names(pages)
    if pages.form is None and fields:
        pages.form = form_for(model, fields)
    if pages.filterset is None:
        pages.filterset = filterset_for(model, pages.filters)
    if pages.api and pages.serializer is None:
        pages.serializer = serializer_for(model, fields, pages.change_action)
    if pages.api and pages.viewset is None:
        queryset = pages.queryset if pages.queryset is not None else model._default_manager.all()
        pages.viewset = viewset_for(model, queryset, pages.serializer, pages.filterset, pages.change_action)
    if pages.import_id_fields and pages.resource is None:
        pages.resource = resource_for(model, fields, pages.table, pages.import_id_fields, pages.change_action)
    if pages.import_id_fields and not pages.import_kind:
        pages.import_kind = model._meta.model_name
