"""One filterset per list: the same words on the page and in the API (区划代码（含下级） from the kit)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet

from .choices import ListKind, TaskStatus, VersionStatus
from .models import GateTask, ListItem, ListVersion, ServiceList

ID = {"min_value": 1, "max_value": 2**31 - 1, "decimal_places": 0}


class ServiceListFilterSet(FilterSet):
    kind = django_filters.ChoiceFilter(label=_("清单类型"), choices=ListKind.choices)

    class Meta:
        model = ServiceList
        fields = ["kind"]


class ListVersionFilterSet(FilterSet):
    kind = django_filters.ChoiceFilter(label=_("清单类型"), choices=ListKind.choices, field_name="service_list__kind")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=VersionStatus.choices)
    service_list = django_filters.NumberFilter(label=_("清单编号"), **ID)

    class Meta:
        model = ListVersion
        fields = ["kind", "status", "service_list"]


class ListItemFilterSet(FilterSet):
    name = django_filters.CharFilter(label=_("事项名称"), lookup_expr="contains")
    category = django_filters.CharFilter(label=_("事项类型"), lookup_expr="contains")
    current = django_filters.BooleanFilter(
        label=_("现行版本"), method="filter_current", help_text=_("“是”：只看各清单现行（已发布）版本的事项")
    )
    version = django_filters.NumberFilter(label=_("版本编号"), **ID)

    class Meta:
        model = ListItem
        fields = ["name", "category", "current", "version"]

    def filter_current(self, queryset, name, value):
        if value is None:
            return queryset
        condition = Q(version__status=VersionStatus.PUBLISHED)
        return queryset.filter(condition) if value else queryset.exclude(condition)


class GateTaskFilterSet(FilterSet):
    name = django_filters.CharFilter(label=_("事项名称"), lookup_expr="contains")
    status = django_filters.ChoiceFilter(label=_("准入状态"), choices=TaskStatus.choices)

    class Meta:
        model = GateTask
        fields = ["name", "status"]
