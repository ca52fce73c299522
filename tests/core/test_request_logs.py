"""Logs an operator reads: with LOG_JSON, one JSON line per request (its id, the user, the view, the
status, the duration and the queries), ID numbers masked as in the plain lines; and a request slower
than SLOW_REQUEST_MS logged at WARNING with its slowest queries, masked, JSON or not."""

import json
import logging
import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client

from core.logs import RedactingFormatter
from tests import helpers

ID_NUMBER = "220104199001011234"
MASKED = "220104********1234"

REQUEST_IN_A_FRESH_PROCESS = """
import os, sys
import django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
client.cookies["sessionid"] = os.environ["TEST_SESSION"]
response = client.get(os.environ["TEST_PATH"])
print("STATUS", response.status_code)
"""


@pytest.mark.django_db(transaction=True)
def test_with_log_json_a_request_is_one_json_line_with_its_fields_and_numbers_masked(city_org):
    client = Client()
    client.force_login(city_org)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": helpers.database_url(connection.settings_dict),
        "SECRET_KEY": django_settings.SECRET_KEY,
        "LOG_JSON": "1",
        "LOG_LEVEL": "WARNING",
        "TEST_SESSION": client.cookies["sessionid"].value,
        "TEST_PATH": f"/notices/?q={ID_NUMBER}",
    }
    env.pop("REDIS_URL", None)

    done = subprocess.run(
        [sys.executable, "-c", REQUEST_IN_A_FRESH_PROCESS],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0 and "STATUS 200" in done.stdout, done.stderr
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    requests = [line for line in lines if line.get("event", "").startswith("request_")]
    assert len(requests) == 1, done.stderr
    line = requests[0]
    assert line["event"] == "request_finished" and line["level"] == "info"
    assert uuid.UUID(line["request_id"])
    assert line["user_id"] == city_org.pk
    assert line["view"] == "core:notice_list" and line["status"] == 200
    assert line["duration_ms"] > 0 and line["queries"] > 0 and line["query_ms"] >= 0
    assert line["request"] == f"GET /notices/?q={MASKED}"
    assert ID_NUMBER not in done.stderr


def test_a_slow_request_is_logged_with_its_queries_masked_and_truncated(city_org, client_for, settings, caplog):
    settings.SLOW_REQUEST_MS = 0  # every request is slow
    client = client_for(city_org)
    settings.SLOW_REQUEST_QUERIES = 3
    with caplog.at_level(logging.WARNING, logger="jiceng.slow_requests"):
        client.get(f"/search/?q={ID_NUMBER}")
    [three] = [r for r in caplog.records if r.name == "jiceng.slow_requests"]
    caplog.clear()
    settings.SLOW_REQUEST_QUERIES = 100  # every query of it

    with caplog.at_level(logging.WARNING, logger="jiceng.slow_requests"):
        client.get(f"/search/?q={ID_NUMBER}")

    [record] = [r for r in caplog.records if r.name == "jiceng.slow_requests"]
    assert record.levelno == logging.WARNING
    assert record.view == "core:search" and record.status == 200
    assert record.queries > 3 and len(record.slowest_queries) == record.queries
    assert len(three.slowest_queries) == 3
    assert [query["ms"] for query in three.slowest_queries] == sorted(
        (query["ms"] for query in three.slowest_queries), reverse=True
    )
    assert all(len(query["sql"]) <= 1001 for query in record.slowest_queries)
    assert any(MASKED in query["sql"] for query in record.slowest_queries), record.slowest_queries
    assert not any(ID_NUMBER in query["sql"] for query in record.slowest_queries)
    line = RedactingFormatter().format(record)  # as the log shows it: the path's number masked too
    assert "slow request GET /search/?q=" + MASKED in line and "SELECT" in line and ID_NUMBER not in line


def test_a_quick_request_is_not_logged_as_slow(city_org, client_for, settings, caplog):
    settings.SLOW_REQUEST_MS = 60_000

    with caplog.at_level(logging.WARNING, logger="jiceng.slow_requests"):
        client_for(city_org).get("/")

    assert [r for r in caplog.records if r.name == "jiceng.slow_requests"] == []
