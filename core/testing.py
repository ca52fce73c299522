"""The permission matrix every scoped page and API endpoint passes (KIT.md, STYLE rule 8), in the
spirit of NetBox's utilities/testing: a test module declares its URLs and the objects behind
them; the base runs, for each:

- anonymous → the login page (a page) or 401/403 (the API), and a write saves nothing;
- a user in scope → served (200, or the declared status of a successful write), within the
  declared query bound for lists;
- a user out of scope → 404 (or a form that refuses the foreign choice), and a write saves
  nothing.

    class TestServicePointMatrix(PermissionMatrix):
        pages = [
            Page("kitapp:servicepoint_detail", lambda o: o["point"].get_absolute_url(),
                 insider="street_a", outsider="street_b"),
            ...
        ]

        @pytest.fixture
        def objects(self, areas):
            return {"point": ServicePoint.objects.create(...)}

Every URL name a matrix declares is recorded in COVERED; a guard test fails when a URL of the
project is in no matrix.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

COVERED = set()


@dataclass(frozen=True)
class Page:
    name: str  # the URL name, namespaced: "orgs:area_detail", or the API router's "area-detail"
    url: Callable[[dict], str]  # objects → the URL
    insider: str = ""  # fixture name of a user in scope
    outsider: str = ""  # fixture name of a user out of scope (gets 404)
    method: str = "get"
    data: Callable[[dict], Any] | None = None  # objects → the body of a write
    ok: int = 200  # what the insider gets
    refused: int = 404  # what the outsider gets: 404, or 200 for a form that refuses a foreign choice
    api: bool = False
    max_queries: int | None = None  # a bound for the insider's request (lists and dashboards)
    state: Callable[[dict], Any] | None = None  # objects → what a refused write must leave as it was

    def __str__(self):
        return f"{self.method} {self.name}"

    def send(self, client, objects):
        url = self.url(objects)
        if self.method == "get":
            return client.get(url, HTTP_ACCEPT="application/json" if self.api else "text/html")
        data = self.data(objects) if self.data else {}
        if self.api:
            return getattr(client, self.method)(url, data, content_type="application/json")
        return getattr(client, self.method)(url, data)


class PermissionMatrix:
    """The base of a module's matrix: declare `pages` and an `objects` fixture (a dict)."""

    pages = []

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        COVERED.update(page.name for page in cls.pages)

    @staticmethod
    def client_for(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    @staticmethod
    def for_pages(pages, *, record, insider, outsider, viewer="", max_queries=None, data=None):
        """The matrix rows of a ModelPages declaration (core.views.generic): its list (served in
        scope, within `max_queries`), its add page, and the detail, edit and delete pages of
        `objects[record]` (served to `insider`, 404 to `outsider`); the outsider's POSTs — an add
        with the record's values under its area (the form refuses the foreign choice), an edit, a
        delete — save nothing. `data(objects)`: the POSTed form, by default the record's own
        values with its text changed. `viewer`: who reads the list and the record's page, when not
        the insider (a user who may see but not change)."""
        model = pages.model
        typed = getattr(pages.form, "typed_keys", {})
        form_data = data or (lambda o: changed_values(o[record], pages.form._meta.fields, typed))
        state = model_state(model)
        people = {"insider": insider, "outsider": outsider}

        def url(page, with_pk=False):
            return lambda o: reverse(pages.namespaced(page), args=[o[record].pk] if with_pk else [])

        def name(page):
            return pages.namespaced(page)

        return [
            Page(name("list"), url("list"), insider=viewer or insider, max_queries=max_queries),
            Page(name("add"), url("add"), insider=insider),
            Page(name("add"), url("add"), method="post", data=form_data, outsider=outsider, refused=200, state=state),
            Page(name("detail"), url("detail", True), insider=viewer or insider, outsider=outsider),
            Page(name("edit"), url("edit", True), **people),
            Page(name("edit"), url("edit", True), method="post", data=form_data, outsider=outsider, state=state),
            Page(name("delete"), url("delete", True), **people),
            Page(name("delete"), url("delete", True), method="post", outsider=outsider, state=state),
        ]

    @staticmethod
    def for_api(viewset, *, record, insider, outsider, max_queries=None, data=None):
        """The matrix rows of a ScopedViewSet registered with the API router (core.registry): its
        list (served in scope, within `max_queries`) and `objects[record]` read (served to
        `insider`, 404 to `outsider`); the outsider's create with the record's values (400: its
        related records are not found), change and delete save nothing. `data(objects)`: the
        change's body, by default the record's first text field changed."""
        from .registry import registry

        basename = next(base for _prefix, registered, base in registry.api_routes if registered is viewset)
        model = viewset.queryset.model
        state = model_state(model)
        people = {"insider": insider, "outsider": outsider}

        def detail(o):
            return reverse(f"{basename}-detail", args=[getattr(o[record], viewset.lookup_field or "pk")])

        def body(o):
            """The record as the API writes it, its text changed and its personal data whole."""
            obj = o[record]
            written = {key: value for key, value in viewset.serializer_class(obj).data.items() if key != "id"}
            whole = {
                name: getattr(obj, name) for name in getattr(type(obj), "personal_data_fields", {}) if name in written
            }
            changed = data(o) if data else changed_text(obj, list(written))  # a record without free text: `data`
            return {**written, **whole, **changed}

        def change(o):
            return data(o) if data else changed_text(o[record], list(body(o)))

        def listed(o):
            return reverse(f"{basename}-list")

        return [
            Page(f"{basename}-list", listed, insider=insider, api=True, max_queries=max_queries),
            Page(
                f"{basename}-list",
                listed,
                method="post",
                data=body,
                outsider=outsider,
                api=True,
                refused=400,
                state=state,
            ),
            Page(f"{basename}-detail", detail, api=True, **people),
            Page(f"{basename}-detail", detail, method="patch", data=change, outsider=outsider, api=True, state=state),
            Page(f"{basename}-detail", detail, method="delete", outsider=outsider, api=True, state=state),
        ]

    def state_of(self, page, objects):
        return page.state(objects) if page.state else None

    def test_an_anonymous_visitor_is_sent_to_log_in(self, matrix_page, objects):
        before = self.state_of(matrix_page, objects)

        response = matrix_page.send(Client(), objects)

        if matrix_page.api:
            assert response.status_code in (401, 403), response.content[:300]
        else:
            assert response.status_code == 302, (matrix_page, response.status_code)
            url = matrix_page.url(objects)
            assert response["Location"].startswith("/login/?next=" + quote(url.split("?")[0], safe="/"))
        assert self.state_of(matrix_page, objects) == before

    def test_a_user_in_scope_is_served(self, matrix_page, objects, request):
        client = self.client_for(request.getfixturevalue(matrix_page.insider))

        with CaptureQueriesContext(connection) as queries:
            response = matrix_page.send(client, objects)

        assert response.status_code == matrix_page.ok, (matrix_page, response.content[:500])
        if matrix_page.max_queries is not None:
            assert len(queries) <= matrix_page.max_queries, (matrix_page, len(queries))

    def test_a_user_out_of_scope_gets_404_and_changes_nothing(self, matrix_page, objects, request):
        client = self.client_for(request.getfixturevalue(matrix_page.outsider))
        before = self.state_of(matrix_page, objects)

        response = matrix_page.send(client, objects)

        assert response.status_code == matrix_page.refused, (matrix_page, response.status_code, response.content[:300])
        assert self.state_of(matrix_page, objects) == before


def model_state(model):
    """objects → every row of `model`, every concrete column: what a refused write must leave."""
    names = [field.attname for field in model._meta.concrete_fields]
    return lambda objects: list(model._base_manager.order_by("pk").values_list(*names))


def is_free_text(field):
    """A text field any text fits: not a choice, a phone or ID number, or a text of a pattern."""
    from django.core.validators import RegexValidator
    from django.db import models

    return (
        isinstance(field, models.CharField)
        and not field.choices
        and not hasattr(field, "identity_clean")
        and not any(isinstance(validator, RegexValidator) for validator in field.validators)
    )


def changed_values(obj, names, typed_keys=None):
    """The form of `obj`'s `names` with its text changed (越权…), so that a write that got through
    would show in the state, and could not fail on a unique name instead. A choice the form types
    by a key (ScopedModelForm.typed_keys: an area by its code) is posted as that key, several as
    the form reads them; a to-many choice otherwise by its records' ids."""
    from django.forms.models import model_to_dict

    from .forms import key_of

    typed_keys = typed_keys or {}
    values = model_to_dict(obj, fields=names)
    for name in values:
        field = obj._meta.get_field(name)
        if name in typed_keys:
            keys = key_of(obj, name, typed_keys[name])
            values[name] = " ".join(keys) if field.many_to_many else keys
        elif field.many_to_many:
            values[name] = [related.pk for related in values[name]]
        elif is_free_text(field):
            values[name] = ("越权" + (values[name] or ""))[: field.max_length]
    return {key: ("" if value is None else value) for key, value in values.items()}


def changed_text(obj, names):
    """{the first text field of `names`: its value changed}: a PATCH that would show in the state."""
    for name in names:
        field = next((f for f in obj._meta.concrete_fields if f.name == name), None)
        if field is not None and is_free_text(field):
            return {name: ("越权" + getattr(obj, name))[: field.max_length]}
    raise ValueError(f"{type(obj).__name__} has no text field among {names}: pass data=")


# Which pages each test of the matrix runs for: those that name the user it needs.
NEEDS = {
    "test_a_user_in_scope_is_served": "insider",
    "test_a_user_out_of_scope_gets_404_and_changes_nothing": "outsider",
}


def parametrize_matrix(metafunc):
    """For tests/conftest.py's pytest_generate_tests: each matrix test runs once per page."""
    if "matrix_page" in metafunc.fixturenames and metafunc.cls is not None:
        needed = NEEDS.get(metafunc.function.__name__)
        pages = [page for page in metafunc.cls.pages if not needed or getattr(page, needed)]
        metafunc.parametrize("matrix_page", pages, ids=[str(page) for page in pages])


@dataclass(frozen=True)
class Case:
    """Where a matrix takes one declared transition: its page's URL (objects → URL), the users in
    and out of scope, the page's POST body and the API's (objects → dict)."""

    url: Callable[[dict], str]
    insider: str
    outsider: str
    data: Callable[[dict], Any] | None = None
    api_data: Callable[[dict], Any] | None = None


def transition_pages(machine, *, page_name, cases, state, api_name="", api_url=None):
    """The matrix rows of a state machine's declared transitions (core/transitions.py): for each,
    its confirmation page (served in scope, 404 outside), its POST (a redirect in scope; outside:
    404 and `state(objects)` unchanged) and, with `api_name`, its API action (200 in scope, 404
    outside, nothing changed). `page_name` and `api_name` are URL names with `{name}` for the
    transition's; `api_url(transition)` its address. A transition without a case fails here."""
    rows = []
    for t in machine:
        case = cases[t.name]
        name = page_name.format(name=t.name)
        people = {"insider": case.insider, "outsider": case.outsider}
        rows.append(Page(name, case.url, **people))
        rows.append(Page(name, case.url, method="post", data=case.data, ok=302, state=state, **people))
        if api_name:
            rows.append(
                Page(
                    api_name.format(name=t.name),
                    lambda o, t=t: api_url(t),
                    method="post",
                    data=case.api_data,
                    api=True,
                    state=state,
                    **people,
                )
            )
    return rows
