"""吹哨报到's filtersets: the same words on the pages and in the API; 已逾期 (overdue) on both lists."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet
from orgs.models import Department

from .models_whistles import OPEN_STATES, ResponseStatus, Whistle, WhistleResponse, WhistleType, overdue

ID = {"min_value": 1, "max_value": 2**31 - 1, "decimal_places": 0}


class WhistleFilterSet(FilterSet):
    title = django_filters.CharFilter(label=_("事项"), lookup_expr="contains")
    kind = django_filters.ModelChoiceFilter(label=_("吹哨类型"), queryset=WhistleType.objects.all())
    overdue = django_filters.BooleanFilter(label=_("已逾期"), method="filter_overdue")
    subject_id = django_filters.NumberFilter(label=_("关联对象编号"), **ID)

    class Meta:
        model = Whistle
        fields = ["title", "kind", "overdue", "subject_id"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = WhistleResponse.objects.filter(
            whistle=OuterRef("pk"), status__in=OPEN_STATES, whistle__deadline__lt=timezone.localdate()
        )
        return queryset.filter(Exists(late) if value else ~Exists(late))


class WhistleResponseFilterSet(FilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ResponseStatus.choices)
    overdue = django_filters.BooleanFilter(label=_("已逾期"), method="filter_overdue")
    department = django_filters.ModelChoiceFilter(label=_("报到部门"), queryset=Department.objects.all())
    whistle = django_filters.NumberFilter(label=_("吹哨编号"), **ID)

    class Meta:
        model = WhistleResponse
        fields = ["status", "overdue", "department", "whistle"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = overdue(queryset)
        return late if value else queryset.exclude(pk__in=late.values("pk"))


class RankingFilterSet(FilterSet):
    name = django_filters.CharFilter(label=_("部门"), lookup_expr="contains")
    # The quarter is the view's (?period=2026Q3): carried through the filter form, not a filter.
    period = django_filters.CharFilter(method="the_views", widget=forms.HiddenInput)

    class Meta:
        model = Department
        fields = ["name"]

    def the_views(self, queryset, name, value):
        return queryset
