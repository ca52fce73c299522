"""The base of every list's filters (django-filter): one vocabulary for the page and the API,
and one look on the page — every field small and styled like the portal's other inputs."""

import django_filters
from django import forms


class FilterSet(django_filters.FilterSet):
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
            css = "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm"
            widget.attrs.setdefault("class", css)
        return form
