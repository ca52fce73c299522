"""The property API, declared on the kit's ScopedViewSet (core/api.py): the same scope, filters and
masking as the pages; the checklists, committees, members and consultations derive theirs from
their page declarations (property/views.py), the ledger's steps are its declared transitions."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from rest_framework import serializers

from core.api import (
    DeclaredSerializer,
    ScopedPrimaryKeyField,
    ScopedRelatedField,
    ScopedViewSet,
    TransitionSerializer,
    TransitionViewSet,
    as_api_error,
)
from core.transitions import Subject
from orgs.models import Area, Department
from orgs.scoping import Action

from . import filters
from .choices import ManagementMode
from .ledger import LEDGER, close_with
from .models import Compound, LedgerEntry, PropertyCompany, coverage_error
from .permissions import CHANGE_PROPERTY, ENGAGE_COMPANY, KEEP_COMPANY, housing_departments
from .views import CompoundPages, LedgerEntryPages, PropertyCompanyPages


class PropertyCompanySerializer(DeclaredSerializer):
    """The company; its phone masked unless the caller may see it whole."""

    department = ScopedPrimaryKeyField(queryset=Department.objects.all(), help_text="登记部门（调用者所在的住建部门）")
    # The party links are read here and recorded on the company's 党建联系 page by the streets and
    # communities it serves (LINK_PARTY), not by the housing bureau that writes the register.
    party_organisation = serializers.PrimaryKeyRelatedField(read_only=True)
    party_instructor = serializers.PrimaryKeyRelatedField(read_only=True)
    part_time_member = serializers.PrimaryKeyRelatedField(read_only=True)
    service_adviser = serializers.PrimaryKeyRelatedField(read_only=True)
    served_count = serializers.SerializerMethodField(help_text="调用者管辖范围内由该企业服务的小区数")

    class Meta:
        model = PropertyCompany
        fields = [
            "id",
            *PropertyCompany.KEPT_FIELDS,
            *PropertyCompany.PARTY_FIELDS,
            "served_count",
        ]

    def validate_department(self, department):
        user = self.context["request"].user
        if not user.is_superuser and department.pk not in housing_departments(user):
            raise serializers.ValidationError("物业服务企业由登记它的住建部门管理：只能选择您所在的住建部门。")
        return department

    def get_served_count(self, company) -> int | None:
        return getattr(company, "served_count", None)


class PropertyCompanyViewSet(ScopedViewSet):
    """物业服务企业."""

    queryset = PropertyCompanyPages.queryset.order_by("name")
    serializer_class = PropertyCompanySerializer
    filterset_class = filters.PropertyCompanyFilterSet
    write_action = KEEP_COMPANY

    def get_queryset(self):
        return PropertyCompanyPages.for_user(super().get_queryset(), self.request.user)


class CompoundSerializer(DeclaredSerializer):
    """The community and the covered grids and buildings by their codes, the company by its credit code."""

    community = ScopedRelatedField(
        slug_field="code", queryset=Area.objects.all(), action=CHANGE_PROPERTY, help_text="社区区划代码"
    )
    areas = ScopedRelatedField(
        slug_field="code",
        queryset=Area.objects.all(),
        action=CHANGE_PROPERTY,
        many=True,
        required=False,
        help_text="覆盖的网格、楼栋代码",
    )
    company = ScopedRelatedField(
        slug_field="credit_code",
        queryset=PropertyCompany.objects.all(),
        action=ENGAGE_COMPANY,
        required=False,
        allow_null=True,
        help_text="物业企业的统一社会信用代码",
    )

    class Meta:
        model = Compound
        fields = ["id", *Compound.KEPT_FIELDS]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        community = attrs.get("community") or getattr(self.instance, "community", None)
        if "areas" in attrs or "community" in attrs:
            areas = attrs.get("areas", list(self.instance.areas.all()) if self.instance is not None else [])
            message = coverage_error(community, areas)
            if message:
                raise serializers.ValidationError({"areas": [str(message)]})
        return attrs


class CompoundViewSet(ScopedViewSet):
    """小区."""

    queryset = CompoundPages.queryset.prefetch_related("areas").order_by("community__code", "name")
    serializer_class = CompoundSerializer
    filterset_class = filters.CompoundFilterSet
    write_action = CHANGE_PROPERTY


class LedgerEntrySerializer(DeclaredSerializer):
    """An entry; its state changes only by its steps (/api/ledger-steps/: 销号 takes the new mode and the evidence)."""

    compound = ScopedPrimaryKeyField(queryset=Compound.objects.all(), action=CHANGE_PROPERTY)
    has_evidence = serializers.SerializerMethodField(help_text="是否已上传销号材料")

    class Meta:
        model = LedgerEntry
        fields = ["id", "compound", "responsible", "plan", "deadline", "status", "has_evidence", "reason", "at"]
        read_only_fields = ["status", "reason", "at"]

    def get_has_evidence(self, entry) -> bool:
        return bool(entry.evidence)

    def validate_compound(self, compound):
        if self.instance is not None and compound.pk != self.instance.compound_id:
            raise serializers.ValidationError("台账不能改到另一个小区。")
        return compound


class LedgerEntryViewSet(ScopedViewSet):
    """无物业小区台账."""

    queryset = LedgerEntryPages.queryset.order_by("status", "deadline", "pk")
    serializer_class = LedgerEntrySerializer
    filterset_class = filters.LedgerEntryFilterSet
    write_action = CHANGE_PROPERTY


class LedgerStepSerializer(TransitionSerializer):
    entry = serializers.IntegerField(label="台账编号", min_value=1, max_value=2**31 - 1)
    # 销号 in one step (multipart): the compound's new mode, its company when the mode needs one, the evidence.
    mode = serializers.ChoiceField(
        label="新的管理模式",
        choices=[(v, str(label)) for v, label in ManagementMode.choices],
        required=False,
        help_text="销号必填，不能为“无物业”",
    )
    company = serializers.PrimaryKeyRelatedField(
        label="物业企业",
        queryset=PropertyCompany.objects.all(),
        required=False,
        allow_null=True,
        help_text="专业物业必填，国企兜管可选；须是您可以为小区选定的企业",
    )
    evidence = serializers.FileField(label="销号材料", required=False, help_text="销号必填：PDF、图片或文档，≤10 MB")


class LedgerStepViewSet(TransitionViewSet):
    """台账销号与重新打开: the declared steps of a ledger entry, as on its page."""

    machine = LEDGER
    queryset = LedgerEntry.objects.none()
    serializer_class = LedgerEntrySerializer
    request_serializer = LedgerStepSerializer

    def subject(self, data):
        entry = get_object_or_404(LedgerEntry.objects.scoped(self.request.user, Action.VIEW), pk=data["entry"])
        return Subject({"pk": entry.pk}, entry, str(entry), back=entry.get_absolute_url())

    def take_step(self, request, name):
        """销号 as on the page: the mode, the company and the evidence with the step, in one."""
        if name != "close":
            return super().take_step(request, name)
        from rest_framework.exceptions import NotFound
        from rest_framework.response import Response

        from core import gate
        from core.transitions import UNSEEN

        body = self.request_serializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = body.validated_data
        subject = self.subject(data)
        if not gate.can(request.user, LEDGER["close"].action, subject.area):
            raise NotFound()
        try:
            record = close_with(
                subject.area,
                request.user,
                mode=data.get("mode", ""),
                company=data.get("company"),
                evidence=data.get("evidence"),
                seen=data.get("state", UNSEEN),
                subject=subject,
            )
        except DjangoValidationError as error:
            raise as_api_error(error) from None
        return Response(self.serializer_class(record, context=self.get_serializer_context()).data)


ROUTES = (
    ("property-companies", PropertyCompanyViewSet, "propertycompany"),
    ("compounds", CompoundViewSet, "compound"),
    ("ledger-entries", LedgerEntryViewSet, "ledgerentry"),
    ("ledger-steps", LedgerStepViewSet, "ledgerstep"),
)
