import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet

from .choices import AreaLevel
from .models import Area
from .scoping import within


class AreaFilterSet(FilterSet):
    q = django_filters.CharFilter(label=_("名称或代码"), method="search")
    level = django_filters.ChoiceFilter(label=_("层级"), choices=AreaLevel.choices, empty_label=_("全部层级"))
    parent = django_filters.CharFilter(label=_("上级区划代码"), field_name="parent__code")
    within = django_filters.CharFilter(label=_("区划代码（含下级）"), method="filter_within")

    class Meta:
        model = Area
        fields = ["q", "level", "parent", "within"]

    def filter_within(self, queryset, name, value):
        return queryset.filter(within("code", value.strip()))

    def search(self, queryset, name, value):
        value = value.strip()
        condition = Q(name__icontains=value)
        if value.isdigit():
            condition |= within("code", value)
        return queryset.filter(condition)
