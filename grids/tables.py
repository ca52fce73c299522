"""The roster's table (core/tables.py): the roster page's columns. Its export writes the roster
import's own columns (grids/importers/parse.py COLUMNS), so that export → edit → re-import round-trips."""

from urllib.parse import urlencode

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.choices import label as choice_label
from core.tables import DateColumn, PersonalColumn, Table
from orgs.scoping import in_scopes, user_scopes

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
        return mark_safe(f'{escape(record.place)}<span class="cell-sub code">{escape(record.area.code)}</span>')

    def render_post(self, value, record):
        if record.employment:
            return format_html(
                '{}<small class="text-body-secondary">（{}）</small>',
                value,
                choice_label(Employment, record.employment),
            )
        return value

    def render_name(self, record):
        person = self._links["person"].format(pk=record.person_id)
        return mark_safe(f'<a href="{person}">{escape(record.holder.name)}</a>')

    @cached_property
    def _links(self):
        """The rows' URLs with placeholders, the way back and the actions' words, made once a page
        rather than once a row."""
        return {
            "person": reverse("grids:person_detail", kwargs={"pk": 0}).replace("/0/", "/{pk}/"),
            "appoint": reverse("grids:appoint", args=["00"]).replace("/00/", "/{code}/"),
            "relieve": reverse("grids:relieve", args=[0]).replace("/0/", "/{pk}/"),
            "back": escape(urlencode({"next": self.request.get_full_path()})),
            "replace_label": escape(_("更换")),
            "relieve_label": escape(_("离任")),
        }

    @cached_property
    def _scopes(self):
        """The user's scopes by action (one lookup a page): whether a row's post may be changed."""
        return {}

    def _may_change(self, record):
        action = action_for_post(record.post)
        if action not in self._scopes:
            user = self.request.user
            self._scopes[action] = None if user.is_superuser else user_scopes(user, action)
        scopes = self._scopes[action]
        return scopes is None or in_scopes(record.area.code, scopes)

    def render_actions(self, record):
        """Replace and relieve, for a current post the user may change (`can_change`, set by the view);
        the grid head is the community's to replace."""
        if not (getattr(self, "can_change", False) and record.is_current and self._may_change(record)):
            return ""
        links = self._links
        appoint = links["appoint"].format(code=escape(record.area.code))
        relieve = links["relieve"].format(pk=record.pk)
        return mark_safe(
            '<span class="text-nowrap post-actions">'
            f'<a class="btn btn-sm btn-link p-0" href="{appoint}?post={escape(record.post)}&{links["back"]}">'
            f"{links['replace_label']}</a>"
            f'<a class="btn btn-sm btn-link text-danger p-0 ms-2" href="{relieve}?{links["back"]}">'
            f"{links['relieve_label']}</a></span>"
        )

    @cached_property
    def _today(self):
        return timezone.localdate()

    def render_start_date(self, record):
        if record.start_date > self._today:  # appointed from a future date (is_scheduled), read once a page
            return format_html(
                '{} <span class="badge text-bg-info">{}</span>', record.start_date.strftime("%Y-%m-%d"), _("待到任")
            )
        return record.start_date.strftime("%Y-%m-%d")

    def render_political_status(self, record):
        shown = record.holder.get_political_status_display()
        if getattr(record, "registered_member", False) and record.holder.political_status not in PARTY_STATUSES:
            return format_html('{} <span class="badge text-bg-light border">{}</span>', _("中共党员"), _("党员名册"))
        return shown or "—"
