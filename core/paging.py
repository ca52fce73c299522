"""Pages of a list that never count a city: the rows are counted up to a bound (LIST_COUNT_BOUND,
`SELECT count(*) FROM (SELECT … LIMIT bound + 1)`), exactly below it; past it the list says
"超过 N 条" and pages on without a total — a next page exists when this one is full (one row is
read ahead). The same paginator serves the portal's lists (core.tables.paginate, django-tables2)
and the API's (`BoundedPageNumberPagination`, whose `count` stops at the bound and whose
`count_capped` says so). Exports do not page: they still write every row.
"""

from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import PageNumberPagination

MAX_PAGE = 10**6  # a page number past any list's


def _queryset(object_list):
    """The queryset behind a list (a queryset, or django-tables2's rows of one), else None."""
    data = getattr(getattr(object_list, "data", None), "data", None)  # BoundRows → TableQuerysetData → qs
    for candidate in (object_list, data):
        if hasattr(candidate, "query") and hasattr(candidate, "order_by"):
            return candidate
    return None


class BoundedPage(Page):
    def has_next(self):
        if self.paginator.capped:
            return self.more
        return super().has_next()

    def end_index(self):
        return self.start_index() + len(self.object_list) - 1 if self.object_list else 0


class BoundedPaginator(Paginator):
    """Django's paginator with the count stopped at `bound` (LIST_COUNT_BOUND by default)."""

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, bound=None):
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        self.bound = bound or settings.LIST_COUNT_BOUND
        self.capped = False

    @cached_property
    def count(self):
        """The number of rows, counted up to bound + 1 (any rows: the order is dropped)."""
        queryset = _queryset(self.object_list)
        if queryset is None:
            counted = len(self.object_list)
        elif queryset.query.is_sliced:  # already bounded (an export's rows)
            counted = queryset.count()
        elif queryset.query.combinator or queryset.query.group_by is not None or queryset._fields is not None:
            # a UNION, an aggregate or a values() list: its rows as they are
            counted = queryset.order_by()[: self.bound + 1].count()
        else:  # only the keys: no joins of select_related, no annotations the filters do not use
            counted = queryset.order_by().values("pk")[: self.bound + 1].count()
        self.capped = counted > self.bound
        return min(counted, self.bound)

    def validate_number(self, number):
        self.count  # noqa: B018 — counting tells whether the list is capped
        if not self.capped:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(_("页码不是整数。")) from None
        if number < 1 or number > MAX_PAGE:
            raise EmptyPage(_("没有这一页。"))
        return number

    def page(self, number):
        if number in (1, "1") and not self.orphans and "count" not in self.__dict__:
            # The first page is read with one row ahead: a list that fits on it (a grid's, a
            # community's) is counted by its rows, without a COUNT query.
            rows = list(self.object_list[: self.per_page + 1])
            if len(rows) <= min(self.per_page, self.bound):
                self.__dict__["count"] = len(rows)
                return self._get_page(rows, 1, self)
            self.count  # noqa: B018 — a longer list is counted (up to the bound); its first page is read
            page = self._get_page(rows[: self.per_page], 1, self)
            if self.capped:
                page.more = len(rows) > self.per_page
                self.num_pages = 2 if page.more else 1  # the pages known so far
            return page
        number = self.validate_number(number)
        if not self.capped:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])  # one read ahead
        if not rows and number > 1:
            raise EmptyPage(_("没有这一页。"))
        page = self._get_page(rows[: self.per_page], number, self)
        page.more = len(rows) > self.per_page
        self.num_pages = number + 1 if page.more else number  # the pages known so far
        return page

    def _get_page(self, *args, **kwargs):
        return BoundedPage(*args, **kwargs)


class BoundedPageNumberPagination(PageNumberPagination):
    """The API's pages: `count` is exact up to LIST_COUNT_BOUND and stops there (`count_capped`
    true); `next` is given while a page is full."""

    django_paginator_class = BoundedPaginator

    def get_paginated_response(self, data):
        from rest_framework.response import Response

        paginator = self.page.paginator
        return Response(
            {
                "count": paginator.count,
                "count_capped": paginator.capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        properties = response["properties"]
        properties["count"]["description"] = "符合条件的记录数；记录很多时只数到上限。"
        properties["count_capped"] = {
            "type": "boolean",
            "description": "记录数是否超过上限：是则只数到上限，请按下一页的链接翻页，直到没有下一页。",
            "example": False,
        }
        response["required"] = [*response.get("required", ["count", "results"]), "count_capped"]
        return response
