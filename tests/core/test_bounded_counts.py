"""Lists never count a city's rows on every page: the kit's list pages and the API's lists count
up to LIST_COUNT_BOUND (`SELECT count(*) FROM (… LIMIT bound + 1)`), exactly below it; past it the
page says "超过 N 条" and pages on while a page is full, and the API's `count` stops at the bound
with `count_capped`. Exports still write every row."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orgs.models import Area


def count_queries(captured, table="orgs_area"):
    """The queries that count the list's rows (not the menu's unread notices)."""
    return [sql for sql in (q["sql"] for q in captured.captured_queries) if "COUNT(" in sql.upper() and table in sql]


def test_a_list_past_the_bound_counts_no_further_and_says_so(areas, city_org, client_for, settings):
    settings.LIST_COUNT_BOUND = 3
    assert Area.objects.count() > 6
    client = client_for(city_org)

    with CaptureQueriesContext(connection) as captured:
        first = client.get(reverse("orgs:area_list"), {"view": "list", "per_page": "2"})

    assert first.status_code == 200
    counts = count_queries(captured)
    assert counts and all("LIMIT 4" in sql for sql in counts), counts
    text = first.content.decode()
    assert "超过 3 条" in text and "共 " not in text
    assert first.context["page_obj"].has_next()

    # Pages past the bound are reached page by page, without a total; the last one has no next.
    pages, number = [], 1
    while True:
        response = client.get(reverse("orgs:area_list"), {"view": "list", "per_page": "2", "page": str(number)})
        page = response.context["page_obj"]
        pages += [row.code for row in response.context["object_list"]]
        if not page.has_next():
            break
        number += 1
    assert number > 2  # past the bound's pages
    assert sorted(pages) == sorted(Area.objects.values_list("code", flat=True))


def test_a_list_within_the_bound_shows_its_exact_count(areas, city_org, client_for, settings):
    settings.LIST_COUNT_BOUND = 10_000
    response = client_for(city_org).get(reverse("orgs:area_list"), {"view": "list", "per_page": "2"})

    assert f"共 {Area.objects.count()} 条" in response.content.decode()
    assert response.context["paginator"].capped is False


def test_the_api_counts_up_to_the_bound_and_pages_on(areas, city_org, client_for, settings):
    settings.LIST_COUNT_BOUND = 3
    client = client_for(city_org)

    with CaptureQueriesContext(connection) as captured:
        body = client.get("/api/areas/", {"page_size": "2"}).json()

    counts = count_queries(captured)
    assert counts and all("LIMIT 4" in sql for sql in counts), counts
    assert body["count"] == 3 and body["count_capped"] is True
    codes, url = [], "/api/areas/"
    while url:
        body = client.get(url).json()
        codes += [row["code"] for row in body["results"]]
        url = body["next"]
    assert sorted(codes) == sorted(Area.objects.values_list("code", flat=True))


def test_the_api_count_is_exact_within_the_bound(areas, city_org, client_for, settings):
    settings.LIST_COUNT_BOUND = 10_000
    body = client_for(city_org).get("/api/areas/").json()

    assert body["count"] == Area.objects.count() and body["count_capped"] is False


def test_the_export_writes_every_row_past_the_bound(areas, city_org, client_for, settings):
    settings.LIST_COUNT_BOUND = 3
    response = client_for(city_org).get(reverse("orgs:area_list"), {"view": "list", "export": "csv"})

    body = b"".join(response.streaming_content) if response.streaming else response.content
    lines = [line for line in body.decode("utf-8-sig").splitlines() if line.strip()]
    assert len(lines) == Area.objects.count() + 1


def test_the_bounded_count_of_a_grouped_or_values_list_counts_its_own_rows(areas):
    """Counting a list's keys only (no select_related joins) must not change what a grouped or a
    values() list counts: one row a level, not one a level and area."""
    from django.db.models import Count

    from core.paging import BoundedPaginator

    levels = Area.objects.order_by("level").values("level").annotate(n=Count("id"))
    assert BoundedPaginator(levels, 2).count == len({area.level for area in Area.objects.all()}) > 2
    plain = Area.objects.select_related("parent").filter(code__startswith="220104")
    assert BoundedPaginator(plain, 2).count == plain.count() > 2


def test_a_list_that_fits_its_first_page_is_counted_by_its_rows(areas, city_org, client_for, settings):
    settings.LIST_COUNT_BOUND = 10_000
    client = client_for(city_org)
    total = Area.objects.count()

    with CaptureQueriesContext(connection) as captured:
        whole = client.get(reverse("orgs:area_list"), {"view": "list", "per_page": str(total)})
    assert not count_queries(captured)  # the rows read (one ahead) are the count
    assert f"共 {total} 条" in whole.content.decode()

    with CaptureQueriesContext(connection) as captured:
        longer = client.get(reverse("orgs:area_list"), {"view": "list", "per_page": str(total - 1)})
    assert len(count_queries(captured)) == 1  # one more row than the page: counted
    assert f"共 {total} 条" in longer.content.decode()
    assert [row.code for row in longer.context["object_list"]] == [
        row.code for row in whole.context["object_list"][: total - 1]
    ]
