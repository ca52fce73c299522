"""The API as an outside client sees it (issue 16, §6; acceptance 5): Schemathesis, the public
OpenAPI fuzzer, generates requests from `/api/schema/` for every operation, as a community cadre
and as a grid worker of the cast, and every answer must be no server error, carry a status code
the schema documents, and match the schema (body and content type).

Each operation is fuzzed with valid data (positive) and with data the schema refuses (negative),
and — where its path names a record — once more on a record the user can see, so that updates and
deletes reach real rows (a party organisation with members, meetings and children among them);
a create is sent once more with renamed copies of records the user sees, so that it can succeed.
The examples are fixed (derandomize) and bounded (`EXAMPLES`), so that a red run is the same run
again; every request is rolled back to a savepoint, so that each one meets the same records.
The grid worker's run is a module of its own (test_api_under_schemathesis_grid.py), so that the two
runs — minutes each — go to the two test workers (pytest-xdist's --dist loadfile) side by side.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.grids.conftest import cast_roster, holder, id_number  # noqa: F401  (fixtures: the roster)
from tests.party.conftest import community_a1, party, unit_user  # noqa: F401  (fixtures: the party side)

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance]
EXAMPLES = 6  # per operation and run: two to three minutes of CPU a user (the suite keeps under 15 minutes)


def load_schema(user):
    client = Client()
    client.force_login(user)
    answer = client.get("/api/schema/", {"format": "json"})
    assert answer.status_code == 200
    return schemathesis.openapi.from_dict(answer.json())


def rows(headers, listing):
    """The records (as dicts) the user sees on the first page of the list `listing`."""
    client = Client(HTTP_AUTHORIZATION=headers["Authorization"])
    answer = client.get(listing)
    if answer.status_code != 200:
        return []
    body = answer.json()
    found = body.get("results", []) if isinstance(body, dict) else body
    return [row for row in found if isinstance(row, dict)]


def a_visible_record(headers, operation):
    """The path parameters of the first record the user sees in the list beside `operation`'s
    path ("/api/x/{id}/" → "/api/x/"), or None."""
    names = [p.name for p in operation.path_parameters]
    tail = "{" + names[0] + "}/" if len(names) == 1 else None
    if tail is None or not operation.path.endswith(tail):
        return None
    found = rows(headers, operation.path[: -len(tail)])
    return {names[0]: found[0][names[0]]} if found and names[0] in found[0] else None


def copies_of_visible_records(headers, operation):
    """For a create: the first and the last record the user sees, renamed, as bodies; random
    bodies seldom pass the rules, and the answer to a create that succeeds must match the schema
    too. (The last is often the deepest: its parent is in the user's scope.)"""
    if operation.method.upper() != "POST" or operation.path_parameters:
        return []
    found = rows(headers, operation.path)
    picked = [found[0], found[-1]] if len(found) > 1 else found
    return [{**row, "name": f"{row['name']}（副本）"} if isinstance(row.get("name"), str) else row for row in picked]


def fuzz(user):
    """Every failure of every operation, one line each."""
    schema = load_schema(user)
    app = get_wsgi_application()
    headers = {"Authorization": f"Token {Token.objects.create(user=user).key}"}
    failures = set()
    for result in schema.get_all_operations():
        operation = result.ok()
        runs = [{"generation_mode": mode} for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)]
        existing = a_visible_record(headers, operation)
        if existing:
            runs.append({"path_parameters": existing})
        copies = copies_of_visible_records(headers, operation)
        runs += [{"body": copy, "media_type": "application/json"} for copy in copies]
        for arguments in runs:
            failures.update(examples_failing(operation.as_strategy(**arguments), app, headers))
    return sorted(failures)


def examples_failing(strategy, app, headers):
    """The failures of EXAMPLES fixed examples of `strategy`, each sent in-process and rolled back."""
    failures = set()

    @given(case=strategy)
    @hypothesis_settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def send(case):
        savepoint = transaction.savepoint()
        try:
            response = call_in_process(case, app, headers)
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except FailureGroup as group:
                failures.update(
                    f"{case.operation.label}: {failure.title} — {failure.message[:300]!r}"
                    f" — {case.method} {case.formatted_path} {case.query!r} {case.body!r}"[:900]
                    for failure in group.exceptions
                )
        finally:
            transaction.savepoint_rollback(savepoint)

    send()
    return failures


def call_in_process(case, app, headers):
    """As Django's test client does: the test's connection (and its transaction) outlives the
    request, which the WSGI handler's signals would otherwise close."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        return case.call(app=app, headers=headers)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def phones_on_record(request):
    """Personal data to answer masked: a unit's contact phone (a pattern of the whole number)."""
    unit = request.getfixturevalue("party")["unit"]
    unit.contact_phone = "0431-88889999"
    unit.save()


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.usefixtures("party", "cast_roster", "phones_on_record")
@pytest.mark.parametrize("who", ["community_a1"])  # the grid worker's: test_api_under_schemathesis_grid.py
def test_every_operation_answers_as_its_schema_says(who, request):
    failures = fuzz(request.getfixturevalue(who))

    assert failures == [], "\n".join(failures)
