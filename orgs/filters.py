import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import AreaLevel
from .models import Area


class AreaFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称或代码"), method="search")
    level = django_filters.ChoiceFilter(label=_("层级"), choices=AreaLevel.choices, empty_label=_("全部层级"))
    parent = django_filters.CharFilter(label=_("上级区划代码"), field_name="parent__code")

    class Meta:
        model = Area
        fields = ["q", "level", "parent"]

    def search(self, queryset, name, value):
        value = value.strip()
        condition = Q(name__icontains=value)
        if value.isdigit():
            condition |= Q(code__startswith=value)
        return queryset.filter(condition)
