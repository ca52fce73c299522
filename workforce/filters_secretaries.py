"""The filtersets of secretary projects, milestones, 述职评议 and roads: the same words on the pages
and in the API; 滞后 (a project late, models_secretaries.late_condition) and 空缺 (a road without a
chief) on both."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet

from .models_secretaries import (
    SECRETARY_LEVELS,
    Road,
    RoadKind,
    SecretaryMilestone,
    SecretaryProject,
    SecretaryProjectStatus,
    SecretaryReport,
    late_condition,
)

ID = {"min_value": 1, "max_value": 2**31 - 1, "decimal_places": 0}
LEVEL_CHOICES = [(level.value, level.label) for level in SECRETARY_LEVELS]


class SecretaryProjectFilterSet(FilterSet):
    title = django_filters.CharFilter(label=_("项目名称"), lookup_expr="contains")
    secretary = django_filters.CharFilter(label=_("书记姓名"), lookup_expr="contains")
    year = django_filters.NumberFilter(label=_("年度"), min_value=2000, max_value=2100)
    level = django_filters.ChoiceFilter(label=_("层级"), field_name="area__level", choices=LEVEL_CHOICES)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=SecretaryProjectStatus.choices)
    late = django_filters.BooleanFilter(label=_("滞后"), method="filter_late")

    class Meta:
        model = SecretaryProject
        fields = ["title", "secretary", "year", "level", "status", "late"]

    def filter_late(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(late_condition()) if value else queryset.exclude(late_condition())


class SecretaryMilestoneFilterSet(FilterSet):
    project = django_filters.NumberFilter(label=_("书记项目编号"), **ID)
    title = django_filters.CharFilter(label=_("节点"), lookup_expr="contains")

    class Meta:
        model = SecretaryMilestone
        fields = ["project", "title"]


class SecretaryReportFilterSet(FilterSet):
    secretary = django_filters.CharFilter(label=_("书记姓名"), lookup_expr="contains")
    year = django_filters.NumberFilter(label=_("年度"), min_value=2000, max_value=2100)
    level = django_filters.ChoiceFilter(label=_("层级"), field_name="area__level", choices=LEVEL_CHOICES)

    class Meta:
        model = SecretaryReport
        fields = ["secretary", "year", "level"]


class RoadFilterSet(FilterSet):
    name = django_filters.CharFilter(label=_("名称"), lookup_expr="contains")
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=RoadKind.choices)
    vacant = django_filters.BooleanFilter(label=_("空缺"), method="filter_vacant")

    class Meta:
        model = Road
        fields = ["name", "kind", "vacant"]

    def filter_vacant(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(chief_name="") if value else queryset.exclude(chief_name="")
