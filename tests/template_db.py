"""A migrated test database kept as a PostgreSQL template, named by what made it.

Migrating an empty database takes a minute and a half of one CPU (Django renders the state of every
related model after each operation, and pghistory's event models relate nearly every model to the
areas and the users). What comes out depends only on the migrations and the code they import, so
the first test process to need a database migrates its own and copies it to a template named by a
hash of those files (`jiceng_tmpl_<hash>`); every later test database — the other process's, the
next run's — is a copy of it (`CREATE DATABASE … TEMPLATE`, a second or two). A changed migration,
or a changed module a migration imports, gives another name, so a stale template is never used:
the next run migrates afresh and replaces it.

The processes of one run agree through a PostgreSQL advisory lock: the first migrates while the
other waits, then copies. `--create-db` is still honoured for the test database itself.
"""

import hashlib
import re
from contextlib import contextmanager
from pathlib import Path

import django
import psycopg
from django.conf import settings
from django.db import connections

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "jiceng_tmpl_"
LOCK_KEY = 72_011_021  # any number the project does not use for another advisory lock
PACKAGES = "core|orgs|party|grids|assessment|property|services|funds|workforce|tests"
PROJECT_IMPORT = re.compile(rf"^\s*(?:from|import)\s+((?:{PACKAGES})(?:\.\w+)*)", re.M)


def migration_files():
    """Every migration module of the project (the test app's too), sorted."""
    return sorted(p for p in ROOT.glob("**/migrations/*.py") if ".venv" not in p.parts)


def imported_files(paths):
    """The project's modules that the files `paths` import (a migration's helpers, fields, models)."""
    found = set()
    for path in paths:
        for module in PROJECT_IMPORT.findall(path.read_text(encoding="utf-8")):
            parts = module.split(".")
            while parts:  # "from core.tallies import x" → core/tallies.py; "import a.b.c" → the deepest file
                candidate = ROOT.joinpath(*parts)
                if candidate.with_suffix(".py").is_file():
                    found.add(candidate.with_suffix(".py"))
                    break
                if (candidate / "__init__.py").is_file():
                    found.add(candidate / "__init__.py")
                    break
                parts.pop()
    return found


def fingerprint():
    """A hash of what a migrated database is made of: the migrations, the modules they import, the
    apps installed and the versions of Django and of the migration-writing libraries."""
    import pghistory
    import pgtrigger

    digest = hashlib.sha256()
    digest.update(repr((django.__version__, pghistory.__version__, getattr(pgtrigger, "__version__", ""))).encode())
    digest.update(repr(list(settings.INSTALLED_APPS)).encode())
    files = migration_files()
    for path in sorted(set(files) | imported_files(files)):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def admin_connection():
    """An autocommit connection to the server's maintenance database, as the test user."""
    db = settings.DATABASES["default"]
    return psycopg.connect(
        dbname="postgres",
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        autocommit=True,
    )


def exists(cursor, name):
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


def quoted(name):
    return '"' + name.replace('"', '""') + '"'


def copy_template(cursor, template, name, recreate):
    if exists(cursor, name):
        if not recreate:
            return False  # a kept database (--reuse-db)
        cursor.execute(f"DROP DATABASE {quoted(name)} WITH (FORCE)")
    cursor.execute(f"CREATE DATABASE {quoted(name)} TEMPLATE {quoted(template)}")
    return True


@contextmanager
def migrated_once(test_name, recreate, also=()):
    """Around the test database's setup: yields True when `test_name` was made here as a copy of the
    current template (the setup then keeps it and finds nothing to migrate), False when the setup
    must migrate it — afterwards the migrated database is copied to the template for the others.
    The test databases named in `also` (a second alias's: the replica's) are copies of the template
    either way, made under the same lock (another checkout's run may drop a template it finds stale)."""
    template = PREFIX + fingerprint()
    with admin_connection() as admin, admin.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        try:
            copied = exists(cursor, template)
            if copied:
                copied = copy_template(cursor, template, test_name, recreate)  # not: the setup migrates what is new
                for name in also:
                    copy_template(cursor, template, name, recreate)
            yield copied
            if not copied:
                for alias in connections:
                    connections[alias].close()  # a template is copied only when nobody is connected
                cursor.execute(
                    "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s", [PREFIX + "%", template]
                )
                for (stale,) in cursor.fetchall():
                    try:
                        cursor.execute(f"DROP DATABASE {quoted(stale)}")
                    except psycopg.errors.ObjectInUse:
                        pass  # another checkout's run is copying it: it goes next time
                if not exists(cursor, template):
                    cursor.execute(f"CREATE DATABASE {quoted(template)} TEMPLATE {quoted(test_name)}")
                for name in also:
                    copy_template(cursor, template, name, recreate)
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def copy_of_template(name):
    """`name` made afresh as a copy of the migrated template, under the templates' lock — for a test
    that needs a database of its own (the worker's test database cannot be copied: its live server's
    threads hold connections to it). False when there is no template (another checkout's run dropped
    it as stale)."""
    template = PREFIX + fingerprint()
    with admin_connection() as admin, admin.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        try:
            if not exists(cursor, template):
                return False
            copy_template(cursor, template, name, recreate=True)
            return True
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def disconnect_others(test_name):
    """At the end of the session, the sessions still connected to the test database (a thread's
    connection a test left open): ended, so that the database can be dropped."""
    with admin_connection() as admin, admin.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [test_name],
        )
