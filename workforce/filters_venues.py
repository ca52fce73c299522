"""党群服务阵地's and 示范点's filtersets: the same words on the pages and in the API (`within` comes
from the kit). 示范点 on the venues' list keeps the venues named a demonstration site."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet

from .models_venues import DemonstrationSite, SiteKind, SiteLevel, Venue, VenueLevel


class VenueFilterSet(FilterSet):
    level = django_filters.ChoiceFilter(label=_("阵地层级"), choices=VenueLevel.choices)
    compliant = django_filters.BooleanFilter(label=_("规范化达标"))
    name = django_filters.CharFilter(label=_("名称"), lookup_expr="contains")
    demonstration = django_filters.BooleanFilter(label=_("示范点"), method="filter_demonstration")

    class Meta:
        model = Venue
        fields = ["within", "level", "compliant", "demonstration", "name"]

    def filter_demonstration(self, queryset, name, value):
        if value is None:
            return queryset
        named = Exists(DemonstrationSite.objects.filter(venue=OuterRef("pk")))
        return queryset.filter(named if value else ~named)


class DemonstrationSiteFilterSet(FilterSet):
    level = django_filters.ChoiceFilter(label=_("示范级别"), choices=SiteLevel.choices)
    kind = django_filters.ChoiceFilter(label=_("示范对象"), choices=SiteKind.choices)
    year = django_filters.NumberFilter(label=_("命名年度"), min_value=2000, max_value=2100)
    theme = django_filters.CharFilter(label=_("示范主题"), lookup_expr="contains")

    class Meta:
        model = DemonstrationSite
        fields = ["within", "level", "kind", "year", "theme"]
