"""The filters of the party lists: the same words on the page and in the API. 区划代码（含下级）
(`within`) is the kit's (core.filters), by each model's scope_path or declared within_paths."""

import django_filters
from django.db.models import Exists, OuterRef, Q

from core.filters import FilterSet
from orgs.scoping import within

from .choices import MeetingKind, MemberStatus, OrgKind, ServiceTeam, UnitKind
from .models import (
    InServiceMember,
    Meeting,
    PartyMember,
    PartyOrganisation,
    ReportingUnit,
    ServiceRecord,
    UnitRegistration,
)

YES_NO = (("yes", "是"), ("no", "否"))


class PartyOrganisationFilterSet(FilterSet):
    q = django_filters.CharFilter(label="名称", field_name="name", lookup_expr="contains")
    kind = django_filters.ChoiceFilter(label="类型", choices=OrgKind.choices)

    class Meta:
        model = PartyOrganisation
        fields = ["q", "kind", "within"]


class PartyMemberFilterSet(FilterSet):
    q = django_filters.CharFilter(label="姓名", field_name="name", lookup_expr="contains")
    organisation = django_filters.CharFilter(label="党组织", field_name="organisation__name", lookup_expr="contains")
    status = django_filters.ChoiceFilter(label="党员类别", choices=MemberStatus.choices)
    flowing = django_filters.ChoiceFilter(label="流动党员", choices=YES_NO, method="filter_yes_no")
    central = django_filters.ChoiceFilter(label="党员中心户", choices=YES_NO, method="filter_yes_no")

    class Meta:
        model = PartyMember
        fields = ["q", "organisation", "status", "flowing", "central", "within"]

    def filter_yes_no(self, queryset, name, value):
        field = {"flowing": "is_flowing", "central": "is_central_household"}[name]
        return queryset.filter(**{field: value == "yes"})


class MeetingFilterSet(FilterSet):
    organisation = django_filters.CharFilter(label="党组织", field_name="organisation__name", lookup_expr="contains")
    kind = django_filters.ChoiceFilter(label="类型", choices=MeetingKind.choices)
    since = django_filters.DateFilter(label="起始日期", field_name="held_on", lookup_expr="gte")
    until = django_filters.DateFilter(label="截止日期", field_name="held_on", lookup_expr="lte")

    class Meta:
        model = Meeting
        fields = ["organisation", "kind", "since", "until", "within"]


class ReportingUnitFilterSet(FilterSet):
    q = django_filters.CharFilter(label="单位名称", field_name="name", lookup_expr="contains")
    kind = django_filters.ChoiceFilter(label="单位类型", choices=UnitKind.choices)
    community = django_filters.CharFilter(label="报到社区代码", method="filter_community")

    class Meta:
        model = ReportingUnit
        fields = ["q", "kind", "community"]

    def filter_community(self, queryset, name, value):
        return queryset.filter(within("communities__code", value.strip())).distinct()


class UnitRegistrationFilterSet(FilterSet):
    unit = django_filters.CharFilter(label="报到单位", field_name="unit__name", lookup_expr="contains")

    class Meta:
        model = UnitRegistration
        fields = ["unit", "within"]


class InServiceMemberFilterSet(FilterSet):
    q = django_filters.CharFilter(label="姓名", field_name="name", lookup_expr="contains")
    unit = django_filters.CharFilter(label="所在单位", field_name="unit__name", lookup_expr="contains")
    team = django_filters.ChoiceFilter(label="志愿服务队", choices=ServiceTeam.choices)
    # "yes": nothing logged this quarter (the home's list); "unconfirmed": no service the community
    # confirmed, as the in-service rate counts them (its gap link).
    idle = django_filters.ChoiceFilter(
        label="本季度无服务",
        choices=(("yes", "无服务记录"), ("unconfirmed", "无社区确认的服务")),
        method="filter_idle",
        empty_label="全部",
    )

    class Meta:
        model = InServiceMember
        fields = ["q", "unit", "team", "idle", "within"]

    def filter_idle(self, queryset, name, value):
        from core.calendar import Quarter

        if value == "yes":
            return queryset.exclude(services__served_on__gte=Quarter.current().start)
        if value == "unconfirmed":
            confirmed = ServiceRecord.objects.filter(
                member=OuterRef("pk"), served_on__gte=Quarter.current().start, confirmed_at__isnull=False
            )
            return queryset.filter(~Exists(confirmed))
        return queryset


class ServiceRecordFilterSet(FilterSet):
    member = django_filters.CharFilter(label="在职党员", field_name="member__name", lookup_expr="contains")
    confirmed = django_filters.ChoiceFilter(label="社区已确认", choices=YES_NO, method="filter_confirmed")
    since = django_filters.DateFilter(label="起始日期", field_name="served_on", lookup_expr="gte")

    class Meta:
        model = ServiceRecord
        fields = ["member", "confirmed", "since"]

    def filter_confirmed(self, queryset, name, value):
        return queryset.filter(Q(confirmed_at__isnull=value != "yes"))
