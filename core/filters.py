"""The base of every list's filters (django-filter): one vocabulary for the page and the API,
and one look on the page — every field small and styled like the portal's other inputs.

Every filterset of a model kept under an area (one with a `scope_path`) gets `within`,
区划代码（含下级）: the records of an area's subtree, by the model's own path to its area's code —
the condition itself is the gate's (core.gate.within), written in `orgs` only. A model whose scope
is a `scope_hook` declares the paths its subtree follows instead, `within_paths` (one or more
paths along to-one relations; a record is within when any of them is):

    class InServiceMember(models.Model):
        within_paths = ("community__code", "grid__code")  # the community reported to, or the grid

A filterset that lists "within" in Meta.fields gets it there; one that declares its own `within`
keeps its own."""

import functools
import operator

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from . import gate

WITHIN = "within"


def within_paths(model):
    """The paths to the area codes that place `model`'s records in a subtree: its declared
    `within_paths`, or its `scope_path` when its scope is not a hook; () for neither."""
    declared = getattr(model, "within_paths", None)
    if declared:
        return (declared,) if isinstance(declared, str) else tuple(declared)
    path = getattr(model, "scope_path", None)
    if not path or getattr(model, "scope_hook", None) is not None:
        return ()
    return (path,)


def within_filter(model):
    """The `within` filter of `model`'s records, or None for a model not kept under one area."""
    paths = within_paths(model) if model is not None else ()
    if not paths:
        return None

    def subtree(queryset, name, value):
        code = value.strip()
        return queryset.filter(functools.reduce(operator.or_, (gate.within(path, code) for path in paths)))

    within = django_filters.CharFilter(label=_("区划代码（含下级）"), method=subtree)
    within.derived = True  # a subclass for another model derives its own
    return within


class FilterSet(django_filters.FilterSet):
    @classmethod
    def get_filters(cls):
        declared = cls.declared_filters.get(WITHIN)
        if declared is None or getattr(declared, "derived", False):
            within = within_filter(cls._meta.model)
            if within is not None:
                cls.declared_filters = {**cls.declared_filters, WITHIN: within}
        return super().get_filters()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.filters.values():  # an unset choice reads 全部, not "---------"
            if isinstance(f, django_filters.ChoiceFilter) and f.extra.get("empty_label", "---------") == "---------":
                f.extra["empty_label"] = "全部"
                f.__dict__.pop("_field", None)  # a field built before (the API schema's) is rebuilt

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            widget = field.widget
            if isinstance(widget, forms.NullBooleanSelect):  # unset reads 全部, not Django's 未知
                widget.choices = [("unknown", "全部"), ("true", "是"), ("false", "否")]
            css = "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm"
            widget.attrs.setdefault("class", css)
        return form
