"""The assessment's read API, declared on the kit's ScopedViewSet: indicator sets and periods (the
whole city's), and values and scores of the areas in the caller's scope only."""

import django_filters
from django.urls import reverse
from rest_framework import serializers

from core.api import ScopedViewSet, TransitionSerializer, TransitionViewSet
from core.transitions import Subject
from orgs.models import Area

from .approvals import APPROVAL
from .models import Approval, AreaFigure, Entry, Evidence, Indicator, Period, Score, Value

READ_ONLY = ["get", "head", "options"]


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "id",
            "indicator_set",
            "parent",
            "name",
            "order",
            "weight",
            "levels",
            "source",
            "rule",
            "floor",
            "target",
            "thresholds",
        ]


class IndicatorViewSet(ScopedViewSet):
    """指标: the tree of every indicator set."""

    queryset = Indicator.objects.order_by("indicator_set", "parent_id", "order", "pk")
    serializer_class = IndicatorSerializer
    http_method_names = READ_ONLY


class PeriodSerializer(serializers.ModelSerializer):
    indicator_set = serializers.SlugRelatedField(slug_field="name", read_only=True)

    class Meta:
        model = Period
        fields = ["id", "kind", "start", "end", "status", "indicator_set"]


class PeriodViewSet(ScopedViewSet):
    """考核周期."""

    queryset = Period.objects.select_related("indicator_set").order_by("-start", "kind")
    serializer_class = PeriodSerializer
    http_method_names = READ_ONLY


class ScoreSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = Score
        fields = ["id", "period", "area", "name", "points", "rank", "siblings", "last_place"]


class ScoreViewSet(ScopedViewSet):
    """得分与排名 of the areas in the caller's scope; `?period=` narrows to one period."""

    queryset = Score.objects.select_related("area").order_by("period", "area__code")
    serializer_class = ScoreSerializer
    filterset_fields = ["period"]
    http_method_names = READ_ONLY


class ValueSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    indicator = serializers.CharField(source="indicator.name", read_only=True)

    class Meta:
        model = Value
        fields = ["id", "period", "area", "indicator", "numerator", "denominator", "value", "points"]


class ValueViewSet(ScopedViewSet):
    """指标值: each leaf's numerator, denominator, value and points, for the areas in the caller's scope."""

    queryset = Value.objects.select_related("area", "indicator").order_by("period", "area__code", "indicator")
    serializer_class = ValueSerializer
    filterset_fields = ["period"]
    http_method_names = READ_ONLY


class EvidenceSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["name", "size", "url"]

    def get_url(self, evidence) -> str:
        """Where the file is downloaded: the scoped page, never a public media URL."""
        return self.context["request"].build_absolute_uri(reverse("assessment:evidence", args=[evidence.pk]))


class EntrySerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    indicator = serializers.CharField(source="indicator.name", read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Entry
        fields = ["id", "period", "area", "indicator", "numerator", "denominator", "note", "entered_at", "evidence"]


class EntryViewSet(ScopedViewSet):
    """录入值: the manual indicators entered by the areas in the caller's scope, with their evidence
    (downloaded through the scoped page). Entered and submitted on the pages, where the approval's
    locks are kept."""

    queryset = (
        Entry.objects.select_related("area", "indicator")
        .prefetch_related("evidence")
        .order_by("period", "area__code", "indicator")
    )
    serializer_class = EntrySerializer
    filterset_fields = ["period"]
    http_method_names = READ_ONLY


class ApprovalSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Approval
        fields = ["id", "period", "area", "status", "reason", "at"]


class ApprovalViewSet(ScopedViewSet):
    """上报与验收: where each area in the caller's scope stands in a period."""

    queryset = Approval.objects.select_related("area").order_by("period", "area__code")
    serializer_class = ApprovalSerializer
    filterset_fields = ["period", "status"]
    http_method_names = READ_ONLY


class ApprovalStepSerializer(TransitionSerializer):
    period = serializers.IntegerField(label="考核周期", min_value=1, max_value=2**31 - 1)
    area = serializers.RegexField(r"^[0-9]{1,32}$", label="区划代码", max_length=32)


class ApprovalStepViewSet(TransitionViewSet):
    """上报与验收操作: 上报 (the area's own values), 验收 (a street's, by the district) and 退回 (with
    the reason) of an area's approval in a period, as on the entry pages: the same checks, locks
    and refusals, one history row each."""

    machine = APPROVAL
    queryset = Approval.objects.none()
    serializer_class = ApprovalSerializer
    request_serializer = ApprovalStepSerializer

    def subject(self, data):
        from django.shortcuts import get_object_or_404

        period = get_object_or_404(Period, pk=data["period"])
        area = get_object_or_404(Area.objects.scoped(self.request.user, "view"), code=data["area"])
        return Subject({"period": period, "area": area}, area, area.name, words={"period": period.label})


class FigureSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = AreaFigure
        fields = ["id", "period", "area", "key", "numerator", "denominator"]


class FigureFilterSet(django_filters.FilterSet):
    area = django_filters.CharFilter(label="区划代码", field_name="area__code")

    class Meta:
        model = AreaFigure
        fields = ["period", "key", "area"]


class FigureViewSet(ScopedViewSet):
    """概况数字: the dashboards' headline figures (organisations, members, grids, coverage, in-service
    members) of each area in the caller's scope, as stored by the period's rollup; `?period=`,
    `?area=<code>` and `?key=` narrow them."""

    queryset = AreaFigure.objects.select_related("area").order_by("period", "area__code", "key")
    serializer_class = FigureSerializer
    filterset_class = FigureFilterSet
    http_method_names = READ_ONLY


ROUTES = (
    ("indicators", IndicatorViewSet, "indicator"),
    ("periods", PeriodViewSet, "period"),
    ("scores", ScoreViewSet, "score"),
    ("values", ValueViewSet, "value"),
    ("entries", EntryViewSet, "entry"),
    ("approvals", ApprovalViewSet, "approval"),
    ("approval-steps", ApprovalStepViewSet, "approvalstep"),
    ("figures", FigureViewSet, "figure"),
)
