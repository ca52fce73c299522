from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import ImportJob, PersonalDataAccess, field_titles, model_title


class LoggedModelFilter(admin.SimpleListFilter):
    title = _("数据类型")
    parameter_name = "model"

    def lookups(self, request, model_admin):
        labels = PersonalDataAccess.objects.order_by("model").values_list("model", flat=True).distinct()
        return [(label, model_title(label)) for label in labels]

    def queryset(self, request, queryset):
        return queryset.filter(model=self.value()) if self.value() else queryset


class LoggedFieldFilter(admin.SimpleListFilter):
    title = _("字段")
    parameter_name = "field"

    def lookups(self, request, model_admin):
        pairs = PersonalDataAccess.objects.order_by("field", "model").values_list("field", "model").distinct()
        titled = {}
        for field, label in pairs:
            titled.setdefault(field, field_titles(label, field))
        return list(titled.items())

    def queryset(self, request, queryset):
        return queryset.filter(field=self.value()) if self.value() else queryset


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    list_display = ("viewed_at", "user", "model_shown", "object_id", "row_count", "query", "fields_shown", "ip_address")
    list_filter = (LoggedModelFilter, LoggedFieldFilter)

    @admin.display(description=_("数据类型"), ordering="model")
    def model_shown(self, access):
        return access.model_title()

    @admin.display(description=_("字段"), ordering="field")
    def fields_shown(self, access):
        return access.field_titles()

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
