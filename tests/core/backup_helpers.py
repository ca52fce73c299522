"""What the backup tests share: databases of their own on the test server, and manage.py in a subprocess."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import psycopg
from django.db import connections

from tests.helpers import BASE_DIR, database_url
from tests.template_db import admin_connection, copy_of_template, quoted


def database_named(name):
    """A DATABASE_URL for the database `name` on the test database's server."""
    settings_dict = {**connections["default"].settings_dict, "NAME": name}
    options = settings_dict.get("OPTIONS") or {}
    settings_dict["OPTIONS"] = {k: v for k, v in options.items() if k in ("host", "port")}  # not the jit option
    return database_url(settings_dict)


def current_test_database():
    return connections["default"].settings_dict["NAME"]


def create_database(name, migrated=False):
    """`name` afresh: empty, or `migrated` — a copy of the suite's migrated template (the worker's own
    test database cannot be copied while its live server's threads hold connections to it), else
    migrated here."""
    if migrated and copy_of_template(name):
        return
    with admin_connection() as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {quoted(name)} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {quoted(name)}")
    if migrated:  # no template to copy (another checkout's run dropped it): the migrations, a minute or two
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=BASE_DIR,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test", "DATABASE_URL": database_named(name)},
            check=True,
        )


def drop_database(name):
    with admin_connection() as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {quoted(name)} WITH (FORCE)")


def manage(*args, database, media_root, backup_dir=None, check=True):
    """`manage.py *args` in a subprocess with the test settings, on `database` and `media_root`."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings_test",
        DATABASE_URL=database,
        MEDIA_ROOT=str(media_root),
        BACKUP_DIR=str(backup_dir or Path(media_root).parent / "backups"),
        PYTHONWARNINGS="ignore",
    )
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )
    if check and result.returncode:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def relations(url):
    """Every table of the public schema of the database at `url`, sorted."""
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename").fetchall()
    return [row[0] for row in rows]


def table_counts(url):
    """{table: rows} of every table of the public schema."""
    with psycopg.connect(url) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {quoted(t)}").fetchone()[0] for t in relations(url)}


def file_hashes(root):
    """{relative path: sha256} of every file under `root`."""
    root = Path(root)
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }
