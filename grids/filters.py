import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet

from .choices import Post
from .models import HeadAssignment, party_holder


class HeadAssignmentFilterSet(FilterSet):
    q = django_filters.CharFilter(label=_("姓名或区划"), method="search")
    post = django_filters.ChoiceFilter(label=_("职务"), choices=Post.choices, empty_label=_("全部职务"))
    party = django_filters.ChoiceFilter(
        label=_("政治面貌"),
        choices=[("yes", _("党员")), ("no", _("非党员"))],
        method="filter_party",
        empty_label=_("全部"),
    )
    state = django_filters.ChoiceFilter(
        label=_("任职状态"),
        choices=[("current", _("现任")), ("ended", _("已离任")), ("all", _("全部"))],
        method="filter_state",
        empty_label=None,
    )

    class Meta:
        model = HeadAssignment
        fields = ["q", "within", "post", "party", "state"]  # within: every scoped list's (core.filters)

    # A post shows its holder as typed (given_*) when the person's record is kept by another
    # office: search and filter what the post shows, never the hidden record.
    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(given_name="", person__name__contains=value)
            | Q(given_name__contains=value)
            | Q(area__name__contains=value)
        )

    def filter_party(self, queryset, name, value):
        condition = party_holder()
        return queryset.filter(condition) if value == "yes" else queryset.exclude(condition)

    def filter_state(self, queryset, name, value):
        if value == "current":
            return queryset.filter(end_date__isnull=True)
        if value == "ended":
            return queryset.filter(end_date__isnull=False)
        return queryset
