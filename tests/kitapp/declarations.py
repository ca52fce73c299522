"""Everything the pages, API, export and import of ServicePoint need: declarations only."""

import django_filters
import django_tables2 as tables
from import_export.fields import Field
from rest_framework import serializers

from core.api import PersonalDataSerializerMixin, ScopedRelatedField, ScopedViewSet
from core.filters import FilterSet
from core.forms import ScopedModelForm
from core.resources import ScopedForeignKeyWidget, ScopedResource
from core.tables import LinkedColumn, PersonalColumn, Table
from core.views.generic import ModelPages
from orgs.models import Area
from orgs.scoping import within

from .models import ServicePoint
from .permissions import CHANGE_POINT


class ServicePointTable(Table):
    area = tables.Column("区划代码", accessor="area__code")
    name = LinkedColumn("名称")
    phone = PersonalColumn("联系电话", field="phone")
    opened = tables.DateColumn("Y-m-d", verbose_name="开放日期")


class ServicePointFilterSet(FilterSet):
    name = django_filters.CharFilter(label="名称", lookup_expr="contains")
    within = django_filters.CharFilter(label="区划代码（含下级）", method="filter_within")

    def filter_within(self, queryset, name, value):
        return queryset.filter(within("area__code", value.strip()))


class ServicePointForm(ScopedModelForm):
    class Meta:
        model = ServicePoint
        fields = ["area", "name", "phone", "opened"]


class ServicePointPages(ModelPages):
    model = ServicePoint
    table = ServicePointTable
    filterset = ServicePointFilterSet
    form = ServicePointForm
    change_action = CHANGE_POINT


class ServicePointSerializer(PersonalDataSerializerMixin, serializers.ModelSerializer):
    area = ScopedRelatedField(slug_field="code", queryset=Area.objects.all(), action=CHANGE_POINT)

    class Meta:
        model = ServicePoint
        fields = ["id", "area", "name", "phone", "opened"]
        personal_fields = ("phone",)


class ServicePointViewSet(ScopedViewSet):
    queryset = ServicePoint.objects.select_related("area")
    serializer_class = ServicePointSerializer
    filterset_class = ServicePointFilterSet
    write_action = CHANGE_POINT


class ServicePointResource(ScopedResource):
    area = Field(attribute="area", widget=ScopedForeignKeyWidget(Area, "code", action=CHANGE_POINT))

    class Meta:
        model = ServicePoint
        table = ServicePointTable
        fields = ("area", "name", "phone", "opened")
        import_id_fields = ("area", "name")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
