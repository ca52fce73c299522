"""The two committees' and the mentoring's filtersets: the same words on the pages and in the API
(`within` comes from the kit). 换届到期 and 现任 are the derived rules of workforce/committees.py; the
members' 交叉任职 and 一肩挑 filter on the annotations the pages' queryset carries (with_flags)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet
from party.choices import Education

from . import committees
from .models_committees import Committee, CommitteeMember, CommitteeTerm, MentorPair, MentorStudio, Post, StudioSession


def current_filter(field="pk"):
    def narrow(self, queryset, name, value):
        if value is None:
            return queryset
        current = committees.current_terms().values("pk")
        condition = {f"{field}__in": current}
        return queryset.filter(**condition) if value else queryset.exclude(**condition)

    return narrow


class CommitteeTermFilterSet(FilterSet):
    committee = django_filters.ChoiceFilter(label=_("班子"), choices=Committee.choices)
    number = django_filters.NumberFilter(label=_("届次号"), min_value=1, max_value=99)
    current = django_filters.BooleanFilter(label=_("现任"), method="filter_current")
    due = django_filters.BooleanFilter(label=_("换届到期（六个月内或已逾期）"), method="filter_due")

    filter_current = current_filter()

    class Meta:
        model = CommitteeTerm
        fields = ["within", "committee", "number", "current", "due"]

    def filter_due(self, queryset, name, value):
        if value is None:
            return queryset
        due = committees.current_terms().filter(ends_on__lte=committees.due_by()).values("pk")
        return queryset.filter(pk__in=due) if value else queryset.exclude(pk__in=due)


class CommitteeMemberFilterSet(FilterSet):
    committee = django_filters.ChoiceFilter(label=_("班子"), choices=Committee.choices, field_name="term__committee")
    post = django_filters.ChoiceFilter(label=_("职务"), choices=Post.choices)
    education = django_filters.ChoiceFilter(label=_("学历"), choices=Education.choices)
    name = django_filters.CharFilter(label=_("姓名"), lookup_expr="contains")
    current = django_filters.BooleanFilter(label=_("现任班子"), method="filter_current")
    crossing = django_filters.BooleanFilter(label=_("交叉任职"), method="filter_crossing")
    one_shoulder = django_filters.BooleanFilter(label=_("一肩挑"), method="filter_one_shoulder")

    filter_current = current_filter("term")

    class Meta:
        model = CommitteeMember
        fields = ["within", "committee", "post", "education", "name", "current", "crossing", "one_shoulder"]

    def filter_crossing(self, queryset, name, value):
        return queryset if value is None else queryset.filter(crossing=value)

    def filter_one_shoulder(self, queryset, name, value):
        return queryset if value is None else queryset.filter(one_shoulder=value)


class MentorStudioFilterSet(FilterSet):
    name = django_filters.CharFilter(label=_("工作室名称"), lookup_expr="contains")

    class Meta:
        model = MentorStudio
        fields = ["within", "name"]


class StudioSessionFilterSet(FilterSet):
    studio = django_filters.NumberFilter(label=_("工作室编号"), min_value=1, max_value=2**31 - 1)
    year = django_filters.NumberFilter(label=_("年度"), field_name="held_on__year", min_value=2000, max_value=2100)

    class Meta:
        model = StudioSession
        fields = ["within", "studio", "year"]


class MentorPairFilterSet(FilterSet):
    mentor_name = django_filters.CharFilter(label=_("导师姓名"), lookup_expr="contains")
    mentee_name = django_filters.CharFilter(label=_("被带教人姓名"), lookup_expr="contains")

    class Meta:
        model = MentorPair
        fields = ["within", "mentor_name", "mentee_name"]
