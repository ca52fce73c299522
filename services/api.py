"""The services API on the kit's ScopedViewSet (core/api.py): the lists, versions and items derive
theirs from their page declarations (services/views.py); a task pushed through the API is screened
at the gate as one pushed on its page (admission.push); the versions' and the gate's steps are
their declared transitions."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
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
from orgs.models import Area, Department
from orgs.scoping import Action, user_departments

from . import admission, filters, lists
from .choices import TaskStatus, VersionStatus
from .models import GateTask, ListVersion, ServiceList
from .permissions import KEEP_LISTS, PUSH_TASK

ID = {"min_value": 1, "max_value": 2**31 - 1}


class GateTaskSerializer(DeclaredSerializer):
    """A task at a community's gate: pushed by a department (its own), to a community of its area
    (by code); its state, the admission item it matched and the street's reason are read only."""

    department = ScopedPrimaryKeyField(
        queryset=Department.objects.all(), action=PUSH_TASK, help_text="交办部门（调用者所在的部门）"
    )
    community = ScopedRelatedField(
        queryset=Area.objects.all(), slug_field="code", action=PUSH_TASK, help_text="承接社区的区划代码"
    )
    status = serializers.ChoiceField(
        choices=[(value, str(label)) for value, label in TaskStatus.choices], read_only=True, help_text="准入状态"
    )
    matched_item = serializers.PrimaryKeyRelatedField(read_only=True, help_text="对应的准入清单事项")
    reason = serializers.CharField(read_only=True, help_text="街道的审批意见")

    class Meta:
        model = GateTask
        fields = ["id", "department", "community", "name", "content", "due_on", "status", "matched_item", "reason"]

    def validate_department(self, department):
        user = self.context["request"].user
        if not user.is_superuser and department.pk not in user_departments(user):
            raise serializers.ValidationError("只能以您所在的部门交办事项。")
        return department

    def validate_community(self, community):
        if community.level != "community":
            raise serializers.ValidationError("工作事项只能交办到社区。")
        return community

    def validate(self, attrs):
        if self.instance is not None and self.instance.status != "stopped":
            raise serializers.ValidationError(
                _("该事项已{status}，不能修改。").format(status=self.instance.get_status_display())
            )
        return super().validate(attrs)


class GateTaskViewSet(ScopedViewSet):
    """工作事项：职能部门向社区交办的事项及其准入状态。"""

    queryset = GateTask.objects.select_related("department", "community")
    serializer_class = GateTaskSerializer
    filterset_class = filters.GateTaskFilterSet
    write_action = PUSH_TASK

    def save_object(self, serializer):
        return admission.push(self.unsaved(serializer), self.request.user)


class GateStepSerializer(TransitionSerializer):
    task = serializers.IntegerField(label="工作事项编号", **ID)


class GateStepViewSet(TransitionViewSet):
    """准入审批：街道批准或拒绝拦截在社区之外的工作事项。"""

    machine = admission.GATE
    queryset = GateTask.objects.none()
    serializer_class = GateTaskSerializer
    request_serializer = GateStepSerializer

    def subject(self, data):
        task = get_object_or_404(GateTask.objects.scoped(self.request.user, Action.VIEW), pk=data["task"])
        return admission.subject_of(task)


class ListVersionSerializer(DeclaredSerializer):
    """A version of a list: a new one is a draft holding the published version's items (as the
    page's 起草新版本); its number, state and publication are read only (the steps take them)."""

    service_list = ScopedPrimaryKeyField(
        queryset=ServiceList.objects.all(), action=KEEP_LISTS, help_text="清单编号（调用者维护的清单）"
    )
    number = serializers.IntegerField(read_only=True, help_text="版本号")
    status = serializers.ChoiceField(
        choices=[(value, str(label)) for value, label in VersionStatus.choices], read_only=True, help_text="状态"
    )
    published_at = serializers.DateTimeField(read_only=True, help_text="发布时间")

    class Meta:
        model = ListVersion
        fields = ["id", "service_list", "number", "status", "note", "published_at"]

    def validate(self, attrs):
        if (
            self.instance is not None
            and attrs.get("service_list", self.instance.service_list) != self.instance.service_list
        ):
            raise serializers.ValidationError({"service_list": _("版本不能移到另一份清单。")})
        if self.instance is None and attrs.get("service_list") is not None:
            draft = attrs["service_list"].versions.filter(status=VersionStatus.DRAFT).first()
            if draft is not None:
                raise serializers.ValidationError(
                    {
                        "service_list": _("该清单已有草稿（第{number}版），请先发布或删除它。").format(
                            number=draft.number
                        )
                    }
                )
        return super().validate(attrs)


class ListVersionViewSet(ScopedViewSet):
    """清单版本：起草（复制现行版本的事项）、修改草稿说明、删除草稿；发布见 version-steps。"""

    queryset = ListVersion.objects.select_related("service_list")
    serializer_class = ListVersionSerializer
    filterset_class = filters.ListVersionFilterSet
    write_action = KEEP_LISTS

    def save_object(self, serializer):
        if serializer.instance is not None:
            serializer.save()
            return serializer.instance
        data = serializer.validated_data
        version = lists.draft_from(data["service_list"], self.request.user)
        if data.get("note"):
            version.note = data["note"]
            version.save(update_fields=["note", "at"])
        return version


class VersionStepSerializer(TransitionSerializer):
    version = serializers.IntegerField(label="清单版本编号", **ID)


class VersionStepViewSet(TransitionViewSet):
    """清单版本发布：发布草稿，原现行版本同时被替代。"""

    machine = lists.VERSIONS
    queryset = ListVersion.objects.none()
    serializer_class = ListVersionSerializer
    request_serializer = VersionStepSerializer

    def subject(self, data):
        version = get_object_or_404(ListVersion.objects.scoped(self.request.user, Action.VIEW), pk=data["version"])
        return Subject({"pk": version.pk}, version, str(version), back=version.get_absolute_url())


ROUTES = (
    ("list-versions", ListVersionViewSet, "listversion"),
    ("gate-tasks", GateTaskViewSet, "gatetask"),
    ("gate-steps", GateStepViewSet, "gatestep"),
    ("version-steps", VersionStepViewSet, "versionstep"),
)
