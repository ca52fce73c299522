"""The evaluation's API on the kit's ScopedViewSet (core/api.py): evaluations, score sheets (the same
rules as the page: one a scorer, scores within range, hidden until all three are in), the declared
steps (/api/evaluation-steps/<step>/), complaints and mediations, and the 双随机 inspections."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from core.api import (
    DeclaredSerializer,
    ScopedPrimaryKeyField,
    ScopedViewSet,
    TransitionSerializer,
    TransitionViewSet,
    as_api_error,
)
from core.transitions import Subject
from orgs.models import Department
from orgs.scoping import Action, can_anywhere

from . import evaluation as rules
from . import filters_evaluation as filters
from . import inspections
from .models import Compound, PropertyCompany
from .models_evaluation import CompanyCase, Inspection, PropertyEvaluation, ScorerKind, ScoreSheet
from .permissions import KEEP_COMPANY, housing_departments
from .permissions_evaluation import SCORE, SUPERVISE
from .views_evaluation import CompanyCasePages, InspectionPages, PropertyEvaluationPages


class PropertyEvaluationSerializer(DeclaredSerializer):
    """An evaluation; its scheme is the year's, its total and grade computed once all three sheets are in."""

    compound = ScopedPrimaryKeyField(queryset=Compound.objects.all(), action=SCORE)
    company = ScopedPrimaryKeyField(queryset=PropertyCompany.objects.all())
    sheet_count = serializers.SerializerMethodField(help_text="已提交的评分表数（共 3 份）")

    class Meta:
        model = PropertyEvaluation
        fields = ["id", "company", "compound", "year", "scheme", "total", "grade", "status", "reason", "sheet_count"]
        read_only_fields = ["scheme", "total", "grade", "status", "reason"]

    def get_sheet_count(self, evaluation) -> int:
        count = getattr(evaluation, "sheet_count", None)
        return evaluation.sheets.count() if count is None else count

    def validate(self, attrs):
        year = attrs.get("year") or getattr(self.instance, "year", None)
        if year:
            scheme = rules.scheme_for(year)
            if scheme is None:
                raise serializers.ValidationError({"year": [f"没有{year}年适用的评价方案，请先由住建部门设置。"]})
            attrs["scheme"] = scheme
        return super().validate(attrs)


class PropertyEvaluationViewSet(ScopedViewSet):
    """物业服务质量评价."""

    queryset = PropertyEvaluationPages.queryset.order_by("-year", "compound__community__code", "compound__name")
    serializer_class = PropertyEvaluationSerializer
    filterset_class = filters.PropertyEvaluationFilterSet
    write_action = SCORE


class ScoreSheetSerializer(serializers.ModelSerializer):
    """A scorer's sheet: {项目名称或编号: 得分} for every item of the evaluation's scheme."""

    evaluation = ScopedPrimaryKeyField(queryset=PropertyEvaluation.objects.all(), action=SCORE)
    kind = serializers.ChoiceField(choices=ScorerKind.choices, label="评分主体")
    scores = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        help_text="各评价项目的得分：键为项目名称（或编号），值在 0 至该项满分之间",
        write_only=True,
    )
    item_scores = serializers.SerializerMethodField(help_text="各评价项目的得分：项目名称 → 得分")

    class Meta:
        model = ScoreSheet
        fields = ["id", "evaluation", "kind", "scorer", "scores", "item_scores", "total", "entered_at"]
        read_only_fields = ["total", "entered_at"]

    def get_item_scores(self, sheet) -> dict[str, str]:
        return {row.item.name: str(row.score) for row in sheet.scores.select_related("item")}

    def create(self, validated):
        try:
            return rules.enter_sheet(
                validated["evaluation"],
                validated["kind"],
                validated["scores"],
                self.context["request"].user,
                scorer=validated.get("scorer", ""),
            )
        except DjangoValidationError as error:
            raise as_api_error(error) from None


class ScoreSheetViewSet(ScopedViewSet):
    """评分表: a scorer sees only its own sheet until all three of the evaluation are in."""

    queryset = ScoreSheet.objects.select_related("evaluation").order_by("evaluation", "kind")
    serializer_class = ScoreSheetSerializer
    filterset_class = filters.ScoreSheetFilterSet
    write_action = SCORE

    def get_queryset(self):
        return rules.visible_sheets(super().get_queryset(), self.request.user)

    def update(self, request, *args, **kwargs):
        self.get_object()  # 404 out of scope
        raise serializers.ValidationError("评分表提交后不能修改；评分中的评价可删除该表后重新录入。")

    def delete_object(self, instance):
        rules.delete_sheet(instance)


class EvaluationStepSerializer(TransitionSerializer):
    evaluation = serializers.IntegerField(label="评价编号", min_value=1, max_value=2**31 - 1)


class EvaluationStepViewSet(TransitionViewSet):
    """评价的上报、街道审核与退回、住建确认与退回: the declared steps, as on the evaluation's page."""

    machine = rules.EVALUATION
    queryset = PropertyEvaluation.objects.none()
    serializer_class = PropertyEvaluationSerializer
    request_serializer = EvaluationStepSerializer

    def subject(self, data):
        evaluation = get_object_or_404(
            PropertyEvaluation.objects.scoped(self.request.user, Action.VIEW), pk=data["evaluation"]
        )
        return Subject({"pk": evaluation.pk}, evaluation, str(evaluation), back=evaluation.get_absolute_url())


class CompanyCaseSerializer(DeclaredSerializer):
    company = ScopedPrimaryKeyField(queryset=PropertyCompany.objects.all(), action=KEEP_COMPANY)
    compound = serializers.PrimaryKeyRelatedField(
        queryset=Compound.objects.all(), required=False, allow_null=True, label="小区"
    )

    class Meta:
        model = CompanyCase
        fields = ["id", "company", "compound", "kind", "mediator", "received_on", "summary", "result", "status"]


class CompanyCaseViewSet(ScopedViewSet):
    """投诉与纠纷调解."""

    queryset = CompanyCasePages.queryset.order_by("-received_on", "-pk")
    serializer_class = CompanyCaseSerializer
    filterset_class = filters.CompanyCaseFilterSet
    write_action = SUPERVISE


class InspectionSerializer(DeclaredSerializer):
    inspector_name = serializers.SerializerMethodField(help_text="检查人员")

    class Meta:
        model = Inspection
        fields = [
            "id",
            "department",
            "company",
            "inspector",
            "inspector_name",
            "seed",
            "drawn_at",
            "company_pool",
            "inspector_pool",
            "inspected_on",
            "conclusion",
            "result",
            "published_at",
        ]
        read_only_fields = ["department", "company", "inspector", "seed", "drawn_at", "published_at"]

    def get_inspector_name(self, inspection) -> str:
        return inspection.inspector.get_full_name() or inspection.inspector.get_username()


class DrawSerializer(serializers.Serializer):
    department = serializers.IntegerField(label="检查部门编号", min_value=1, max_value=2**31 - 1)


class InspectionViewSet(ScopedViewSet):
    """双随机一公开检查: drawn by /draw/, its result entered by PATCH, published by /publish/."""

    queryset = InspectionPages.queryset.order_by("-drawn_at", "-pk")
    serializer_class = InspectionSerializer
    filterset_class = filters.InspectionFilterSet
    write_action = SUPERVISE
    http_method_names = ["get", "patch", "post", "delete", "head", "options"]

    def create(self, request, *args, **kwargs):
        raise serializers.ValidationError("检查记录由 /api/inspections/draw/ 随机抽取产生，不能直接新增。")

    @extend_schema(request=DrawSerializer, responses={201: InspectionSerializer})
    @action(detail=False, methods=["post"])
    def draw(self, request):
        """双随机抽取：从本部门登记的企业和检查人员中各随机抽取一个，记录随机种子。"""
        if not can_anywhere(request.user, SUPERVISE):
            raise NotFound()
        body = DrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        departments = Department.objects.all()
        if not request.user.is_superuser:
            departments = departments.filter(pk__in=housing_departments(request.user))
        department = get_object_or_404(departments, pk=body.validated_data["department"])
        try:
            inspection = inspections.draw(department, request.user)
        except DjangoValidationError as error:
            raise as_api_error(error) from None
        return Response(InspectionSerializer(inspection, context=self.get_serializer_context()).data, status=201)

    @extend_schema(request=None, responses={200: InspectionSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """公开检查结果：公开后该企业服务的各区划都能看到。"""
        inspection = self.get_object()
        try:
            inspections.publish(inspection)
        except DjangoValidationError as error:
            raise as_api_error(error) from None
        return Response(InspectionSerializer(inspection, context=self.get_serializer_context()).data)


ROUTES = (
    ("property-evaluations", PropertyEvaluationViewSet, "propertyevaluation"),
    ("score-sheets", ScoreSheetViewSet, "scoresheet"),
    ("evaluation-steps", EvaluationStepViewSet, "evaluationstep"),
    ("company-cases", CompanyCaseViewSet, "companycase"),
    ("inspections", InspectionViewSet, "inspection"),
)
