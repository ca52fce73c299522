"""The evaluation's filtersets: the same words on the pages and in the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet

from .models_evaluation import (
    CaseKind,
    CaseStatus,
    CompanyCase,
    EvaluationScheme,
    EvaluationStatus,
    Grade,
    Inspection,
    PropertyEvaluation,
    ScorerKind,
    ScoreSheet,
)

ID = {"min_value": 1, "max_value": 2**31 - 1, "decimal_places": 0}
YEAR = {"min_value": 2000, "max_value": 2100, "decimal_places": 0}


class PropertyEvaluationFilterSet(FilterSet):
    year = django_filters.NumberFilter(label=_("年度"), **YEAR)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=EvaluationStatus.choices)
    grade = django_filters.ChoiceFilter(label=_("等级"), choices=Grade.choices)
    company = django_filters.NumberFilter(label=_("物业企业编号"), field_name="company_id", **ID)
    q = django_filters.CharFilter(label=_("小区或企业名称"), method="search")

    class Meta:
        model = PropertyEvaluation
        fields = ["year", "status", "grade", "company", "q"]

    def search(self, queryset, name, value):
        from django.db.models import Q

        value = value.strip()
        return queryset.filter(Q(compound__name__contains=value) | Q(company__name__contains=value))


class ScoreSheetFilterSet(FilterSet):
    evaluation = django_filters.NumberFilter(label=_("评价编号"), field_name="evaluation_id", **ID)
    kind = django_filters.ChoiceFilter(label=_("评分主体"), choices=ScorerKind.choices)

    class Meta:
        model = ScoreSheet
        fields = ["evaluation", "kind"]


class EvaluationSchemeFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("年度"), **YEAR)

    class Meta:
        model = EvaluationScheme
        fields = ["year"]


class RankingFilterSet(FilterSet):
    """The ranking's year is read by the view (it decides what is averaged); these narrow its rows."""

    year = django_filters.NumberFilter(label=_("年度"), method="keep", **YEAR)
    grade = django_filters.ChoiceFilter(label=_("信用等级"), choices=Grade.choices)
    name = django_filters.CharFilter(label=_("企业名称"), lookup_expr="contains")

    def keep(self, queryset, name, value):
        return queryset


class CompanyCaseFilterSet(FilterSet):
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=CaseKind.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=CaseStatus.choices)
    company = django_filters.NumberFilter(label=_("物业企业编号"), field_name="company_id", **ID)

    class Meta:
        model = CompanyCase
        fields = ["kind", "status", "company"]


class InspectionFilterSet(FilterSet):
    company = django_filters.NumberFilter(label=_("物业企业编号"), field_name="company_id", **ID)
    published = django_filters.BooleanFilter(
        label=_("已公开"), field_name="published_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Inspection
        fields = ["company", "published"]
