"""The embedded PostgreSQL (config/embedded.py) in a data folder of its own: stop() stops it and
keeps the folder, status() tells it without starting it, start() brings it back with the rows
written before (even after a killed process left the wheel's list of handles empty); and
`python -m config.status` tells where the data lives without giving a password away."""

import subprocess
import sys

import psycopg
import pytest

from config import embedded
from tests.helpers import BASE_DIR


@pytest.fixture
def pgdata(tmp_path):
    folder = tmp_path / "pgdata"
    yield folder
    embedded.stop(folder)


def test_stop_keeps_the_data_and_start_brings_it_back(pgdata):
    url = embedded.start(pgdata, database="kept")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE note (body text)")
        conn.execute("INSERT INTO note VALUES ('记下的一行')")
    running = embedded.status(pgdata)

    assert running.running and running.pid and running.uri("kept")
    assert embedded.stop(pgdata) is True
    stopped = embedded.status(pgdata)
    assert not stopped.running and stopped.initialised
    assert (pgdata / "PG_VERSION").exists()
    assert embedded.stop(pgdata) is False  # stopping a stopped server is no error

    url = embedded.start(pgdata, database="kept")
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT body FROM note").fetchall() == [("记下的一行",)]
    assert embedded.status(pgdata).pid != running.pid


def test_status_does_not_start_a_stopped_server(pgdata):
    assert embedded.status(pgdata).initialised is False
    embedded.start(pgdata)
    embedded.stop(pgdata)

    assert embedded.status(pgdata).running is False
    assert embedded.status(pgdata).running is False


def test_make_status_tells_where_the_data_lives(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "MEDIA_ROOT": str(tmp_path / "media"), "BACKUP_DIR": str(tmp_path / "bk")}
    server = subprocess.run(
        [sys.executable, "-m", "config.status"],
        cwd=BASE_DIR,
        env={**env, "DATABASE_URL": "postgres://someone:s3cret@127.0.0.1:1/none"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert server.returncode == 0, server.stderr
    assert "someone:***@127.0.0.1:1/none" in server.stdout and "s3cret" not in server.stdout
    assert "无应答" in server.stdout
    assert str(tmp_path / "media") in server.stdout and str(tmp_path / "bk") in server.stdout
    assert "任务在网站进程内执行" in server.stdout


def test_start_survives_a_handle_list_left_empty_by_a_killed_process(pgdata):
    embedded.start(pgdata)
    embedded.stop(pgdata)
    (pgdata / ".handle_pids.json").write_text("")  # what a process killed while rewriting it leaves

    url = embedded.start(pgdata)

    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
