"""The requests' API on the kit's ScopedViewSet (core/api.py): a request received through the API is
routed as one received on its page (requests_flow.receive), its photo checked as every upload; its
steps are the declared transitions (request-steps); the categories, the routing table and the 五步议事
derive theirs from their page declarations (services/views_requests.py)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from rest_framework import serializers

from core import gate
from core.api import (
    DeclaredSerializer,
    ScopedPrimaryKeyField,
    ScopedRelatedField,
    ScopedViewSet,
    TransitionSerializer,
    TransitionViewSet,
)
from core.transitions import UNSEEN
from orgs.models import Area
from orgs.scoping import Action

from . import filters_requests as filters
from .forms_requests import check_photo, transfer_area, transfer_department
from .models_requests import (
    PLACE_LEVELS,
    RequestCategory,
    RequestStatus,
    ResidentRequest,
    Satisfaction,
)
from .permissions import RECEIVE_REQUEST
from .requests_flow import REQUESTS, receive, subject_of, transfer

ID = {"min_value": 1, "max_value": 2**31 - 1}


def labelled(choices):
    return [(value, str(label)) for value, label in choices]


class RequestSerializer(DeclaredSerializer):
    """A resident's request: its place by area code (within the caller's scope, down to the
    building), its category; the body, the due date, the state and the satisfaction are read only."""

    area = ScopedRelatedField(
        queryset=Area.objects.filter(level__in=PLACE_LEVELS),
        slug_field="code",
        action=RECEIVE_REQUEST,
        help_text="事发地点的区划代码（街道、社区、网格或楼栋），须在调用者管辖范围内",
    )
    category = ScopedPrimaryKeyField(
        queryset=RequestCategory.objects.all(), action=Action.VIEW, help_text="诉求类型编号"
    )
    photo = serializers.FileField(required=False, help_text="现场照片：一张图片，不超过 5 MB")
    status = serializers.ChoiceField(choices=labelled(RequestStatus.choices), read_only=True, help_text="状态")
    satisfaction = serializers.ChoiceField(
        choices=labelled(Satisfaction.choices), read_only=True, help_text="回访满意度"
    )
    due_on = serializers.DateField(read_only=True, help_text="办理时限（按诉求类型的时限计算）")
    responsible_area = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="承办区划代码")
    responsible_department = serializers.PrimaryKeyRelatedField(read_only=True, help_text="承办部门编号")
    overdue = serializers.BooleanField(read_only=True, help_text="是否超期（已过时限且未办结）")

    class Meta:
        model = ResidentRequest
        fields = [
            "id",
            "area",
            "channel",
            "category",
            "description",
            "photo",
            "resident_name",
            "resident_phone",
            "status",
            "due_on",
            "responsible_area",
            "responsible_department",
            "satisfaction",
            "overdue",
        ]
        extra_kwargs = {
            "channel": {"help_text": "受理渠道"},
            "description": {"help_text": "诉求内容"},
            "resident_name": {"help_text": "诉求人姓名（个人信息，脱敏显示）"},
            "resident_phone": {"help_text": "诉求人联系电话（个人信息，脱敏显示）"},
        }

    def validate_photo(self, photo):
        try:
            return check_photo(photo)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None

    def validate(self, attrs):
        place = attrs.get("area", getattr(self.instance, "area", None))
        category = attrs.get("category", getattr(self.instance, "category", None))
        if place is not None and category is not None and not place.code.startswith(category.area.code):
            raise serializers.ValidationError(
                {"category": f"“{category}”是{category.area.name}的诉求类型，不适用于{place.name}。"}
            )
        return super().validate(attrs)


class RequestViewSet(ScopedViewSet):
    """诉求：居民诉求的受理、分派和办理状态；受理后按分派规则确定承办单位和办理时限。"""

    queryset = ResidentRequest.objects.select_related("area", "category", "responsible_area")
    serializer_class = RequestSerializer
    filterset_class = filters.RequestFilterSet
    write_action = RECEIVE_REQUEST

    def save_object(self, serializer):
        return receive(self.unsaved(serializer), self.request.user)


class RequestStepSerializer(TransitionSerializer):
    request = serializers.IntegerField(label="诉求编号", **ID)
    # The transfer's new body, checked once the caller is known to be allowed to transfer (as on the page).
    responsible_area = serializers.CharField(
        label="转办承办区划代码",
        required=False,
        allow_blank=True,
        max_length=32,
        help_text="转办至的网格、社区或街道代码（转办时与承办部门二选一）",
    )
    responsible_department = serializers.IntegerField(
        label="转办职能部门编号",
        required=False,
        allow_null=True,
        help_text="转办至的职能部门编号（转办时与承办区划二选一）",
        **ID,
    )


class RequestStepViewSet(TransitionViewSet):
    """诉求办理：签收、办结提交核验、核验通过、回访办结、退回、重新打开、转办（附新的承办区划或部门）。"""

    machine = REQUESTS
    queryset = ResidentRequest.objects.none()
    serializer_class = RequestSerializer
    request_serializer = RequestStepSerializer

    def subject(self, data):
        record = get_object_or_404(ResidentRequest.objects.scoped(self.request.user, Action.VIEW), pk=data["request"])
        return subject_of(record)

    def may_take(self, t, subject, user):
        """The transfer has no plain button (its `applies` says so) but is an action here, with its body."""
        if t.name == "transfer":
            return gate.can(user, t.action, subject.area)
        return super().may_take(t, subject, user)

    def perform_step(self, t, subject, data, user):
        if t.name != "transfer":
            return super().perform_step(t, subject, data, user)
        errors, body = {}, {}
        for field, find in (("responsible_area", transfer_area), ("responsible_department", transfer_department)):
            try:
                body[field] = find(user, data.get(field))
            except DjangoValidationError as error:
                errors[field] = error.messages
        if errors:
            raise DjangoValidationError(errors)
        return transfer(
            subject.area,
            user,
            area=body["responsible_area"],
            department=body["responsible_department"],
            reason=data.get("reason", ""),
            seen=data.get("state", UNSEEN),
        )


ROUTES = (
    ("requests", RequestViewSet, "request"),
    ("request-steps", RequestStepViewSet, "requeststep"),
)
