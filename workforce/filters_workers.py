"""社区工作者's filtersets: the same words on the pages and in the API (`within` comes from the kit)."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet

from .models_workers import (
    Certificate,
    CertificateLevel,
    ChangeKind,
    Rating,
    TrainingRecord,
    Worker,
    WorkerChange,
    WorkerPost,
    WorkerRating,
)

YEAR = {"min_value": 2000, "max_value": 2100}


class WorkerFilterSet(FilterSet):
    name = django_filters.CharFilter(label=_("姓名"), lookup_expr="contains")
    post = django_filters.ChoiceFilter(label=_("岗位"), choices=WorkerPost.choices)
    grade = django_filters.NumberFilter(label=_("等级"), min_value=1, max_value=18)
    current = django_filters.BooleanFilter(label=_("在职"), method="filter_current")
    part_time = django_filters.BooleanFilter(label=_("兼职"))
    certified = django_filters.BooleanFilter(label=_("持有社工证"), method="filter_certified")

    class Meta:
        model = Worker
        fields = ["within", "name", "post", "grade", "current", "part_time", "certified"]

    def filter_current(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        current = Q(left_on__isnull=True) | Q(left_on__gt=today)
        return queryset.filter(current if value else ~current)

    def filter_certified(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        valid = Certificate.objects.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today)).values("worker_id")
        return queryset.filter(pk__in=valid) if value else queryset.exclude(pk__in=valid)


class WorkerChangeFilterSet(FilterSet):
    kind = django_filters.ChoiceFilter(label=_("变动类型"), choices=ChangeKind.choices)
    post = django_filters.ChoiceFilter(label=_("新岗位"), choices=WorkerPost.choices)
    year = django_filters.NumberFilter(label=_("年度"), field_name="changed_on__year", **YEAR)
    worker = django_filters.NumberFilter(label=_("社区工作者编号"), field_name="worker_id", min_value=1)

    class Meta:
        model = WorkerChange
        fields = ["within", "kind", "post", "year", "worker"]


class TrainingRecordFilterSet(FilterSet):
    year = django_filters.NumberFilter(label=_("年度"), field_name="trained_on__year", **YEAR)
    subject = django_filters.CharFilter(label=_("培训内容"), lookup_expr="contains")
    worker = django_filters.NumberFilter(label=_("社区工作者编号"), field_name="worker_id", min_value=1)

    class Meta:
        model = TrainingRecord
        fields = ["within", "year", "subject", "worker"]


class CertificateFilterSet(FilterSet):
    level = django_filters.ChoiceFilter(label=_("证书等级"), choices=CertificateLevel.choices)
    expiring = django_filters.BooleanFilter(label=_("90天内到期"), method="filter_expiring")
    worker = django_filters.NumberFilter(label=_("社区工作者编号"), field_name="worker_id", min_value=1)

    class Meta:
        model = Certificate
        fields = ["within", "level", "expiring", "worker"]

    def filter_expiring(self, queryset, name, value):
        if value is None:
            return queryset
        import datetime

        today = timezone.localdate()
        soon = Q(expires_on__range=(today, today + datetime.timedelta(days=90)))
        return queryset.filter(soon if value else ~soon)


class WorkerRatingFilterSet(FilterSet):
    year = django_filters.NumberFilter(label=_("年度"), **YEAR)
    rating = django_filters.ChoiceFilter(label=_("评定等次"), choices=Rating.choices)
    worker = django_filters.NumberFilter(label=_("社区工作者编号"), field_name="worker_id", min_value=1)

    class Meta:
        model = WorkerRating
        fields = ["within", "year", "rating", "worker"]
