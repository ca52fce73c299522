"""/health/ready, without Redis (tasks in-process, as the embedded default runs them): every check
named with its state and time; 503 naming what fails — the database down or unreachable within
two seconds, a migration not applied, the media folder not writable, a job queued too long — and
nothing of the portal's data or hosts in the answer."""

import time
from contextlib import contextmanager

import pytest
from django.db import connection, connections
from django.test import Client

from core import health
from core.choices import JobStatus
from core.models import ImportJob
from tests import helpers

CHECKS = ["database", "migrations", "redis", "worker", "beat", "media", "queued_jobs"]


def ready():
    started = time.monotonic()
    response = Client().get("/health/ready")
    return response, time.monotonic() - started


@contextmanager
def database_at(host, port):
    """The portal's database settings pointed at another server, for the checks' connections."""
    settings_dict = connections.settings["default"]
    saved = settings_dict["HOST"], settings_dict["PORT"]
    settings_dict["HOST"], settings_dict["PORT"] = host, port
    try:
        yield
    finally:
        settings_dict["HOST"], settings_dict["PORT"] = saved


def test_everything_up_answers_200_with_each_check_its_state_and_time(db):
    response, _ = ready()

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok" and body["failing"] == []
    assert [check["name"] for check in body["checks"]] == CHECKS
    states = {check["name"]: check["state"] for check in body["checks"]}
    assert states == {
        "database": "ok",
        "migrations": "ok",
        "redis": "in-process",
        "worker": "in-process",
        "beat": "in-process",
        "media": "ok",
        "queued_jobs": "ok",
    }
    assert all(isinstance(check["ms"], float) for check in body["checks"])
    assert "no-store" in response["Cache-Control"]


def test_the_database_on_a_closed_port_answers_503_naming_it_within_two_seconds(db):
    with database_at("127.0.0.1", "1"):
        response, elapsed = ready()

    assert response.status_code == 503
    body = response.json()
    assert {"database", "migrations", "queued_jobs"} <= set(body["failing"])
    assert body["status"] == "fail"
    assert elapsed < 2.0, elapsed


def test_a_database_that_accepts_and_never_answers_gives_503_within_two_seconds(db):
    with helpers.hung_tcp_server() as port, database_at("127.0.0.1", str(port)):  # a server stuck
        response, elapsed = ready()

    assert response.status_code == 503
    body = response.json()
    assert {"database", "migrations", "queued_jobs"} <= set(body["failing"])
    assert "1000 毫秒内应答" in next(check for check in body["checks"] if check["name"] == "database")["message"]
    assert elapsed < 2.0, elapsed


def test_the_answer_reveals_no_host_nor_port_of_the_database(db):
    with database_at("127.0.0.1", "1"):
        response, _ = ready()

    text = response.content.decode()
    assert "127.0.0.1" not in text and '"1"' not in text
    assert connection.settings_dict["NAME"] not in text


def test_a_media_folder_that_cannot_be_written_is_named(db, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.MEDIA_ROOT = blocker / "media"  # a folder inside a file: nothing can be written there

    response, _ = ready()

    assert response.status_code == 503
    assert response.json()["failing"] == ["media"]
    media = next(check for check in response.json()["checks"] if check["name"] == "media")
    assert media["message"] == "媒体文件目录不可写"


@pytest.mark.django_db(transaction=True)
def test_a_job_queued_longer_than_the_bound_is_named(city_org, settings):
    settings.HEALTH_QUEUED_JOB_MINUTES = 15
    job = ImportJob.objects.create(user=city_org, kind="areas", filename="a.csv", content=b"", status=JobStatus.QUEUED)
    ImportJob.objects.filter(pk=job.pk).update(created_at=job.created_at - health.datetime.timedelta(minutes=14))

    assert ready()[0].status_code == 200  # 14 minutes: within the bound

    ImportJob.objects.filter(pk=job.pk).update(created_at=job.created_at - health.datetime.timedelta(minutes=16))
    response, _ = ready()

    assert response.status_code == 503
    assert response.json()["failing"] == ["queued_jobs"]


@pytest.mark.django_db(transaction=True)
def test_a_migration_not_applied_is_named():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, app, name, applied FROM django_migrations WHERE app = 'core' ORDER BY id DESC LIMIT 1"
        )
        row = cursor.fetchone()
        cursor.execute("DELETE FROM django_migrations WHERE id = %s", [row[0]])
    try:
        response, _ = ready()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO django_migrations (id, app, name, applied) VALUES (%s, %s, %s, %s)", row)

    assert response.status_code == 503
    assert response.json()["failing"] == ["migrations"]
    assert ready()[0].status_code == 200


def test_a_squashed_migration_counts_as_applied_when_all_it_replaces_are():
    on_disk = {("a", "0001_squashed"): (("a", "0001"), ("a", "0002")), ("a", "0003"): ()}

    assert health.unapplied(on_disk, {("a", "0001"), ("a", "0002"), ("a", "0003")}) == []
    assert health.unapplied(on_disk, {("a", "0001"), ("a", "0003")}) == [("a", "0001_squashed")]
    assert health.unapplied(on_disk, {("a", "0001_squashed")}) == [("a", "0003")]


def test_a_failing_answer_is_logged_once_naming_the_checks(db, caplog, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker / "media"

    with caplog.at_level("WARNING"):
        ready()

    assert [r.getMessage() for r in caplog.records if r.name == "jiceng.health"] == ["not ready: media"]
