"""/health/live says the process answers: to anybody, without the database, never cached."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def test_it_answers_ok_to_an_anonymous_probe_without_a_query(db):
    with CaptureQueriesContext(connection) as queries:
        response = Client().get("/health/live")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert len(queries) == 0
    assert "no-store" in response["Cache-Control"]


def test_a_plain_http_probe_is_answered_not_redirected_to_https(db, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = Client().get("/health/live")

    assert response.status_code == 200
