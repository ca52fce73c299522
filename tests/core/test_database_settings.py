"""The portal's database connections run without PostgreSQL's JIT (DB_JIT, default off): it
compiled the short subtree queries of the coverage pages in longer than they ran (issue #8,
measured in bench/import_roster.py). An operator can turn it on or leave the server's setting."""

import pytest
from django.db import connection

from tests.orgs.test_secret_key import run_python

SHOW_JIT_OPTION = [
    "-c",
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.DATABASES['default'].get('OPTIONS', {}).get('options', '-'))",
]


@pytest.mark.django_db
def test_the_portals_connection_runs_without_jit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


@pytest.mark.parametrize(("value", "options"), [(None, "-c jit=off"), ("on", "-c jit=on"), ("server", "-")])
def test_db_jit_sets_the_connection_option_or_leaves_the_servers(value, options):
    result = run_python(SHOW_JIT_OPTION, DB_JIT=value)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == options


def test_a_bad_db_jit_stops_start_up_with_a_message():
    result = run_python(SHOW_JIT_OPTION, DB_JIT="maybe")

    assert result.returncode != 0
    assert "DB_JIT must be on, off or server" in result.stderr
