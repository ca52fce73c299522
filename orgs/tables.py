"""The tables of the orgs app: one declaration each, for the list page, the export and the
import template (core/tables.py)."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import LinkedColumn, Table

from .choices import LEVEL_TO_CHINESE
from .models import Area


class AreaTable(Table):
    """区划: in the area import's columns, so that export → edit → re-import round-trips."""

    code = tables.Column(_("区划代码"), attrs={"td": {"class": "code"}})
    name = LinkedColumn(_("名称"))
    level = tables.Column(_("层级"))
    parent_code = tables.Column(_("上级代码"), accessor="parent__code", order_by="parent__code", default="")

    def render_parent_code(self, record):
        """The page names the parent; the export keeps its code, which the import reads."""
        parent = record.parent
        return format_html('{}<span class="cell-sub code">{}</span>', parent.name, parent.code) if parent else "—"

    def value_parent_code(self, record):
        return record.parent.code if record.parent_id else ""

    class Meta(Table.Meta):
        model = Area
        fields = ("code", "name", "level", "parent_code")
        sequence = ("name", "level", "parent_code", "code")  # the page: names first; the export: as declared

    def render_level(self, record):
        return record.get_level_display()

    def value_level(self, record):
        return LEVEL_TO_CHINESE[record.level]
