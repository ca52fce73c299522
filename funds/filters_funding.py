"""经费's filtersets: the same words on the pages and in the API (`within` comes from the kit)."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet

from .models_funding import Allocation, Expenditure, ExpenditureStatus, FundNotice, FundSource, FundType, NoticeStatus

YEAR = {"min_value": 2000, "max_value": 2100}


class AllocationFilterSet(FilterSet):
    year = django_filters.NumberFilter(label=_("年度"), **YEAR)
    fund_type = django_filters.ChoiceFilter(label=_("经费类型"), choices=FundType.choices)
    source = django_filters.ChoiceFilter(label=_("来源"), choices=FundSource.choices)

    class Meta:
        model = Allocation
        fields = ["within", "year", "fund_type", "source"]


class ExpenditureFilterSet(FilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ExpenditureStatus.choices)
    fund_type = django_filters.ChoiceFilter(
        label=_("经费类型"), choices=FundType.choices, field_name="allocation__fund_type"
    )
    year = django_filters.NumberFilter(label=_("年度"), field_name="allocation__year", **YEAR)
    purpose = django_filters.CharFilter(label=_("用途"), lookup_expr="contains")

    class Meta:
        model = Expenditure
        fields = ["within", "status", "fund_type", "year", "purpose"]


class FundNoticeFilterSet(FilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=NoticeStatus.choices)
    year = django_filters.NumberFilter(label=_("年度"), **YEAR)
    this_quarter = django_filters.BooleanFilter(label=_("本季度已公示"), method="filter_this_quarter")

    class Meta:
        model = FundNotice
        fields = ["within", "status", "year", "this_quarter"]

    def filter_this_quarter(self, queryset, name, value):
        if value is None:
            return queryset
        from core.calendar import Quarter

        quarter = Quarter.of(timezone.localdate())
        published = Q(status=NoticeStatus.PUBLISHED, published_at__date__range=(quarter.start, quarter.end))
        return queryset.filter(published if value else ~published)
