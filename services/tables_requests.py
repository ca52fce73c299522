"""The requests' tables: the list pages' columns and the export's headers."""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import DateColumn, DateTimeColumn, LinkedColumn, PersonalColumn, Table

from .models_requests import Deliberation, RequestCategory, RequestStatus, ResidentRequest, RoutingRule
from .tables import AreaColumn


class RequestCategoryTable(Table):
    name = LinkedColumn(_("诉求类型"))
    area = AreaColumn(_("区划代码"), "area")
    time_limit = tables.Column(_("办理时限（天）"))

    class Meta(Table.Meta):
        model = RequestCategory
        fields = ()


class RoutingRuleTable(Table):
    rule = tables.Column(_("规则"), accessor="pk", orderable=False, exclude_from_export=True, linkify=True)
    area = AreaColumn(_("区划代码"), "area")
    category = tables.Column(_("诉求类型"), accessor="category__name")
    responsible_area = tables.Column(_("承办区划"), accessor="responsible_area__name")
    responsible_department = tables.Column(_("承办部门"), accessor="responsible_department__name")

    def render_rule(self, record):
        return _("查看")

    class Meta(Table.Meta):
        model = RoutingRule
        fields = ()


class LightColumn(tables.Column):
    """The state as Nanguan's light (a coloured badge); its label in the export."""

    def render(self, value, record, table):
        if getattr(table, "_lights", None) is None:  # the labels and today, once a table
            table._lights = ({key: str(label) for key, label in RequestStatus.choices}, timezone.localdate())
        labels, today = table._lights
        return record.light_html(labels.get(value), today)

    def value(self, value, record):
        return record.get_status_display()


class RequestTable(Table):
    number = tables.Column(_("编号"), accessor="pk", order_by=("received_at", "pk"))
    status = LightColumn(_("状态"))
    category = tables.Column(_("诉求类型"), accessor="category__name")
    area = AreaColumn(_("事发地点"), "area")
    description = tables.Column(_("诉求内容"))
    body = tables.Column(_("承办单位"), accessor="pk", orderable=False)
    resident_phone = PersonalColumn(_("联系电话"), field="resident_phone")
    received_at = DateTimeColumn(verbose_name=_("受理时间"))
    due_on = DateColumn(verbose_name=_("办理时限"))
    overdue = tables.Column(_("超期"), accessor="pk", orderable=False)
    satisfaction = tables.Column(_("满意度"))

    cards_on_phone = True

    def render_number(self, record):
        if getattr(self, "_page_url", None) is None:  # the detail URL's pattern, reversed once a table
            self._page_url = reverse("services:residentrequest_detail", args=[0]).replace("/0/", "/{}/")
        return format_html('<a href="{}">{}</a>', self._page_url.format(record.pk), record.number)

    def value_number(self, record):
        return record.number

    def render_description(self, value):
        return value if len(value) <= 30 else value[:30] + "…"

    def render_body(self, record):
        body = record.body()
        return body.name if body is not None else "—"

    def value_body(self, record):
        body = record.body()
        return body.name if body is not None else ""

    def render_overdue(self, record):
        return _("超期") if record.overdue else "—"

    def value_overdue(self, record):
        return "是" if record.overdue else "否"

    class Meta(Table.Meta):
        model = ResidentRequest
        fields = ()


class DeliberationTable(Table):
    topic = LinkedColumn(_("议题"))
    request = tables.Column(_("诉求"), accessor="request", linkify=lambda record: record.request.get_absolute_url())
    area = AreaColumn(_("区划代码"), "request__area")
    outcome = tables.Column(_("议事结果"))

    class Meta(Table.Meta):
        model = Deliberation
        fields = ()
