"""The requests' filtersets: the same words on the page and in the API (区划代码（含下级） from the kit)."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet

from .models_requests import (
    OPEN_STATES,
    Channel,
    Deliberation,
    RequestCategory,
    RequestStatus,
    ResidentRequest,
    RoutingRule,
    Satisfaction,
)

ID = {"min_value": 1, "max_value": 2**31 - 1, "decimal_places": 0}


class RequestCategoryFilterSet(FilterSet):
    name = django_filters.CharFilter(label=_("诉求类型"), lookup_expr="contains")

    class Meta:
        model = RequestCategory
        fields = ["name"]


class RoutingRuleFilterSet(FilterSet):
    category = django_filters.CharFilter(label=_("诉求类型"), field_name="category__name", lookup_expr="contains")

    class Meta:
        model = RoutingRule
        fields = ["category"]


class RequestFilterSet(FilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=RequestStatus.choices)
    open = django_filters.BooleanFilter(label=_("未办结"), method="filter_open")
    category = django_filters.CharFilter(label=_("诉求类型"), field_name="category__name", lookup_expr="contains")
    channel = django_filters.ChoiceFilter(label=_("受理渠道"), choices=Channel.choices)
    overdue = django_filters.BooleanFilter(label=_("超期（已上报街道）"), method="filter_overdue")
    satisfaction = django_filters.ChoiceFilter(label=_("满意度"), choices=Satisfaction.choices)
    department = django_filters.NumberFilter(label=_("承办部门编号"), field_name="responsible_department", **ID)

    class Meta:
        model = ResidentRequest
        fields = ["status", "open", "category", "channel", "overdue", "satisfaction", "department"]

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        condition = Q(status__in=OPEN_STATES)
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        condition = Q(status__in=OPEN_STATES, due_on__lt=timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)


class DeliberationFilterSet(FilterSet):
    topic = django_filters.CharFilter(label=_("议题"), lookup_expr="contains")

    class Meta:
        model = Deliberation
        fields = ["topic"]
