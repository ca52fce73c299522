"""The assessment's read API, declared on the kit's ScopedViewSet: indicator sets and periods (the
whole city's), and values and scores of the areas in the caller's scope only."""

from rest_framework import serializers

from core.api import ScopedViewSet

from .models import Indicator, Period, Score, Value

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


ROUTES = (
    ("indicators", IndicatorViewSet, "indicator"),
    ("periods", PeriodViewSet, "period"),
    ("scores", ScoreViewSet, "score"),
    ("values", ValueViewSet, "value"),
)
