"""The roster's table (core/tables.py): the roster page's columns. Its export writes the roster
import's own columns (grids/importers.py COLUMNS), so that export → edit → re-import round-trips."""

from urllib.parse import urlencode

import django_tables2 as tables
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.choices import label as choice_label
from core.tables import DateColumn, PersonalColumn, Table
from orgs.scoping import can

from .choices import PARTY_STATUSES, Employment
from .models import HeadAssignment
from .permissions import action_for_post


class RosterTable(Table):
    area = tables.Column(_("区划"), accessor="area__code", order_by="area__code")
    post = tables.Column(_("职务"))
    name = tables.Column(_("姓名"), accessor="holder__name", orderable=False)
    phone = PersonalColumn(_("联系电话"), accessor="holder__phone", field="phone")
    political_status = tables.Column(_("政治面貌"), accessor="holder__political_status", orderable=False)
    start_date = DateColumn("Y-m-d", verbose_name=_("任职日期"))
    end_date = DateColumn("Y-m-d", verbose_name=_("离任日期"), default="—")
    actions = tables.Column("", empty_values=(), orderable=False, exclude_from_export=True)

    class Meta(Table.Meta):
        model = HeadAssignment
        fields = ("name", "post", "area", "phone", "political_status", "start_date", "end_date", "actions")
        sequence = ("actions", *fields[:-1])
        empty_text = _("没有符合条件的人员。")
        attrs = {"class": "table table-sm table-hover table-compact align-middle roster"}

    def render_area(self, record):
        return format_html('{}<span class="cell-sub code">{}</span>', record.place, record.area.code)

    def render_post(self, value, record):
        if record.employment:
            return format_html(
                '{}<small class="text-body-secondary">（{}）</small>',
                value,
                choice_label(Employment, record.employment),
            )
        return value

    def render_name(self, record):
        return format_html('<a href="{}">{}</a>', record.person.get_absolute_url(), record.holder.name)

    @cached_property
    def _action_links(self):
        """The two links' URLs with placeholders, reversed once a page rather than once a row."""
        return (
            reverse("grids:appoint", args=["00"]).replace("/00/", "/{code}/"),
            reverse("grids:relieve", args=[0]).replace("/0/", "/{pk}/"),
            urlencode({"next": self.request.get_full_path()}),
        )

    def render_actions(self, record):
        """Replace and relieve, for a current post the user may change (`can_change`, set by the view)."""
        if not (getattr(self, "can_change", False) and record.is_current):
            return ""
        if not can(self.request.user, action_for_post(record.post), record.area.code):
            return ""  # the grid head: the community's to replace
        appoint, relieve, back = self._action_links
        return format_html(
            '<span class="text-nowrap post-actions"><a class="btn btn-sm btn-link p-0" href="{}?post={}&{}">{}</a>'
            '<a class="btn btn-sm btn-link text-danger p-0 ms-2" href="{}?{}">{}</a></span>',
            appoint.format(code=record.area.code),
            record.post,
            back,
            _("更换"),
            relieve.format(pk=record.pk),
            back,
            _("离任"),
        )

    def render_start_date(self, record):
        if record.is_scheduled:
            return format_html(
                '{} <span class="badge text-bg-info">{}</span>', record.start_date.strftime("%Y-%m-%d"), _("待到任")
            )
        return record.start_date.strftime("%Y-%m-%d")

    def render_political_status(self, record):
        shown = record.holder.get_political_status_display()
        if getattr(record, "registered_member", False) and record.holder.political_status not in PARTY_STATUSES:
            return format_html('{} <span class="badge text-bg-light border">{}</span>', _("中共党员"), _("党员名册"))
        return shown or "—"
