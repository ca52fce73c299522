"""The filtersets of demands, resources, projects and milestones: the same words on the pages and
in the API; 超期未认领 (a demand open longer than FUNDS_UNCLAIMED_DAYS) and 已逾期 (a project past
its due date) on both."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet

from . import projects_flow as flow
from .models import Project, ProjectStatus, ProviderKind
from .models_projects import Demand, DemandStatus, ProjectMilestone, Resource, ResourceStatus, Urgency, unclaimed

ID = {"min_value": 1, "max_value": 2**31 - 1, "decimal_places": 0}


class DemandFilterSet(FilterSet):
    title = django_filters.CharFilter(label=_("需求事项"), lookup_expr="contains")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=DemandStatus.choices)
    urgency = django_filters.ChoiceFilter(label=_("紧急程度"), choices=Urgency.choices)
    unclaimed = django_filters.BooleanFilter(label=_("超期未认领"), method="filter_unclaimed")

    class Meta:
        model = Demand
        fields = ["title", "status", "urgency", "unclaimed"]

    def filter_unclaimed(self, queryset, name, value):
        if value is None:
            return queryset
        late = unclaimed(queryset)
        return late if value else queryset.exclude(pk__in=late.values("pk"))


class ResourceFilterSet(FilterSet):
    title = django_filters.CharFilter(label=_("资源名称"), lookup_expr="contains")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ResourceStatus.choices)
    provider_kind = django_filters.ChoiceFilter(label=_("提供方类型"), choices=ProviderKind.choices)

    class Meta:
        model = Resource
        fields = ["title", "status", "provider_kind"]


class ProjectFilterSet(FilterSet):
    title = django_filters.CharFilter(label=_("项目名称"), lookup_expr="contains")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ProjectStatus.choices)
    late = django_filters.BooleanFilter(label=_("已逾期"), method="filter_late")
    demand = django_filters.NumberFilter(label=_("需求编号"), **ID)
    resource = django_filters.NumberFilter(label=_("资源编号"), **ID)

    class Meta:
        model = Project
        fields = ["title", "status", "late", "demand", "resource"]

    def filter_late(self, queryset, name, value):
        if value is None:
            return queryset
        late = flow.late(queryset)
        return late if value else queryset.exclude(pk__in=late.values("pk"))


class ProjectMilestoneFilterSet(FilterSet):
    project = django_filters.NumberFilter(label=_("项目编号"), **ID)
    title = django_filters.CharFilter(label=_("节点"), lookup_expr="contains")

    class Meta:
        model = ProjectMilestone
        fields = ["project", "title"]
