"""Functional departments (职能部门, issue 16 §3): a small list kept by the organisation departments,
declared on the kit — the list, detail, add, edit and delete pages (ModelPages), the table its
export and import share, the filter, and the import through django-import-export (ScopedResource)."""

import django_filters
import django_tables2 as tables
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import widgets
from import_export.fields import Field

from core.filters import FilterSet
from core.forms import ScopedModelForm
from core.resources import ScopedForeignKeyWidget, ScopedResource
from core.tables import LinkedColumn, Table
from core.views.generic import ModelPages

from .models import Area, Department, DepartmentKind
from .scoping import Action


class DepartmentTable(Table):
    name = LinkedColumn(gettext_lazy("部门名称"))
    short_name = tables.Column(gettext_lazy("简称"), default="")
    kind = tables.Column(gettext_lazy("部门类别"), accessor="kind__name", order_by=("kind__order", "kind__name"))
    area = tables.Column(gettext_lazy("所属区划代码"), accessor="area__code", order_by="area__code")
    users = tables.Column(gettext_lazy("用户数"), accessor="user_count", orderable=False, exclude_from_export=True)

    def render_area(self, record):
        return format_html('{}<span class="cell-sub code">{}</span>', record.area.name, record.area.code)

    def value_area(self, record):
        return record.area.code

    class Meta(Table.Meta):
        model = Department
        fields = ()


class DepartmentFilterSet(FilterSet):
    q = django_filters.CharFilter(label=gettext_lazy("部门名称"), method="search")
    kind = django_filters.ModelChoiceFilter(label=gettext_lazy("部门类别"), queryset=DepartmentKind.objects.all())

    class Meta:
        model = Department
        fields = ["q", "kind", "within"]  # within: 区划代码（含下级）, every scoped list's (core.filters)

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(name__contains=value) | queryset.filter(short_name__contains=value)


class DepartmentForm(ScopedModelForm):
    """The area is chosen among the cities and districts where the user keeps departments."""

    action = Action.MANAGE_DEPARTMENTS

    class Meta:
        model = Department
        fields = ["name", "short_name", "kind", "area"]


class DepartmentPages(ModelPages):
    model = Department
    queryset = Department.objects.select_related("area", "kind").annotate(
        user_count=Count("role_assignments__user", distinct=True)
    )
    table = DepartmentTable
    filterset = DepartmentFilterSet
    form = DepartmentForm
    change_action = Action.MANAGE_DEPARTMENTS
    detail_fields = ("name", "short_name", "kind", "area")
    import_kind = "departments"


class KindWidget(widgets.ForeignKeyWidget):
    """A department kind by its name, with the list of kinds in the reason when it is not one."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        try:
            return super().clean(str(value).strip(), row=row, **kwargs)
        except DepartmentKind.DoesNotExist:
            raise ValueError(
                _("部门类别“{value}”不在列表中，可填：{kinds}。").format(
                    value=value, kinds="、".join(DepartmentKind.objects.values_list("name", flat=True))
                )
            ) from None


class DepartmentResource(ScopedResource):
    area = Field(attribute="area", widget=ScopedForeignKeyWidget(Area, "code", action=Action.MANAGE_DEPARTMENTS))
    kind = Field(attribute="kind", widget=KindWidget(DepartmentKind, "name"))

    class Meta:
        model = Department
        table = DepartmentTable
        fields = ("name", "short_name", "kind", "area")
        import_id_fields = ("area", "name")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
