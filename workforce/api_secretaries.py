"""The API of secretary projects, their milestones and steps, 述职评议 and roads: scoped viewsets on the
kit; areas by their codes; the models' clean() on every write (a milestone before its project,
votes that do not sum: 400s in Chinese, core.api.ModelRulesSerializerMixin), the to-many rules
asked as the form asks them, and uploads checked as the form checks them."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import BooleanField, ExpressionWrapper
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from core.api import (
    DeclaredSerializer,
    ScopedPrimaryKeyField,
    ScopedRelatedField,
    ScopedViewSet,
    TransitionSerializer,
    TransitionViewSet,
)
from core.transitions import Subject
from core.views.generic import breadcrumb_of
from orgs.models import Area
from orgs.scoping import Action

from . import filters_secretaries as filters
from .forms_secretaries import check_evidence
from .models_secretaries import (
    Road,
    SecretaryMilestone,
    SecretaryProject,
    SecretaryProjectStatus,
    SecretaryReport,
    along_errors,
    late_condition,
    projects_of_other_area,
)
from .permissions import KEEP_ROADS, KEEP_SECRETARY_PROJECTS, READ_ROADS, READ_SECRETARY_PROJECTS, RECORD_REVIEWS
from .secretaries_flow import PROJECTS

ID = {"min_value": 1, "max_value": 2**31 - 1}


def with_late(queryset):
    """Projects with `late` (models_secretaries.late_condition), computed in SQL."""
    return queryset.annotate(late=ExpressionWrapper(late_condition(), output_field=BooleanField()))


class EvidenceSerializerMixin:
    def validate_evidence(self, value):
        try:
            return check_evidence(value)
        except DjangoValidationError as error:
            raise ValidationError(error.messages) from None


class SecretaryProjectSerializer(EvidenceSerializerMixin, DeclaredSerializer):
    area = ScopedRelatedField(
        slug_field="code", queryset=Area.objects.all(), action=KEEP_SECRETARY_PROJECTS, help_text="区划代码"
    )
    late = serializers.BooleanField(read_only=True, default=False, help_text="是否滞后")

    class Meta:
        model = SecretaryProject
        fields = [
            "id",
            "area",
            "secretary",
            "year",
            "title",
            "goal",
            "started_on",
            "ends_on",
            "status",
            "evidence",
            "evidence_name",
            "late",
        ]
        read_only_fields = ["status", "evidence_name"]


class SecretaryProjectViewSet(ScopedViewSet):
    """书记项目：区、街道、社区书记认领的年度项目；滞后 = 有节点逾期未完成，或已过计划完成日期仍在进行中。"""

    queryset = with_late(SecretaryProject.objects.select_related("area"))
    serializer_class = SecretaryProjectSerializer
    filterset_class = filters.SecretaryProjectFilterSet
    write_action = KEEP_SECRETARY_PROJECTS


class SecretaryMilestoneSerializer(EvidenceSerializerMixin, DeclaredSerializer):
    project = ScopedPrimaryKeyField(
        queryset=SecretaryProject.objects.all(), action=KEEP_SECRETARY_PROJECTS, help_text="书记项目编号"
    )

    class Meta:
        model = SecretaryMilestone
        fields = ["id", "project", "title", "due_on", "done_on", "note", "evidence", "evidence_name"]
        read_only_fields = ["evidence_name"]

    def validate(self, attrs):
        project = attrs.get("project")
        if project is not None and project.status != SecretaryProjectStatus.RUNNING:
            raise ValidationError({"project": [f"书记项目“{project.title}”已结束，不能再增改节点。"]})
        if self.instance is not None and project is not None and project.pk != self.instance.project_id:
            raise ValidationError({"project": [_("节点不能移到另一个书记项目。")]})
        return super().validate(attrs)


class SecretaryMilestoneViewSet(ScopedViewSet):
    """书记项目节点：计划完成日期不得早于项目开始日期。"""

    queryset = SecretaryMilestone.objects.select_related("project")
    serializer_class = SecretaryMilestoneSerializer
    filterset_class = filters.SecretaryMilestoneFilterSet
    write_action = KEEP_SECRETARY_PROJECTS


class SecretaryReportSerializer(DeclaredSerializer):
    area = ScopedRelatedField(
        slug_field="code", queryset=Area.objects.all(), action=RECORD_REVIEWS, help_text="区划代码"
    )
    projects = ScopedPrimaryKeyField(
        many=True,
        required=False,
        queryset=SecretaryProject.objects.all(),
        action=READ_SECRETARY_PROJECTS,
        help_text="述职书记项目编号",
    )
    good_share = serializers.FloatField(read_only=True, help_text="好评率（好与较好占评议人数之比）")

    class Meta:
        model = SecretaryReport
        fields = [
            "id",
            "area",
            "year",
            "secretary",
            "reported_on",
            "summary",
            "projects",
            "voters",
            "good",
            "fairly_good",
            "fair",
            "poor",
            "good_share",
        ]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        area = attrs.get("area", getattr(self.instance, "area", None))
        projects = attrs.get("projects")
        if projects is None and self.instance is not None:
            projects = list(self.instance.projects.all())
        refusal = projects_of_other_area(area, projects or ())
        if refusal:
            raise ValidationError({"projects": [str(refusal)]})
        return attrs


class SecretaryReportViewSet(ScopedViewSet):
    """述职评议：好、较好、一般、差的票数之和须等于评议人数；好评率 = (好 + 较好) / 评议人数。"""

    queryset = SecretaryReport.objects.select_related("area").prefetch_related("projects")
    serializer_class = SecretaryReportSerializer
    filterset_class = filters.SecretaryReportFilterSet
    write_action = RECORD_REVIEWS


class RoadSerializer(DeclaredSerializer):
    area = ScopedRelatedField(slug_field="code", queryset=Area.objects.all(), action=KEEP_ROADS, help_text="街道代码")
    along = ScopedRelatedField(
        many=True,
        required=False,
        slug_field="code",
        queryset=Area.objects.all(),
        action=READ_ROADS,
        help_text="沿线社区（小区）、网格、楼栋的区划代码",
    )
    vacant = serializers.BooleanField(read_only=True, help_text="是否空缺")

    class Meta:
        model = Road
        fields = [
            "id",
            "area",
            "name",
            "kind",
            "chief_name",
            "chief_phone",
            "chief_id_number",
            "chief_since",
            "along",
            "note",
            "vacant",
        ]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        street = attrs.get("area", getattr(self.instance, "area", None))
        along = attrs.get("along")
        if along is None and self.instance is not None:
            along = list(self.instance.along.all())
        refusal = along_errors(street, along or ())
        if refusal:
            raise ValidationError({"along": [str(refusal)]})
        return attrs


class RoadViewSet(ScopedViewSet):
    """街长路长巷长：街道内的街路巷、其街（路、巷）长（未任命即空缺）和沿线的小区、网格、楼栋。"""

    queryset = Road.objects.select_related("area").prefetch_related("along").order_by("area__code", "name")
    serializer_class = RoadSerializer
    filterset_class = filters.RoadFilterSet
    write_action = KEEP_ROADS


def subject_of(record):
    return Subject(
        {"pk": record.pk}, record, str(record), back=record.get_absolute_url(), breadcrumb=breadcrumb_of(record)
    )


class SecretaryProjectStepSerializer(TransitionSerializer):
    project = serializers.IntegerField(label="书记项目编号", **ID)


class SecretaryProjectStepViewSet(TransitionViewSet):
    """书记项目：标为已完成（须已上传佐证材料、节点均已完成）、终止（须说明原因）。"""

    machine = PROJECTS
    queryset = SecretaryProject.objects.none()
    serializer_class = SecretaryProjectSerializer
    request_serializer = SecretaryProjectStepSerializer

    def subject(self, data):
        return subject_of(
            get_object_or_404(SecretaryProject.objects.scoped(self.request.user, Action.VIEW), pk=data["project"])
        )


ROUTES = (("secretary-project-steps", SecretaryProjectStepViewSet, "secretaryprojectstep"),)
