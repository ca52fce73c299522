"""`manage.py restore` refuses, with a message that says why and before writing anything, a
truncated archive, a file that is not a Jiceng backup, an archive whose files do not match their
checksums, a dump pg_restore cannot read, a backup of a newer version (migrations this code does
not know), and a database that holds data unless --force. "Nothing written": the database keeps
its tables and rows, the media folder stays empty. The file refusals are asked with --force, so
that nothing but the file stops them."""

import hashlib
import io
import json
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from tests.core.backup_helpers import current_test_database, database_named, table_counts

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def archive(django_db_setup, django_db_blocker, tmp_path_factory):
    """A backup of the (migrated) test database with two uploaded files."""
    tmp = tmp_path_factory.mktemp("refusals")
    media = tmp / "media"
    (media / "funds" / "vouchers").mkdir(parents=True)
    (media / "funds" / "vouchers" / "凭证.pdf").write_bytes(b"%PDF-1.4 voucher")
    (media / "evidence.txt").write_text("evidence", encoding="utf-8")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, BACKUP_DIR=tmp / "backups"):
        return call_command("backup", stdout=io.StringIO())


@pytest.fixture
def target_media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    return settings.MEDIA_ROOT


def rewritten(archive, path, change=None, manifest_change=None):
    """A copy of `archive` at `path`, each member's bytes through change(name, data), the manifest's
    dict through manifest_change(manifest)."""
    with tarfile.open(archive) as source, tarfile.open(path, "w") as copy:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "manifest.json" and manifest_change:
                manifest = json.loads(data)
                manifest_change(manifest)
                data = json.dumps(manifest).encode()
            elif change:
                data = change(member.name, data)
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    return str(path)


def refused(path, target_media, force=True):
    """Restore `path`, expecting a refusal; returns its message after checking nothing was written."""
    url = database_named(current_test_database())
    before = table_counts(url)
    with pytest.raises(CommandError) as refusal:
        call_command("restore", path, force=force, stdout=io.StringIO())
    assert table_counts(url) == before
    assert not target_media.exists() or not any(target_media.iterdir())
    return str(refusal.value)


def test_a_truncated_archive_is_refused(archive, tmp_path, target_media):
    truncated = tmp_path / "truncated.tar"
    data = open(archive, "rb").read()
    truncated.write_bytes(data[: len(data) // 2])

    assert "截断" in refused(str(truncated), target_media)


def test_a_file_that_is_not_a_backup_is_refused(tmp_path, target_media):
    text = tmp_path / "notes.tar"
    text.write_text("这不是备份", encoding="utf-8")
    other = tmp_path / "other.tar"
    with tarfile.open(other, "w") as tar:
        tar.addfile(tarfile.TarInfo("manifest.json"), io.BytesIO(b""))
    foreign = tmp_path / "foreign.tar"
    with tarfile.open(foreign, "w") as tar:
        data = json.dumps({"format": "someone-else", "files": {}}).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))

    assert "不是" in refused(str(text), target_media)
    assert "JSON" in refused(str(other), target_media)
    assert "不是基层治理平台的备份" in refused(str(foreign), target_media)


def test_a_file_that_does_not_match_its_checksum_is_refused(archive, tmp_path, target_media):
    def tamper(name, data):
        return data.replace(b"voucher", b"VOUCHER") if name.endswith(".pdf") else data

    message = refused(rewritten(archive, tmp_path / "tampered.tar", change=tamper), target_media)

    assert "校验和" in message and "凭证.pdf" in message


def test_a_dump_pg_restore_cannot_read_is_refused(archive, tmp_path, target_media):
    garbage = b"PGDMP but not really" * 100

    def replace_dump(name, data):
        return garbage if name == "database.dump" else data

    def matching_checksum(manifest):
        manifest["files"]["database.dump"]["sha256"] = hashlib.sha256(garbage).hexdigest()

    path = rewritten(archive, tmp_path / "garbage.tar", change=replace_dump, manifest_change=matching_checksum)

    assert "pg_restore 无法读取" in refused(path, target_media)


def test_a_backup_of_a_newer_version_is_refused_naming_its_migrations(archive, tmp_path, target_media):
    def newer(manifest):
        manifest["migrations"].append(["orgs", "9999_from_a_newer_version"])

    message = refused(rewritten(archive, tmp_path / "newer.tar", manifest_change=newer), target_media)

    assert "orgs.9999_from_a_newer_version" in message


def test_a_database_that_holds_data_is_refused_without_force(archive, target_media):
    message = refused(archive, target_media, force=False)

    assert "不是空的" in message and "--force" in message
