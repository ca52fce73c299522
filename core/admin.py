from django.contrib import admin

from .models import ImportJob, PersonalDataAccess


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    list_display = ("viewed_at", "user", "model", "object_id", "row_count", "query", "field", "ip_address")
    list_filter = ("model", "field")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "kind", "filename", "status")
    list_filter = ("kind", "status")
    exclude = ("content",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
