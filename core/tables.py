"""One table declaration per model (django-tables2) drives its list page — sortable headers,
paging — and its xlsx/CSV export, and gives an import its template's headers (KIT.md).

- Every column's header is its Chinese verbose name, on the page, in the export and in the
  import template alike, so that export → edit → re-import round-trips.
- `PersonalColumn` shows a phone or ID number masked, with the reveal button for users who may
  see it whole; an export holds it masked unless the user may see it whole, and then the export
  is logged with its row count and filter (core.personal_data).
- Exported text is formula-safe (core.spreadsheets.neutralise).
- `paginate(table, request, per_page)` sorts and pages a list from its query string, the page
  size bounded (?per_page= between 1 and MAX_PER_PAGE; anything else: the list's own size), its
  rows counted only up to LIST_COUNT_BOUND (core.paging: "超过 N 条" past it).
"""

import datetime
from operator import attrgetter

import django_tables2 as tables
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db import models
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.encoding import force_str
from django.utils.formats import localize
from django.utils.hashable import make_hashable
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.utils import A, signature

from . import personal_data
from .paging import BoundedPaginator

MAX_PER_PAGE = 200  # the most rows one page of a list shows, whatever ?per_page= asks


def _positive_int(text):
    """A query string's positive whole number, or None (negative, zero, not a number); a number
    of more than nine digits counts as 10**9 (beyond any page or page size)."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text) if len(text) <= 9 else 10**9
    return number or None


def paginate(table, request, per_page):
    """Sort and page `table` from the request's query string (django-tables2's RequestConfig,
    with the page size cleaned): ?per_page= is honoured between 1 and MAX_PER_PAGE, a larger
    one is capped, a negative, zero or non-numeric one gives `per_page`; a page number that is
    not a number shows the first page, one past the end the last."""
    table.request = request
    order_by = request.GET.getlist(table.prefixed_order_by_field)
    if order_by:
        table.order_by = order_by
    size = _positive_int(request.GET.get(table.prefixed_per_page_field))
    size = min(size, MAX_PER_PAGE) if size else per_page
    page = _positive_int(request.GET.get(table.prefixed_page_field)) or 1
    try:
        table.paginate(paginator_class=BoundedPaginator, per_page=size, page=page)
    except PageNotAnInteger:
        table.page = table.paginator.page(1)
    except EmptyPage:
        table.page = table.paginator.page(table.paginator.num_pages)
    return table


class Table(tables.Table):
    """The base of every list's table."""

    class Meta:
        template_name = "core/table.html"
        attrs = {"class": "table table-sm table-hover table-compact align-middle"}
        empty_text = "没有符合条件的记录。"

    reveal = False  # set by an export for users who may see personal data whole
    # On a phone each row becomes a card of "header: value" lines (table-cards in portal.css),
    # for the lists whose every column matters there: nothing is cut at the screen's edge.
    cards_on_phone = False

    def __init__(self, data=None, *args, request=None, **kwargs):
        # django-tables2 configures a table given a request with RequestConfig, which trusts
        # ?per_page= (a negative size answered 500, a huge one the whole table): page it here.
        super().__init__(data, *args, **kwargs)
        if request is not None:
            paginate(self, request, self._meta.per_page)
        if self.cards_on_phone:
            self.attrs = {**self.attrs, "class": f"{self.attrs.get('class', '')} table-cards".strip()}
            for bound in self.columns:
                td = dict(bound.column.attrs.get("td", {}))
                td["data-label"] = str(bound.header)
                bound.column.attrs = {**bound.column.attrs, "td": td}

    def body_html(self):
        """The rows of the shown page as HTML, the same markup as django-tables2's template loop
        (`<tr class="even|odd">`, `<td attrs>cell</td>`) built in Python: the template engine's
        per-cell lookups, the per-cell recomputing of a column's attributes and the per-cell
        `inspect.signature` of its render method cost ~1 ms a row, the whole of a grid's roster page.
        A column's td attributes are computed once a page unless they are callables of the record."""
        columns = [_FastColumn(bound) for bound in self.columns]
        row_attrs = self.row_attrs
        out = []
        for row in self.paginated_rows:
            if row_attrs:
                out.append(f"<tr {row.attrs.as_html()}>")
            else:
                out.append(f'<tr class="{row.get_even_odd_css_class()}">')
            for column in columns:
                out.append(column.td(row))
            out.append("</tr>")
        if not out and self.empty_text:
            out.append(f'<tr><td colspan="{len(columns)}">{conditional_escape(self.empty_text)}</td></tr>')
        return mark_safe("".join(out))  # noqa: S308  (every cell and attribute is escaped above)

    @classmethod
    def export_columns(cls):
        """(name, header) of the columns an export writes, in the order they are declared (which
        an import reads); the page may show them in another order (Meta.sequence)."""
        return [
            (name, str(column.verbose_name or name))
            for name, column in cls.base_columns.items()
            if column.exclude_from_export is not True and getattr(column, "exportable", True)
        ]

    @classmethod
    def headers(cls):
        """The Chinese headers of the export, which an import of this model reads."""
        return [header for _name, header in cls.export_columns()]

    def export_rows(self):
        """The export's rows (values, not HTML) in the declared order of `export_columns()`, whatever
        order the page shows the columns in (Meta.sequence)."""
        names = [name for name, _header in self.export_columns()]
        defaults = [self.columns[name].default for name in names]  # "—" on the page; empty in a sheet
        for row in self.rows:
            yield [
                "" if value == default else value
                for value, default in zip((row.get_cell_value(name) for name in names), defaults, strict=True)
            ]


_UNKNOWN = object()


class _FastColumn:
    """One bound column of `Table.body_html`: what django-tables2 works out for every cell —
    the render method's arguments, the td attributes, the default, a choice field's labels —
    worked out once a page, each cell then rendered as django-tables2's template would."""

    def __init__(self, bound):
        self.bound = bound
        column = bound.column
        self.args, self.catch_all = signature(bound.render)
        attrs = column.attrs
        td = attrs.get("td", attrs.get("cell", {}))
        self.static_td = None if any(callable(value) for value in td.values()) else self._td_attrs()
        self.default = bound.default
        self.empty_values = column.empty_values
        self.localize = column.localize
        self.accessor = A(bound.accessor)
        bits = self.accessor.bits
        # A plain path of attributes (area__code) is read by attrgetter; anything else — a dict,
        # a null relation on the way, a callable at the end — as django-tables2 reads it.
        self.getter = attrgetter(".".join(bits)) if bits and all(bit.isidentifier() for bit in bits) else None
        path, _, self.remainder = self.accessor.rpartition(A.SEPARATOR)
        self.path = A(path)
        # Many-to-many and link columns have their own rules in BoundRow: left to it.
        self.own_rules = isinstance(column, tables.ManyToManyColumn | BaseLinkColumn)
        self.labels = _UNKNOWN  # a choice field's {value: label}, read from the first row

    def _td_attrs(self):
        html = self.bound.attrs["td"].as_html()
        return f"<td {html}>" if html else "<td>"

    def _value(self, record):
        """BoundRow._get_and_render_with's value: a choice field's label (get_FOO_display, from
        labels read once a page), else the accessor's value, None where it cannot be resolved."""
        if self.labels is _UNKNOWN:
            field = self.accessor.get_field(record)
            self.labels = (
                {make_hashable(value): force_str(label, strings_only=True) for value, label in field.flatchoices}
                if getattr(field, "choices", None)
                else None
            )
        if self.labels is not None:
            penultimate = self.path.resolve(record, quiet=True)
            if isinstance(penultimate, models.Model) and hasattr(penultimate, f"get_{self.remainder}_display"):
                raw = getattr(penultimate, self.remainder)
                return self.labels.get(make_hashable(raw), raw)
        if self.getter is not None and record.__class__ is not dict:
            try:
                value = self.getter(record)
            except (AttributeError, ObjectDoesNotExist):
                pass
            else:
                if not callable(value):
                    return value
        try:
            return self.accessor.resolve(record)
        except Exception:  # as BoundRow: a column that is not a field of the record (an actions column)
            return None

    def _render(self, value, row):
        """BoundRow._call_render with the signature read once (django-tables2 reads it per cell)."""
        bound = self.bound
        if not bound.link and not self.catch_all:
            if self.args == ("value",):  # the common signatures, without the offered dict
                return bound.render(value=value)
            if self.args == ("record",):
                return bound.render(record=row.record)
        offered = {
            "value": value,
            "record": row.record,
            "column": bound.column,
            "bound_column": bound,
            "bound_row": row,
            "table": row.table,
        }
        if self.catch_all:
            kwargs = offered
        else:
            if any(arg not in offered for arg in self.args):
                return None
            kwargs = {arg: offered[arg] for arg in self.args}
        content = bound.render(**kwargs)
        return bound.link(content, **offered) if bound.link else content

    def td(self, row):
        bound = self.bound
        if self.own_rules:
            cell = row.get_cell(bound.name)
        else:
            value = self._value(row.record)
            cell = self.default if value in self.empty_values else self._render(value, row)
        if self.static_td is None:
            bound.current_value, bound.current_record = cell, row.record
            opening = self._td_attrs()
        else:
            opening = self.static_td
        # As the template's {{ cell }} (or |localize, |unlocalize) would show it; text as it is.
        if not isinstance(cell, str):
            cell = localize(template_localtime(cell), use_l10n=self.localize)
        return f"{opening}{conditional_escape(cell)}</td>"


class PersonalColumn(tables.Column):
    """A phone or ID number: masked, with a reveal button for users who may see it whole (the
    reveal is logged); in an export masked unless the exporting user may see it whole."""

    def __init__(self, *args, field, **kwargs):
        self.personal_field = field  # the key in the model's `personal_data_fields`
        kwargs.setdefault("orderable", False)
        super().__init__(*args, **kwargs)

    def render(self, value, record, table):
        from .templatetags.portal import personal_html

        user = table.request.user
        if getattr(table, "_can_reveal_for", None) is not user:  # asked once a table, not once a row
            table._can_reveal_for, table._can_reveal = user, personal_data.can_reveal(user)
        return personal_html(user, record, self.personal_field, can_reveal=table._can_reveal)

    def value(self, value, record, table):
        return value if table.reveal else personal_data.mask(value)


# Django's date formats the lists use, as strftime's (the same text, a tenth of the time a cell).
FAST_FORMATS = {"Y-m-d": "%Y-%m-%d", "Y-m-d H:i": "%Y-%m-%d %H:%M"}


class DateColumn(tables.Column):
    """A date shown as Django's `date` filter shows it (default Y-m-d), formatted in Python
    (django-tables2's DateColumn renders a template for every cell); exported in ISO form, as
    django-tables2's does."""

    def __init__(self, format="Y-m-d", *args, **kwargs):
        self.format = format
        super().__init__(*args, **kwargs)

    def render(self, value):
        if self.format in FAST_FORMATS:  # the default formats: strftime, without Django's formatter
            return value.strftime(FAST_FORMATS[self.format])
        return date_format(value, self.format)

    def value(self, value):
        return value.isoformat() if isinstance(value, datetime.date) else value


class DateTimeColumn(DateColumn):
    """A moment shown in the local time zone (default Y-m-d H:i); exported as ISO with a space."""

    def __init__(self, format="Y-m-d H:i", *args, **kwargs):
        super().__init__(format, *args, **kwargs)

    def render(self, value):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return super().render(value)

    def value(self, value):
        return value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else value


class YesNoColumn(tables.BooleanColumn):
    """是 or 否, on the page and in the export (which an import reads back). Its one positional
    argument is the header, as for every other column (BooleanColumn's first is `null`, which made
    `YesNoColumn(_("一肩挑"))` a column headed by its field's name)."""

    def __init__(self, verbose_name=None, **kwargs):
        kwargs.setdefault("yesno", "是,否")
        super().__init__(verbose_name=verbose_name, **kwargs)

    def value(self, value, record=None, bound_column=None):
        return "是" if value else "否"


class LinkedColumn(tables.Column):
    """A column whose cell links to the record's page."""

    def render(self, value, record):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), value)

    def value(self, value):
        return value
