"""The portal never runs with a key committed to the repository. Without SECRET_KEY, the first
start generates a random key into a file of mode 0600 (SECRET_KEY_FILE, default .secret_key),
every later start and every other process reads it back, and a production-like install
(DATABASE_URL set) gets a deploy warning to set SECRET_KEY, shared by every host."""

import logging
import os
import secrets
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.secret_key import read_or_create
from core.checks import check_secret_key_is_set

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DEPLOY_ENV = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "jiceng.example.gov.cn",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_COOKIES": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
}


def run_python(code, **env):
    """`python -c code` in the repository with the production settings and `env` (None removes)."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    environment.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jiceng_unused")
    for name, value in env.items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    return subprocess.run(
        [sys.executable, *code], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=120
    )


PRINT_SETTINGS_KEY = [
    "-c",
    "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)",
]


def test_the_first_start_generates_a_random_key_into_a_file_only_its_owner_can_read(tmp_path, caplog):
    path = tmp_path / "secret_key"

    with caplog.at_level(logging.WARNING, logger="jiceng.settings"):
        key = read_or_create(path)

    assert len(key) >= 50
    assert path.read_text().strip() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [r.name for r in caplog.records] == ["jiceng.settings"]
    assert str(path) in caplog.records[0].getMessage()
    assert "SECRET_KEY" in caplog.records[0].getMessage()


def test_every_later_start_reads_the_same_key_and_says_nothing(tmp_path, caplog):
    path = tmp_path / "secret_key"
    first = read_or_create(path)
    caplog.clear()

    with caplog.at_level(logging.WARNING, logger="jiceng.settings"):
        again = read_or_create(path)

    assert again == first
    assert caplog.records == []


def test_two_installs_get_different_keys(tmp_path):
    assert read_or_create(tmp_path / "a") != read_or_create(tmp_path / "b")


def test_processes_starting_at_once_all_end_up_with_the_one_key(tmp_path):
    path = tmp_path / "secret_key"
    code = f"from config.secret_key import read_or_create; print(read_or_create({str(path)!r}))"
    processes = [
        subprocess.Popen([sys.executable, "-c", code], cwd=BASE_DIR, stdout=subprocess.PIPE, text=True)
        for _ in range(8)
    ]

    keys = {process.communicate(timeout=60)[0].strip() for process in processes}

    assert keys == {path.read_text().strip()}
    assert all(process.returncode == 0 for process in processes)


def test_a_key_file_another_process_is_still_writing_is_waited_for(tmp_path):
    path = tmp_path / "secret_key"
    path.touch(mode=0o600)  # created by the other process, not yet written

    def write_later():
        time.sleep(0.3)
        path.write_text("key-written-by-the-other-process\n")

    writer = threading.Thread(target=write_later)
    writer.start()
    try:
        assert read_or_create(path) == "key-written-by-the-other-process"
    finally:
        writer.join()


def test_a_key_file_that_cannot_be_written_stops_the_start_up_asking_for_secret_key(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="Set the SECRET_KEY environment variable"):
        read_or_create(tmp_path / "no-such-directory" / "secret_key")


def test_without_secret_key_the_settings_use_the_generated_file_never_a_committed_key(tmp_path):
    path = tmp_path / "secret_key"

    first = run_python(PRINT_SETTINGS_KEY, SECRET_KEY=None, SECRET_KEY_FILE=str(path))
    second = run_python(PRINT_SETTINGS_KEY, SECRET_KEY=None, SECRET_KEY_FILE=str(path))

    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == path.read_text().strip() == second.stdout.strip()
    assert "SECRET_KEY is not set" in first.stderr  # the warning of the first start
    assert "SECRET_KEY is not set" not in second.stderr
    assert "insecure" not in (BASE_DIR / "config" / "settings.py").read_text().lower()


def test_a_secret_key_from_the_environment_is_used_and_no_file_is_written(tmp_path):
    path = tmp_path / "secret_key"

    result = run_python(PRINT_SETTINGS_KEY, SECRET_KEY="k" * 60, SECRET_KEY_FILE=str(path))

    assert result.stdout.strip() == "k" * 60
    assert not path.exists()


# --- the deploy check ---------------------------------------------------------------------------


def test_the_deploy_check_warns_when_a_production_database_runs_with_a_generated_key(settings):
    settings.SECRET_KEY_GENERATED = True
    settings.EMBEDDED_DATABASE = False

    assert [message.id for message in check_secret_key_is_set(None)] == ["jiceng.W001"]


@pytest.mark.parametrize("generated, embedded", [(False, False), (True, True), (False, True)])
def test_the_deploy_check_is_quiet_with_a_key_set_or_on_the_embedded_database(generated, embedded, settings):
    settings.SECRET_KEY_GENERATED = generated
    settings.EMBEDDED_DATABASE = embedded

    assert check_secret_key_is_set(None) == []


@pytest.mark.slow
def test_check_deploy_fails_on_a_generated_key_and_passes_with_one_set_like_make_test(tmp_path):
    command = ["manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    key_file = str(tmp_path / "secret_key")

    generated = run_python(command, **DEPLOY_ENV, SECRET_KEY=None, SECRET_KEY_FILE=key_file)
    set_key = run_python(command, **DEPLOY_ENV, SECRET_KEY=secrets.token_urlsafe(50), SECRET_KEY_FILE=key_file)

    assert generated.returncode != 0
    assert "jiceng.W001" in generated.stderr
    assert set_key.returncode == 0, set_key.stderr
    assert "System check identified no issues" in set_key.stdout
