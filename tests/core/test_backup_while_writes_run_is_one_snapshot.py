"""A backup taken while another session keeps committing rows (an import running) is one snapshot:
the manifest's counts are those of the dump, so the restore finds exactly the rows the manifest
names, however many the source holds by then."""

import json
import tarfile
import threading

import psycopg
import pytest

from tests.core.backup_helpers import create_database, current_test_database, database_named, drop_database, manage

pytestmark = pytest.mark.django_db


def count(url, table):
    with psycopg.connect(url) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def keep_writing(url, stop):
    """Commit one row after another into core_statechange until `stop` is set (at most 20,000 rows)."""
    with psycopg.connect(url, autocommit=True) as conn:
        content_type = conn.execute("SELECT min(id) FROM django_content_type").fetchone()[0]
        for n in range(20_000):
            if stop.wait(0.005):
                return
            conn.execute(
                "INSERT INTO core_statechange (object_id, transition, label, from_state, to_state, reason, at,"
                " content_type_id) VALUES (%s, 'import', '导入', 'a', 'b', '', now(), %s)",
                [n, content_type],
            )


def test_the_manifest_counts_what_the_dump_holds_while_rows_are_written(django_db_blocker, tmp_path):
    source, target = current_test_database() + "_bk_busy", current_test_database() + "_bk_busy_dst"
    with django_db_blocker.unblock():
        create_database(source, migrated=True)
        create_database(target)
    try:
        source_url, target_url = database_named(source), database_named(target)
        before = count(source_url, "core_statechange")
        stop = threading.Event()
        writer = threading.Thread(target=keep_writing, args=(source_url, stop))
        writer.start()
        try:
            backup = manage("backup", database=source_url, media_root=tmp_path / "media", backup_dir=tmp_path)
        finally:
            stop.set()
            writer.join(timeout=30)
        after = count(source_url, "core_statechange")
        archive = backup.stdout.strip().splitlines()[-1]
        with tarfile.open(archive) as tar:
            in_manifest = json.load(tar.extractfile("manifest.json"))["row_counts"]["core.StateChange"]

        restored = manage("restore", archive, database=target_url, media_root=tmp_path / "restored")

        assert before < after  # rows were committed while the backup ran
        assert "核对无误" in restored.stdout
        assert count(target_url, "core_statechange") == in_manifest
    finally:
        with django_db_blocker.unblock():
            drop_database(source)
            drop_database(target)
