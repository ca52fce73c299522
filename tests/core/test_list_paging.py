"""Every list page of the kit (core.views.generic.ObjectListView, whatever app declares it) takes
its page size from ?per_page= but bounds and cleans it: a negative, zero, huge or non-numeric
size is never a server error and never a page of the whole table."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.tables import MAX_PER_PAGE
from core.views.generic import ObjectListView

BAD_SIZES = ["-1", "0", "-99999999999999999999", "99999999999999999999", "100000", "abc", "1e3", "", " 5 "]


def list_pages(resolver=None, namespace=""):
    """(URL name, its keyword arguments' names) of every page served by a list view of the kit."""
    pages = []
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            pages += list_pages(pattern, inner)
        elif isinstance(pattern, URLPattern):
            view = getattr(pattern.callback, "view_class", None)
            if view is not None and issubclass(view, ObjectListView):
                pages.append((namespace + pattern.name, sorted(pattern.pattern.converters)))
    return pages


def test_the_list_pages_are_found_in_every_app():
    names = {name for name, _kwargs in list_pages()}

    assert {"orgs:area_list", "party:partymember_list", "grids:roster", "kitapp:servicepoint_list"} <= names


@pytest.mark.parametrize("size", BAD_SIZES)
def test_every_list_page_answers_a_bad_page_size_with_a_bounded_page(size, areas, city_org, client_for):
    client = client_for(city_org)
    served = []
    for name, kwargs in list_pages():
        url = reverse(name, kwargs={kwarg: "2201" for kwarg in kwargs})

        response = client.get(url, {"per_page": size, "view": "list"})  # view=list: the area list's table

        assert response.status_code == 200, (name, size, response.status_code)
        assert 1 <= response.context["paginator"].per_page <= MAX_PER_PAGE, (name, size)
        served.append(name)
    assert len(served) >= 9


def test_a_bad_page_number_shows_a_page_too(areas, city_org, client_for):
    client = client_for(city_org)
    for page in ["-1", "0", "abc", "99999999999999999999"]:
        response = client.get(reverse("party:partymember_list"), {"page": page, "per_page": "-1"})

        assert response.status_code == 200, page


def test_a_sensible_page_size_is_honoured_and_a_huge_one_capped(areas, city_org, client_for):
    client = client_for(city_org)

    small = client.get(reverse("orgs:area_list"), {"per_page": "5"})
    huge = client.get(reverse("orgs:area_list"), {"per_page": "100000"})
    negative = client.get(reverse("orgs:area_list"), {"per_page": "-1"})

    assert small.context["paginator"].per_page == 5
    assert len(small.context["object_list"]) == 5
    assert huge.context["paginator"].per_page == MAX_PER_PAGE
    assert negative.context["paginator"].per_page == 50  # the list's own size
    assert len(negative.context["object_list"]) == 12  # the whole small tree, on one page


def test_an_export_with_a_bad_page_size_still_holds_every_row(areas, city_org, client_for):
    response = client_for(city_org).get(reverse("orgs:area_list"), {"per_page": "-1", "export": "csv"})

    assert response.status_code == 200
    assert len(response.content.decode("utf-8-sig").strip().splitlines()) == 1 + 12
