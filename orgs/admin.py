from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Area, Department, DepartmentKind, RoleAssignment, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("联系方式", {"fields": ("phone",)}))
    list_display = ("username", "last_name", "first_name", "is_active", "is_superuser")


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    """Read-only here: the tree is edited through the portal's pages, imports and API."""

    list_display = ("code", "name", "level")
    search_fields = ("code", "name")
    list_filter = ("level",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "area", "department")
    list_filter = ("role",)
    raw_id_fields = ("user", "area", "department")
    search_fields = ("user__username", "area__code", "area__name")


@admin.register(DepartmentKind)
class DepartmentKindAdmin(admin.ModelAdmin):
    """The configurable list of department kinds (住建, 城管执法, …): seeded by a migration."""

    list_display = ("name", "order")
    list_editable = ("order",)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "area")
    list_filter = ("kind",)
    raw_id_fields = ("area",)
    search_fields = ("name", "short_name", "area__name")
