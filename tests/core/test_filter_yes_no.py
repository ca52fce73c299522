"""A yes/no filter's unset choice reads 全部 (all records), not Django's 未知, and its choices 是/否
filter as they say."""

import django_filters
import pytest

from core.filters import FilterSet
from orgs.models import Area


class AreaFilters(FilterSet):
    leaf = django_filters.BooleanFilter(label="末级", method="filter_leaf")

    class Meta:
        model = Area
        fields = ()

    def filter_leaf(self, queryset, name, value):
        return queryset.filter(children__isnull=value).distinct()


@pytest.mark.django_db
def test_a_yes_no_filter_offers_all_yes_and_no(areas):
    html = str(AreaFilters(data={}, queryset=Area.objects.all()).form["leaf"])
    assert '<option value="unknown" selected>全部</option>' in html
    assert ">是</option>" in html and ">否</option>" in html and "未知" not in html

    every = Area.objects.count()
    leaves = AreaFilters(data={"leaf": "true"}, queryset=Area.objects.all()).qs.count()
    inner = AreaFilters(data={"leaf": "false"}, queryset=Area.objects.all()).qs.count()
    assert AreaFilters(data={"leaf": "unknown"}, queryset=Area.objects.all()).qs.count() == every
    assert 0 < leaves < every and leaves + inner == every
