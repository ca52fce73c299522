"""REST API of the orgs app. The base viewset applies the scoping helper, like the pages:
an object out of scope is not found (404); writes need the matching action."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError

from . import tree
from .choices import AreaLevel
from .models import Area, RoleAssignment, User
from .scoping import Action, can, visible_users


class ScopedViewSet(viewsets.ModelViewSet):
    """Every query goes through `.scoped(user, action)`: VIEW for reads, `write_action` for writes."""

    write_action = Action.CHANGE

    def get_queryset(self):
        action = Action.VIEW if self.request.method in ("GET", "HEAD", "OPTIONS") else self.write_action
        return self.queryset.scoped(self.request.user, action)

    @staticmethod
    def django_errors(error):
        return ValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages)


class ScopedAreaField(serializers.SlugRelatedField):
    """An area by code, among those the caller may see: one out of scope is "not found" like a
    missing one, so the answer does not leak its existence (choices go through the helper too)."""

    def get_queryset(self):
        request = self.context.get("request")
        queryset = super().get_queryset()
        return queryset.scoped(request.user) if request is not None else queryset.none()


class AreaSerializer(serializers.ModelSerializer):
    parent = ScopedAreaField(
        slug_field="code", queryset=Area.objects.all(), required=False, allow_null=True, help_text="上级区划代码"
    )
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

    queryset = Area.objects.select_related("parent")
    serializer_class = AreaSerializer
    lookup_field = "code"
    lookup_value_regex = r"\d+"
    write_action = Action.MANAGE_TREE
    filterset_fields = ["level"]

    def get_queryset(self):
        queryset = super().get_queryset()
        within = self.request.query_params.get("within")
        if within:
            queryset = queryset.filter(code__startswith=within)
        parent = self.request.query_params.get("parent")
        if parent:
            queryset = queryset.filter(parent__code=parent)
        return queryset

    def perform_create(self, serializer):
        parent = serializer.validated_data.get("parent")
        if parent is None:
            if not self.request.user.is_superuser:
                raise ValidationError({"parent": ["只有系统管理员可以新建市级根区划。"]})
        elif not Area.objects.scoped(self.request.user).filter(pk=parent.pk).exists():
            raise NotFound()
        try:
            with transaction.atomic():
                serializer.save()
        except DjangoValidationError as error:
            raise self.django_errors(error) from None

    def perform_update(self, serializer):
        try:
            with transaction.atomic():
                serializer.save()
        except DjangoValidationError as error:
            raise self.django_errors(error) from None

    def perform_destroy(self, instance):
        try:
            instance.delete()
        except DjangoValidationError as error:
            raise self.django_errors(error) from None


class VisibleUserField(serializers.PrimaryKeyRelatedField):
    """A user by id, among those the caller may see when granting roles (`visible_users`):
    a foreign user is "not found" like a missing one, and the browsable form lists no other."""

    def get_queryset(self):
        request = self.context.get("request")
        return visible_users(request.user).order_by("username") if request is not None else User.objects.none()


class RoleAssignmentSerializer(serializers.ModelSerializer):
    area = ScopedAreaField(slug_field="code", queryset=Area.objects.all())
    user = VisibleUserField(help_text="用户编号")
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = RoleAssignment
        fields = ["id", "user", "username", "area", "role", "created_at"]
        read_only_fields = ["created_at"]


class RoleAssignmentViewSet(ScopedViewSet):
    """角色授权. Granting and revoking needs the right to manage roles over the area."""

    queryset = RoleAssignment.objects.select_related("user", "area")
    serializer_class = RoleAssignmentSerializer
    write_action = Action.MANAGE_ROLES
    filterset_fields = ["role"]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def perform_create(self, serializer):
        area = serializer.validated_data["area"]
        if not Area.objects.scoped(self.request.user).filter(pk=area.pk).exists():
            raise NotFound()
        if not can(self.request.user, Action.MANAGE_ROLES, area):
            raise ValidationError({"area": ["您无权在该区划授权。"]})
        serializer.save()
