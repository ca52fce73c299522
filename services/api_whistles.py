"""吹哨报到's API on the kit (core/api.py): the whistles (blown as on their page: the same checks,
one response a department, the departments told), the responses (read), and the responses' steps
— 报到, 办结 (with its report and evidence, multipart), 核验评分 (with quality and satisfaction) —
as declared transitions, refused in Chinese."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from core.api import (
    DeclaredSerializer,
    ScopedRelatedField,
    ScopedViewSet,
    TransitionSerializer,
    TransitionViewSet,
)
from core.transitions import UNSEEN
from orgs.models import Area, Department
from orgs.scoping import Action

from . import filters_whistles as filters
from . import whistles
from .models_whistles import ResponseStatus, Whistle, WhistleResponse, WhistleType
from .permissions import BLOW_WHISTLE

ID = {"min_value": 1, "max_value": 2**31 - 1}


class WhistleSerializer(DeclaredSerializer):
    """A whistle: its place (an area code of the caller's street), type, problem, deadline (today
    or later) and the departments called (ids, of the street's district or city); a type with a
    linked record (物业纠纷) names it by `subject` (the compound's id)."""

    area = ScopedRelatedField(
        queryset=Area.objects.all(), slug_field="code", action=BLOW_WHISTLE, help_text="吹哨地点的区划代码（街道内）"
    )
    kind = serializers.PrimaryKeyRelatedField(
        queryset=WhistleType.objects.filter(active=True), help_text="吹哨类型编号"
    )
    departments = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), many=True, write_only=True, help_text="报到部门编号（本区或本市的职能部门）"
    )
    subject = serializers.IntegerField(
        required=False, allow_null=True, write_only=True, help_text="关联对象编号（“物业纠纷”为小区编号）", **ID
    )
    subject_label = serializers.CharField(read_only=True, help_text="关联对象")
    responses = serializers.SerializerMethodField(help_text="各部门报到的编号与状态")

    class Meta:
        model = Whistle
        fields = [
            "id",
            "area",
            "kind",
            "title",
            "description",
            "deadline",
            "departments",
            "subject",
            "subject_label",
            "responses",
        ]

    def get_responses(self, whistle) -> list[dict]:
        request = self.context.get("request")
        if request is None:  # serialized outside a request: no one to scope the responses by
            return []
        user = request.user
        return [
            {"id": r.pk, "department": r.department_id, "status": r.status, "score": r.score}
            for r in WhistleResponse.objects.scoped(user).filter(whistle=whistle).order_by("pk")
        ]

    def validate(self, attrs):
        user = self.context["request"].user
        if self.instance is not None:
            for name in ("area", "kind", "departments", "subject"):
                attrs.pop(name, None)  # a whistle blown keeps its place, type and departments
            if "deadline" in attrs and attrs["deadline"] != self.instance.deadline:
                errors = whistles.blow_errors(user, None, attrs["deadline"], None)
                if errors:
                    raise ValidationError(errors)
            return super().validate(attrs)
        errors = whistles.blow_errors(user, attrs.get("area"), attrs.get("deadline"), attrs.get("departments") or [])
        kind = attrs.get("kind")
        if kind is not None and kind.subject_model:
            subjects = whistles.subject_choices(kind, user)
            found = subjects.filter(pk=attrs.get("subject")).first() if attrs.get("subject") else None
            if found is None:
                errors["subject"] = _("“{kind}”须关联一个您可查看的对象。").format(kind=kind)
            attrs["subject"] = found
        else:
            attrs["subject"] = None
        if errors:
            raise ValidationError(errors)
        return attrs


class WhistleViewSet(ScopedViewSet):
    """吹哨：街道就辖区内的问题向本区、本市职能部门吹哨，限期办结。"""

    queryset = Whistle.objects.select_related("area", "kind")
    serializer_class = WhistleSerializer
    filterset_class = filters.WhistleFilterSet
    write_action = BLOW_WHISTLE

    def save_object(self, serializer):
        data = dict(serializer.validated_data)
        if serializer.instance is not None:
            serializer.save()
            return serializer.instance
        departments, subject = data.pop("departments"), data.pop("subject", None)
        return whistles.blow(Whistle(**data), departments, self.request.user, subject=subject)

    def delete_object(self, instance):
        instance.delete()


class WhistleResponseSerializer(DeclaredSerializer):
    """One department's response (报到) to a whistle: its state, times, report and score."""

    status = serializers.ChoiceField(
        choices=[(value, str(label)) for value, label in ResponseStatus.choices], read_only=True, help_text="状态"
    )

    class Meta:
        model = WhistleResponse
        fields = ["id", *WhistleResponse.SHOWN]
        read_only_fields = fields


class WhistleResponseViewSet(ScopedViewSet):
    """部门报到：各职能部门对吹哨的报到、办结与街道评分（只读；操作见 response-steps）。"""

    queryset = WhistleResponse.objects.select_related("whistle", "department")
    serializer_class = WhistleResponseSerializer
    filterset_class = filters.WhistleResponseFilterSet
    http_method_names = ["get", "head", "options"]


class ResponseStepSerializer(TransitionSerializer):
    response = serializers.IntegerField(label="报到编号", **ID)
    report = serializers.CharField(required=False, allow_blank=True, max_length=2000, help_text="处置情况（办结必填）")
    evidence = serializers.FileField(required=False, help_text="办结材料（办结必传，以文件上传的表单提交）")
    quality = serializers.IntegerField(
        required=False, min_value=1, max_value=5, help_text="办理质量 1–5（核验评分必填）"
    )
    satisfaction = serializers.IntegerField(
        required=False, min_value=1, max_value=5, help_text="满意度 1–5（核验评分必填）"
    )


class ResponseStepViewSet(TransitionViewSet):
    """部门报到的操作：报到、办结（附处置情况与材料）、核验评分。"""

    machine = whistles.RESPONSES
    queryset = WhistleResponse.objects.none()
    serializer_class = WhistleResponseSerializer
    request_serializer = ResponseStepSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def subject(self, data):
        response = get_object_or_404(
            WhistleResponse.objects.scoped(self.request.user, Action.VIEW), pk=data["response"]
        )
        return whistles.subject_of(response)

    def perform_step(self, t, subject, data, user):
        response, seen = subject.area, data.get("state", UNSEEN)
        if t.name == "sign":
            record = whistles.sign(response, user, seen=seen, subject=subject)
        elif t.name == "close":
            record = whistles.close_with(
                response, user, report=data.get("report", ""), evidence=data.get("evidence"), seen=seen, subject=subject
            )
        else:
            record = whistles.verify(
                response,
                user,
                quality=data.get("quality"),
                satisfaction=data.get("satisfaction"),
                seen=seen,
                subject=subject,
            )
        record.refresh_from_db()
        return record


ROUTES = (
    ("whistles", WhistleViewSet, "whistle"),
    ("whistle-responses", WhistleResponseViewSet, "whistleresponse"),
    ("response-steps", ResponseStepViewSet, "responsestep"),
)
