"""经费's API on the kit's ScopedViewSet (core/api.py): allocations and expenditures with amounts as
offices write them (refused in Chinese when negative, non-numeric or beyond the balance), an amount
above the ceiling only with `confirm_large: true` (万元 typed as 元), the voucher checked as every
upload; the expenditures' approval and the notices' publishing as the declared steps' actions. The
notices' own endpoint is derived from their page declaration (views_funding.FundNoticePages)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

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
from orgs.choices import AreaLevel
from orgs.models import Area
from orgs.scoping import Action

from . import filters_funding as filters
from .forms_funding import check_voucher, large_refusal
from .funding_flow import EXPENDITURES, NOTICES
from .models import Project
from .models_funding import Allocation, Expenditure, ExpenditureStatus, FundNotice, parse_money
from .permissions import KEEP_ALLOCATIONS, RECORD_EXPENDITURE
from .views_funding import with_balance

ID = {"min_value": 1, "max_value": 2**31 - 1}


@extend_schema_field({"type": "string", "pattern": r"^\d+(\.\d{1,2})?$", "example": "1234.50"})
class MoneyField(serializers.Field):
    """Yuan: a number or a text as offices write it ("1,234.50", "12万"); answered as "1234.50"."""

    def to_internal_value(self, data):
        try:
            return parse_money(data)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None

    def to_representation(self, value):
        return str(value)


class ConfirmLarge:
    def validate(self, attrs):
        refusal = large_refusal(attrs.get("amount"))
        if refusal and not attrs.pop("confirm_large", False):
            raise serializers.ValidationError(
                {"amount": [str(refusal).replace("勾选“确认金额无误”", "在请求中加上 confirm_large（确认金额无误）")]}
            )
        attrs.pop("confirm_large", None)
        return super().validate(attrs)


class AllocationSerializer(ConfirmLarge, DeclaredSerializer):
    area = ScopedRelatedField(
        queryset=Area.objects.filter(level=AreaLevel.COMMUNITY),
        slug_field="code",
        action=KEEP_ALLOCATIONS,
        help_text="社区（村）代码，须在调用者管辖范围内",
    )
    amount = MoneyField(help_text="金额（元），两位小数；如“1,234.50”")
    confirm_large = serializers.BooleanField(
        write_only=True, required=False, default=False, help_text="金额超过上限（默认 200,000 元）时须确认（是）"
    )
    committed = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True, help_text="已用（元）")
    balance_left = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True, help_text="余额（元）")

    class Meta:
        model = Allocation
        fields = [
            "id",
            "area",
            "year",
            "fund_type",
            "source",
            "amount",
            "confirm_large",
            "allocated_on",
            "note",
            "committed",
            "balance_left",
        ]


class AllocationViewSet(ScopedViewSet):
    """经费拨付：社区各年度、各类经费的拨付，及其已用和余额。"""

    queryset = with_balance(Allocation.objects.select_related("area")).order_by("-year", "area__code", "fund_type")
    serializer_class = AllocationSerializer
    filterset_class = filters.AllocationFilterSet
    write_action = KEEP_ALLOCATIONS


class ExpenditureSerializer(ConfirmLarge, DeclaredSerializer):
    allocation = ScopedPrimaryKeyField(
        queryset=Allocation.objects.all(), action=RECORD_EXPENDITURE, help_text="经费拨付编号"
    )
    project = ScopedPrimaryKeyField(
        queryset=Project.objects.all(),
        action=RECORD_EXPENDITURE,
        required=False,
        allow_null=True,
        help_text="项目编号（同一社区）",
    )
    amount = MoneyField(help_text="金额（元），两位小数；如“1,234.50”")
    confirm_large = serializers.BooleanField(
        write_only=True, required=False, default=False, help_text="金额超过上限（默认 200,000 元）时须确认（是）"
    )
    voucher = serializers.FileField(required=False, write_only=True, help_text="凭证：PDF 或图片文件，不超过 10 MB")
    area = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="社区代码")
    status = serializers.ChoiceField(
        choices=[(v, str(label)) for v, label in ExpenditureStatus.choices], read_only=True, help_text="状态"
    )

    class Meta:
        model = Expenditure
        fields = [
            "id",
            "area",
            "allocation",
            "project",
            "amount",
            "confirm_large",
            "spent_on",
            "purpose",
            "voucher_number",
            "voucher",
            "voucher_name",
            "status",
        ]
        read_only_fields = ["voucher_name"]

    def validate_voucher(self, voucher):
        try:
            voucher = check_voucher(voucher)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None
        return voucher

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if attrs.get("voucher") is not None:
            attrs["voucher_name"] = attrs["voucher"].name.rsplit("/", 1)[-1][:200]
        return attrs


class ExpenditureViewSet(ScopedViewSet):
    """经费支出：社区登记（待审批），街道审批；金额不得超过所属经费的余额。"""

    queryset = Expenditure.objects.select_related("area", "allocation", "project")
    serializer_class = ExpenditureSerializer
    filterset_class = filters.ExpenditureFilterSet
    write_action = RECORD_EXPENDITURE


def subject_of(record):
    return Subject(
        {"pk": record.pk}, record, str(record), back=record.get_absolute_url(), breadcrumb=breadcrumb_of(record)
    )


class ExpenditureStepSerializer(TransitionSerializer):
    expenditure = serializers.IntegerField(label="经费支出编号", **ID)


class ExpenditureStepViewSet(TransitionViewSet):
    """经费支出审批：审批通过、退回（须说明原因）。"""

    machine = EXPENDITURES
    queryset = Expenditure.objects.none()
    serializer_class = ExpenditureSerializer
    request_serializer = ExpenditureStepSerializer

    def subject(self, data):
        return subject_of(
            get_object_or_404(Expenditure.objects.scoped(self.request.user, Action.VIEW), pk=data["expenditure"])
        )


class NoticeSerializer(DeclaredSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="社区代码")

    class Meta:
        model = FundNotice
        fields = ["id", "area", "year", "title", "note", "status", "published_at", "snapshot", "changes"]


class NoticeStepSerializer(TransitionSerializer):
    notice = serializers.IntegerField(label="经费公示编号", **ID)


class NoticeStepViewSet(TransitionViewSet):
    """经费公示：发布（发布后原样留存）。"""

    machine = NOTICES
    queryset = FundNotice.objects.none()
    request_serializer = NoticeStepSerializer

    serializer_class = NoticeSerializer

    def subject(self, data):
        return subject_of(
            get_object_or_404(FundNotice.objects.scoped(self.request.user, Action.VIEW), pk=data["notice"])
        )


ROUTES = (
    ("fund-allocations", AllocationViewSet, "allocation"),
    ("expenditures", ExpenditureViewSet, "expenditure"),
    ("expenditure-steps", ExpenditureStepViewSet, "expenditurestep"),
    ("notice-steps", NoticeStepViewSet, "noticestep"),
)
