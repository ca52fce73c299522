"""`manage.py upgrade` stops before it changes anything when the database was migrated by a newer
release than the code (a rollback of the code without restoring the backup taken before the
upgrade): migrating would leave tables the code does not know, and collectstatic would replace the
newer release's files."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection


@pytest.mark.django_db
def test_upgrade_refuses_a_database_migrated_by_a_newer_release(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES ('orgs', '0099_from_a_newer_release', now())"
        )

    with pytest.raises(CommandError, match="orgs.0099_from_a_newer_release") as refused:
        call_command("upgrade", "--skip-backup")

    assert "恢复升级前的备份" in str(refused.value)
    assert not settings.STATIC_ROOT.exists()
