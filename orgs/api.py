"""REST API of the orgs app, declared on the kit's ScopedViewSet (core/api.py): an object out
of scope is not found (404); writes need the matching action."""

from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from core.api import ScopedPrimaryKeyField, ScopedRelatedField, ScopedViewSet

from . import tree
from .choices import AreaLevel, role_level_error
from .departments import DepartmentFilterSet
from .filters import AreaFilterSet
from .models import DEPARTMENT_LEVELS, Area, Department, DepartmentKind, RoleAssignment, User, department_error
from .scoping import Action, can, manageable_users


class ScopedAreaField(ScopedRelatedField):
    """An area by code among those the caller may see (a foreign one is "not found")."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Area.objects.all(), **kwargs)


class AreaSerializer(serializers.ModelSerializer):
    parent = ScopedAreaField(required=False, allow_null=True, help_text="上级区划代码")
    level = serializers.ChoiceField(choices=AreaLevel.choices)

    class Meta:
        model = Area
        fields = ["code", "name", "level", "parent", "depth"]
        read_only_fields = ["depth"]
        extra_kwargs = {"code": {"validators": []}}  # uniqueness is checked after scope (validate_code)

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:  # code and parent change only by moving (a page action)
            fields["code"].read_only = True
            fields["parent"].read_only = True
        return fields

    def validate(self, attrs):
        """Scope first, then existence: an out-of-scope code gets one answer whether or not it
        exists, so codes outside the scope cannot be probed."""
        request = self.context.get("request")
        code = attrs.get("code")
        if self.instance is None and code:
            if request is None or not can(request.user, Action.MANAGE_TREE, code):
                raise ValidationError({"code": ["该区划不在您可管理的范围内。"]})
            if Area.objects.filter(code=code).exists():
                raise ValidationError({"code": [f"区划代码 {code} 已存在。"]})
        return attrs

    def validate_level(self, level):
        """A new level must stay below the parent's and above the children's, as on the edit page."""
        area = self.instance
        if area is not None and level not in tree.allowed_levels(area):
            raise ValidationError("层级必须低于上级区划的层级、高于下级区划的层级。")
        return level


class AreaViewSet(ScopedViewSet):
    """区划. Addressed by code; a subtree is listed with `?within=<code>`."""

    api_description = gettext_lazy("区划，以区划代码定位；`?within=<代码>` 列出该区划及其全部下级。")

    queryset = Area.objects.select_related("parent")
    serializer_class = AreaSerializer
    lookup_field = "code"
    lookup_value_regex = r"\d+"
    write_action = Action.MANAGE_TREE
    filterset_class = AreaFilterSet  # the area list page's words: q, level, parent, within

    def save_object(self, serializer):
        if serializer.instance is None and serializer.validated_data.get("parent") is None:
            if not self.request.user.is_superuser:
                raise ValidationError({"parent": ["只有系统管理员可以新建市级根区划。"]})
        return super().save_object(serializer)


class VisibleUserField(serializers.PrimaryKeyRelatedField):
    """A user by id, among those the caller manages (`manageable_users`: every role strictly below
    the caller): a foreign user is "not found" like a missing one, and the browsable form lists no
    other."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return User.objects.none()
        return manageable_users(request.user, active=True).order_by("username")


class RoleAssignmentSerializer(serializers.ModelSerializer):
    area = ScopedAreaField(help_text="区划代码")
    user = VisibleUserField(help_text="用户编号")
    username = serializers.CharField(source="user.username", read_only=True)
    department = ScopedPrimaryKeyField(
        queryset=Department.objects.all(),
        required=False,
        allow_null=True,
        help_text="职能部门编号：仅“职能部门”角色需要，且须属于所授区划或其上级的市、区",
    )
    office = serializers.CharField(read_only=True, help_text="身份名称，如“朝阳区委组织部”“朝阳区住建局”")

    class Meta:
        model = RoleAssignment
        fields = ["id", "user", "username", "area", "role", "department", "office", "created_at"]
        read_only_fields = ["created_at"]

    def validate(self, attrs):
        error = role_level_error(attrs["role"], attrs["area"])
        if error:
            raise ValidationError({"role": [error]})
        error = department_error(attrs["role"], attrs["area"], attrs.get("department"))
        if error:
            raise ValidationError({"department": [error]})
        return attrs


class RoleAssignmentViewSet(ScopedViewSet):
    """角色授权. Granting and revoking needs the right to manage roles over the area."""

    api_description = gettext_lazy("角色授权；授予和撤销须有该区划的角色管理权限。")

    queryset = RoleAssignment.objects.select_related("user", "area", "department")
    serializer_class = RoleAssignmentSerializer
    write_action = Action.MANAGE_ROLES
    filterset_fields = ["role"]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def save_object(self, serializer):
        if not can(self.request.user, Action.MANAGE_ROLES, serializer.validated_data["area"]):
            raise ValidationError({"area": ["您无权在该区划授权。"]})
        return super().save_object(serializer)


class DepartmentSerializer(serializers.ModelSerializer):
    area = ScopedRelatedField(
        slug_field="code",
        queryset=Area.objects.filter(level__in=DEPARTMENT_LEVELS),
        action=Action.MANAGE_DEPARTMENTS,
        help_text="所属市或区/县的区划代码",
    )
    kind = serializers.SlugRelatedField(
        slug_field="name", queryset=DepartmentKind.objects.all(), help_text="部门类别，如“住建”"
    )

    class Meta:
        model = Department
        fields = ["id", "name", "short_name", "kind", "area"]


class DepartmentViewSet(ScopedViewSet):
    """职能部门. Kept by the organisation departments of the city and the districts; the id is what a
    职能部门 role assignment names."""

    api_description = gettext_lazy("职能部门；新增、修改和删除须有该市或区的职能部门管理权限。")

    queryset = Department.objects.select_related("area", "kind")
    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilterSet
    write_action = Action.MANAGE_DEPARTMENTS
