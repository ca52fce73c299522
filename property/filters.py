"""One filterset per list: the same words on the page and in the API (区划代码（含下级） from the kit)."""

import datetime

import django_filters
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet
from orgs.scoping import within

from .choices import LedgerStatus, ManagementMode
from .models import Checklist, CommitteeMember, Compound, Consultation, LedgerEntry, OwnersCommittee, PropertyCompany

# A record's id in a filter: within PostgreSQL's integer, so that a huge number is a 400, not a 500.
ID = {"min_value": 1, "max_value": 2**31 - 1, "decimal_places": 0}


class PropertyCompanyFilterSet(FilterSet):
    q = django_filters.CharFilter(label=_("企业名称或信用代码"), method="search")
    within = django_filters.CharFilter(label=_("服务区划代码（含下级）"), method="serving")

    class Meta:
        model = PropertyCompany
        fields = ["q", "within"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__contains=value) | Q(credit_code__startswith=value.upper()))

    def serving(self, queryset, name, value):
        """The companies serving a compound of the area's subtree."""
        compounds = Compound.objects.filter(within("community__code", value.strip())).values("company_id")
        return queryset.filter(pk__in=compounds)


class CompoundFilterSet(FilterSet):
    name = django_filters.CharFilter(label=_("小区名称"), lookup_expr="contains")
    mode = django_filters.ChoiceFilter(label=_("管理模式"), choices=ManagementMode.choices)
    company = django_filters.NumberFilter(label=_("物业企业编号"), field_name="company", **ID)

    class Meta:
        model = Compound
        fields = ["name", "mode", "company", "within"]


class ChecklistFilterSet(FilterSet):
    quarter = django_filters.CharFilter(label=_("季度"))
    compound = django_filters.NumberFilter(label=_("小区编号"), field_name="compound", **ID)

    class Meta:
        model = Checklist
        fields = ["quarter", "compound", "within"]


class OwnersCommitteeFilterSet(FilterSet):
    expiring = django_filters.BooleanFilter(label=_("90天内届满或已届满"), method="expiring_soon")
    minority = django_filters.BooleanFilter(label=_("党员未过半"), method="party_minority")
    compound = django_filters.NumberFilter(label=_("小区编号"), field_name="compound", **ID)

    class Meta:
        model = OwnersCommittee
        fields = ["expiring", "minority", "compound", "within"]

    def party_minority(self, queryset, name, value):
        """Party members not a majority (Jilin's rule, seed 003), counted per committee."""
        members = Count("members")
        party = Count("members", filter=Q(members__is_party_member=True))
        counted = queryset.alias(members_n=members, party_n=party)
        minority = Q(members_n__gte=F("party_n") * 2)
        return counted.filter(minority) if value else counted.exclude(minority)

    def expiring_soon(self, queryset, name, value):
        soon = timezone.localdate() + datetime.timedelta(days=90)
        return queryset.filter(term_end__lte=soon) if value else queryset.filter(term_end__gt=soon)


class CommitteeMemberFilterSet(FilterSet):
    committee = django_filters.NumberFilter(label=_("业委会编号"), field_name="committee", **ID)
    is_party_member = django_filters.BooleanFilter(label=_("党员"))

    class Meta:
        model = CommitteeMember
        fields = ["committee", "is_party_member", "within"]


class ConsultationFilterSet(FilterSet):
    topic = django_filters.CharFilter(label=_("议题"), lookup_expr="contains")
    compound = django_filters.NumberFilter(label=_("小区编号"), field_name="compound", **ID)

    class Meta:
        model = Consultation
        fields = ["topic", "compound", "within"]


class LedgerEntryFilterSet(FilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=LedgerStatus.choices)
    overdue = django_filters.BooleanFilter(label=_("已逾期"), method="past_deadline")
    compound = django_filters.NumberFilter(label=_("小区编号"), field_name="compound", **ID)

    class Meta:
        model = LedgerEntry
        fields = ["status", "overdue", "compound", "within"]

    def past_deadline(self, queryset, name, value):
        late = Q(status=LedgerStatus.OPEN, deadline__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)
