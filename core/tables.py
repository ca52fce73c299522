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

import django_tables2 as tables
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.utils.html import format_html

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


class PersonalColumn(tables.Column):
    """A phone or ID number: masked, with a reveal button for users who may see it whole (the
    reveal is logged); in an export masked unless the exporting user may see it whole."""

    def __init__(self, *args, field, **kwargs):
        self.personal_field = field  # the key in the model's `personal_data_fields`
        kwargs.setdefault("orderable", False)
        super().__init__(*args, **kwargs)

    def render(self, value, record, table):
        from .templatetags.portal import personal_html

        return personal_html(table.request.user, record, self.personal_field)

    def value(self, value, record, table):
        return value if table.reveal else personal_data.mask(value)


class YesNoColumn(tables.BooleanColumn):
    """是 or 否, on the page and in the export (which an import reads back)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("yesno", "是,否")
        super().__init__(*args, **kwargs)

    def value(self, value, record=None, bound_column=None):
        return "是" if value else "否"


class LinkedColumn(tables.Column):
    """A column whose cell links to the record's page."""

    def render(self, value, record):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), value)

    def value(self, value):
        return value
