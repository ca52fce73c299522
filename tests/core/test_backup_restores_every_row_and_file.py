"""A seeded demo city with its evidence files, backed up (`manage.py backup`) and restored
(`manage.py restore`) into a database of its own and another media folder: every table's count,
every file's hash and the history's rows come back equal; `--force` replaces a database that
holds data, leaving nothing of what was there."""

import json
import tarfile

import psycopg
import pytest

from core.backups import MAIN_MODELS, history_tables
from tests.core.backup_helpers import (
    create_database,
    current_test_database,
    database_named,
    drop_database,
    file_hashes,
    manage,
    table_counts,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def round_trip(django_db_setup, django_db_blocker, tmp_path_factory):
    """The seeded source, its backup, and the database and media folder it was restored into."""
    tmp = tmp_path_factory.mktemp("backup")
    source, target = current_test_database() + "_bk_src", current_test_database() + "_bk_dst"
    with django_db_blocker.unblock():
        create_database(source, migrated=True)
        create_database(target)
    try:
        source_url, target_url = database_named(source), database_named(target)
        manage("seed_demo", database=source_url, media_root=tmp / "media")
        evidence = tmp / "media" / "assessment" / "evidence" / "照片 1.jpg"  # a name with a space and Chinese
        evidence.parent.mkdir(parents=True, exist_ok=True)
        evidence.write_bytes(b"\xff\xd8\xff" + bytes(range(256)) * 40)
        backup = manage("backup", database=source_url, media_root=tmp / "media", backup_dir=tmp / "backups")
        archive = backup.stdout.strip().splitlines()[-1]
        restored = manage("restore", archive, database=target_url, media_root=tmp / "restored")
        yield {
            "source": source_url,
            "target": target_url,
            "archive": archive,
            "media": tmp / "media",
            "restored_media": tmp / "restored",
            "restore_output": restored.stdout,
            "tmp": tmp,
        }
    finally:
        with django_db_blocker.unblock():
            drop_database(source)
            drop_database(target)


def test_every_table_has_as_many_rows_after_the_restore(round_trip):
    before, after = table_counts(round_trip["source"]), table_counts(round_trip["target"])

    assert before["orgs_area"] > 10 and before["orgs_user"] > 0  # a seeded city, not an empty schema
    assert after == before


def test_every_sequence_goes_on_from_where_it_was(round_trip):
    query = "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1"
    with psycopg.connect(round_trip["source"]) as source, psycopg.connect(round_trip["target"]) as target:
        before, after = source.execute(query).fetchall(), target.execute(query).fetchall()

    assert dict(before)["orgs_area_id_seq"] > 10
    assert after == before


def test_every_uploaded_file_comes_back_with_its_hash(round_trip):
    before, after = file_hashes(round_trip["media"]), file_hashes(round_trip["restored_media"])

    assert "assessment/evidence/照片 1.jpg" in before
    assert any(name.startswith("funds/") for name in before)  # the demo's vouchers
    assert after == before


def test_the_history_rows_are_the_same(round_trip):
    sampled = 0
    with psycopg.connect(round_trip["source"]) as source, psycopg.connect(round_trip["target"]) as target:
        for table in history_tables():
            query = f'SELECT * FROM "{table}" ORDER BY pgh_id LIMIT 20'
            rows = source.execute(query).fetchall()
            assert target.execute(query).fetchall() == rows
            sampled += len(rows)
    assert sampled > 50


def test_the_manifest_names_the_migrations_counts_and_checksums(round_trip):
    with tarfile.open(round_trip["archive"]) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())

    assert manifest["format"] == "jiceng-backup"
    assert ["orgs", "0001_initial"] in manifest["migrations"]
    assert set(MAIN_MODELS) < set(manifest["row_counts"])
    assert manifest["row_counts"]["orgs.Area"] == table_counts(round_trip["source"])["orgs_area"]
    assert set(manifest["files"]) == names - {"manifest.json"}
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"].values())
    assert "核对无误" in round_trip["restore_output"]


def test_force_replaces_a_database_that_holds_data(round_trip):
    with psycopg.connect(round_trip["target"], autocommit=True) as conn:
        conn.execute("CREATE TABLE leftover (id int)")
        conn.execute("UPDATE orgs_area SET name = '改过的名字' WHERE level = 'city'")

    result = manage(
        "restore", round_trip["archive"], "--force", database=round_trip["target"], media_root=round_trip["tmp"] / "m2"
    )

    assert "--force" in result.stdout
    after = table_counts(round_trip["target"])
    assert "leftover" not in after
    assert after == table_counts(round_trip["source"])
    with psycopg.connect(round_trip["target"]) as conn:
        assert conn.execute("SELECT count(*) FROM orgs_area WHERE name = '改过的名字'").fetchone()[0] == 0
