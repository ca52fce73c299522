"""Backup and restore of a whole installation: the database and the uploaded files, in one archive.

A backup is one uncompressed tar file, `jiceng-<time>.tar` in BACKUP_DIR, holding

- `database.dump`: the database in PostgreSQL's custom format (`pg_dump -Fc`, compressed by
  pg_dump itself), written by django-dbbackup's PgDumpBinaryConnector;
- `media/…`: every file under MEDIA_ROOT (evidence, vouchers, photos, import files);
- `manifest.json`: what the restore checks — the Jiceng version, the migrations applied, the
  row counts of the main tables and of the history, the time, and the sha256 of every other file.

Consistency: the manifest's counts and migrations are read in one REPEATABLE READ transaction
whose snapshot pg_dump is handed (`--snapshot`), so the dump and the manifest describe the same
instant even while imports write. Media files are copied after that instant: they may be a
superset of what the database names (a file uploaded meanwhile), never fewer.

A restore checks everything before it writes anything (the archive reads whole, every checksum
matches, pg_restore can read the dump's table of contents, no migration is unknown to this code,
the target database is empty or --force), then replays the dump in ONE transaction through psql
(with --force, dropping the schema first in that same transaction), then copies the files, and
at the end counts the rows and hashes the files again against the manifest.
"""

import hashlib
import io
import json
import logging
import re
import shutil
import socket
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from dbbackup.db.exceptions import CommandConnectorError
from django.apps import apps
from django.conf import settings
from django.db import connection, connections

FORMAT = "jiceng-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA_PREFIX = "media/"

# The tables whose rows a restore counts again (one or two a domain); the history tables
# (pghistory's events) are counted as one total besides.
MAIN_MODELS = [
    "orgs.Area",
    "orgs.User",
    "orgs.RoleAssignment",
    "party.PartyOrganisation",
    "party.PartyMember",
    "party.Meeting",
    "grids.Person",
    "grids.HeadAssignment",
    "assessment.Entry",
    "assessment.Evidence",
    "assessment.Score",
    "property.Compound",
    "property.LedgerEntry",
    "services.ResidentRequest",
    "services.Whistle",
    "funds.Project",
    "funds.Allocation",
    "funds.Expenditure",
    "workforce.Worker",
    "workforce.Venue",
    "core.StateChange",
]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


@dataclass
class RestoreReport:
    path: Path
    database: str
    forced: bool
    seconds: float = 0.0
    rows_checked: int = 0
    files_checked: int = 0
    count_mismatches: list = field(default_factory=list)
    file_mismatches: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.count_mismatches and not self.file_mismatches


# --- PostgreSQL's client programs -----------------------------------------------------------


def program_major(path):
    """The major version of a PostgreSQL program (`pg_dump (PostgreSQL) 18.6` → 18)."""
    out = subprocess.run([str(path), "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"\) (\d+)", out)
    if not match:
        raise BackupError(f"无法识别 {path} 的版本：{out.strip()}")
    return int(match.group(1))


def candidate_bin_dirs():
    """Where PostgreSQL client programs may be: the system's (on PATH, then /usr/lib/postgresql/*/bin),
    then the embedded wheel's."""
    from config.embedded import client_bin_dir

    dirs = []
    which = shutil.which("pg_dump")
    if which:
        dirs.append(Path(which).resolve().parent)
    dirs.extend(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True))
    dirs.append(client_bin_dir())
    unique = []
    for d in dirs:
        if d not in unique and (d / "pg_dump").exists():
            unique.append(d)
    return unique


def client_bin_dir_for(server_major, at_least=0):
    """The folder of the client programs (pg_dump, pg_restore, psql) to run against a server of
    `server_major`. PG_BIN_DIR when set; for the embedded server, the wheel's own; otherwise the
    system's or the wheel's, the same major as the server if there is one, else the oldest newer one
    (pg_dump refuses a server newer than itself; pg_restore refuses an archive written by a newer
    pg_dump, hence `at_least`)."""
    from config.embedded import client_bin_dir

    need = max(server_major, at_least)
    if settings.PG_BIN_DIR:
        chosen = Path(settings.PG_BIN_DIR)
        major = program_major(chosen / "pg_dump")
        if major < need:
            raise BackupError(
                f"PG_BIN_DIR={chosen} 的客户端程序是 {major} 版，低于所需的 {need} 版（服务器 {server_major}）。"
            )
        return chosen
    if settings.EMBEDDED_DATABASE and program_major(client_bin_dir() / "pg_dump") >= need:
        return client_bin_dir()
    found = [(program_major(d / "pg_dump"), d) for d in candidate_bin_dirs()]
    exact = [d for major, d in found if major == need]
    if exact:
        return exact[0]
    newer = sorted((major, str(d)) for major, d in found if major > need)
    if newer:
        return Path(newer[0][1])
    listed = "；".join(f"{d}（{major} 版）" for major, d in found) or "无"
    raise BackupError(
        f"找不到不低于 {need} 版的 PostgreSQL 客户端程序（服务器 {server_major} 版）。已找到：{listed}。"
        "请安装同版本的 postgresql-client，或以 PG_BIN_DIR 指定其 bin 目录。"
    )


def server_version_num(conn=None):
    with (conn or connection).cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0])


# --- what the manifest records --------------------------------------------------------------


def jiceng_version():
    try:
        from jiceng import __version__
    except ImportError:
        return "unknown"
    return str(__version__)


def history_tables():
    import pghistory.models

    return sorted(
        m._meta.db_table
        for m in apps.get_models()
        if issubclass(m, pghistory.models.Event) and not m._meta.abstract and not m._meta.proxy
    )


def main_tables():
    return {label: apps.get_model(label)._meta.db_table for label in MAIN_MODELS}


def quoted(name):
    return '"' + name.replace('"', '""') + '"'


def count_rows(cursor):
    """{model label: rows} of the main tables, and the rows of every history table together."""
    counts = {}
    for label, table in main_tables().items():
        cursor.execute(f"SELECT count(*) FROM {quoted(table)}")
        counts[label] = cursor.fetchone()[0]
    total = 0
    for table in history_tables():
        cursor.execute(f"SELECT count(*) FROM {quoted(table)}")
        total += cursor.fetchone()[0]
    counts["history (pghistory events)"] = total
    return counts


def applied_migrations(cursor):
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    return [[app, name] for app, name in cursor.fetchall()]


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def media_files(root):
    root = Path(root)
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


# --- backup -------------------------------------------------------------------------------


def connector(**options):
    """django-dbbackup's connector of the default database (pg_dump -Fc), quiet, with the host and
    port of a socket URL (the embedded server's `?host=/path`) where its command line looks for them."""
    from dbbackup.db.postgresql import PgDumpBinaryConnector

    logging.getLogger("dbbackup.command").setLevel(logging.WARNING)  # it logs each command line at DEBUG
    pg = PgDumpBinaryConnector("default", **options)
    params = dict(pg.settings)
    extra = params.get("OPTIONS") or {}
    params["HOST"] = params.get("HOST") or extra.get("host") or None
    params["PORT"] = params.get("PORT") or extra.get("port") or ""
    pg._settings = params
    return pg


def dump_connector(bin_dir, snapshot):
    return connector(dump_cmd=str(bin_dir / "pg_dump"), dump_suffix=f"--snapshot={snapshot}")


def write_archive(path, dump_path, files, manifest_head, mtime):
    """The tar at `path`: the dump, every file of MEDIA_ROOT, then the manifest with their checksums."""
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        tar.add(dump_path, arcname=DUMP)
        for file in media_files(media_root):
            data = file.read_bytes()  # read once: what is hashed is what is archived
            arcname = MEDIA_PREFIX + file.relative_to(media_root).as_posix()
            files[arcname] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            info = tarfile.TarInfo(arcname)
            info.size, info.mtime, info.mode = len(data), int(file.stat().st_mtime), 0o644
            tar.addfile(info, io.BytesIO(data))
        manifest = json.dumps({**manifest_head, "files": files}, ensure_ascii=False, indent=1).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime, info.mode = len(manifest), mtime, 0o644
        tar.addfile(info, io.BytesIO(manifest))


def create_backup(output=None, log=lambda line: None):
    """Write a backup archive and return its path: `output` (a file, or a folder to write into)
    or BACKUP_DIR/jiceng-<UTC time>.tar."""
    started = time.monotonic()
    now = datetime.now(UTC)
    name = f"jiceng-{now:%Y%m%d-%H%M%S}.tar"
    target = Path(output) if output else Path(settings.BACKUP_DIR)
    if target.is_dir() or not output:
        target = target / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise BackupError(f"{target} 已存在，未覆盖。")
    partial = target.with_name(target.name + ".partial")

    db = connection.settings_dict
    with tempfile.TemporaryDirectory(prefix="jiceng-backup-", dir=target.parent) as tmp:
        snapshot_conn = connection.get_new_connection(connection.get_connection_params())
        try:
            import psycopg

            snapshot_conn.autocommit = False
            snapshot_conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            snapshot_conn.read_only = True
            with snapshot_conn.cursor() as cursor:
                cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version_num')::int")
                snapshot, version_num = cursor.fetchone()
                cursor.execute("SHOW server_version")
                server_version = cursor.fetchone()[0]
                migrations = applied_migrations(cursor)
                counts = count_rows(cursor)
                bin_dir = client_bin_dir_for(version_num // 10000)
                log(f"数据库 {db['NAME']}（PostgreSQL {server_version}），以 {bin_dir / 'pg_dump'} 导出……")
                try:
                    dump_stream = dump_connector(bin_dir, snapshot).create_dump()
                except CommandConnectorError as error:
                    raise BackupError(f"pg_dump 失败，未写备份：{error}") from None
                dump_path = Path(tmp) / DUMP
                with open(dump_path, "wb") as out:
                    shutil.copyfileobj(dump_stream, out, 1024 * 1024)
                dump_stream.close()
            snapshot_conn.rollback()
        finally:
            snapshot_conn.close()
        pg_dump_major = program_major(bin_dir / "pg_dump")

        files = {DUMP: {"sha256": sha256_of(dump_path), "size": dump_path.stat().st_size}}
        try:
            write_archive(
                partial,
                dump_path,
                files,
                manifest_head={
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "jiceng_version": jiceng_version(),
                    "created_at": now.isoformat(timespec="seconds"),
                    "host": socket.gethostname(),
                    "database": {
                        "name": db["NAME"],
                        "embedded": bool(settings.EMBEDDED_DATABASE),
                        "server_version": server_version,
                        "server_version_num": version_num,
                        "pg_dump_major": pg_dump_major,
                    },
                    "migrations": migrations,
                    "row_counts": counts,
                },
                mtime=int(now.timestamp()),
            )
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    partial.rename(target)
    log(
        f"备份完成：{target}（{target.stat().st_size / 1024 / 1024:.1f} MiB，{len(files) - 1} 个上传文件，"
        f"用时 {time.monotonic() - started:.1f} 秒）"
    )
    return target


# --- restore ------------------------------------------------------------------------------


def read_archive(path, into):
    """Extract the backup at `path` into the folder `into` and check it whole; returns its manifest.
    Raises BackupError for anything that is not a complete Jiceng backup."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} 不存在或不是文件。")
    try:
        with tarfile.open(path, "r:") as tar:
            names = tar.getnames()
            if MANIFEST not in names:  # written last: a truncated archive lacks it too
                raise BackupError(
                    f"{path} 不是完整的基层治理平台备份（缺少 {MANIFEST}）：文件被截断，或不是本平台的备份。"
                )
            tar.extractall(into, filter="data")
    except BackupError:
        raise
    except (tarfile.TarError, EOFError, OSError) as error:
        raise BackupError(f"{path} 不是完整的备份归档（{error}）：文件被截断或不是本平台的备份。") from None
    try:
        manifest = json.loads((Path(into) / MANIFEST).read_text(encoding="utf-8"))
    except ValueError:
        raise BackupError(f"{path} 的 {MANIFEST} 不是有效的 JSON。") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} 不是基层治理平台的备份（清单格式不符）。")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{path} 的备份格式版本 {manifest.get('format_version')} 不被本版本支持。")
    files = manifest.get("files") or {}
    present = {n for n in names if n != MANIFEST and (Path(into) / n).is_file()}
    if DUMP not in files:
        raise BackupError(f"{path} 的清单未列出 {DUMP}。")
    missing = sorted(set(files) - present)
    if missing:
        raise BackupError(f"{path} 缺少清单所列的文件：{'、'.join(missing[:5])}（共 {len(missing)} 个）。文件被截断？")
    unlisted = sorted(present - set(files))
    if unlisted:
        raise BackupError(f"{path} 含有清单未列出的文件：{'、'.join(unlisted[:5])}。")
    for name, expected in files.items():
        if sha256_of(Path(into) / name) != expected.get("sha256"):
            raise BackupError(f"{path} 中 {name} 的校验和与清单不符：文件已损坏或被改动。")
    return manifest


def unknown_migrations(manifest):
    """The manifest's migrations that this code does not have (the backup is of a newer version)."""
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [f"{app}.{name}" for app, name in manifest.get("migrations", []) if (app, name) not in known]


def user_relations(cursor):
    cursor.execute(
        """SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
             AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
           ORDER BY 1"""
    )
    return [row[0] for row in cursor.fetchall()]


def psql_env_and_url(bin_dir):
    """The connection of the default database as the command-line tools take it (dbbackup's parsing)."""
    from dbbackup.db.postgresql import parse_postgres_settings

    cmd_part, env = parse_postgres_settings(connector())
    return cmd_part.removeprefix("--dbname="), env


def replay(dump_path, bin_dir, force, server_major, log):
    """Replay the dump into the default database in one transaction (psql --single-transaction,
    ON_ERROR_STOP): with `force`, the public schema is dropped and created anew first, inside that
    same transaction. pg_restore writes the dump as SQL without owners or grants, so that a dump
    of the embedded server restores as any database owner, and back."""
    import os

    url, env = psql_env_and_url(bin_dir)
    full_env = {**os.environ, **env, "PGOPTIONS": "-c jit=off"}
    preamble = b""
    if force:
        # Not waiting forever behind a session of the portal that holds a table: the script's own header
        # sets lock_timeout back to 0 after this.
        preamble = (
            b"SET lock_timeout = '10s';\n"
            b"DROP SCHEMA IF EXISTS public CASCADE;\n"
            b"CREATE SCHEMA public AUTHORIZATION pg_database_owner;\n"
        )
    with tempfile.TemporaryFile() as restore_err, tempfile.TemporaryFile() as psql_out:
        restore = subprocess.Popen(
            [str(bin_dir / "pg_restore"), "--no-owner", "--no-privileges", "--file=-", str(dump_path)],
            stdout=subprocess.PIPE,
            stderr=restore_err,
        )
        psql = subprocess.Popen(
            [str(bin_dir / "psql"), "--no-psqlrc", "--quiet", "--single-transaction", "-v", "ON_ERROR_STOP=1"]
            + ["--file=-", url],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=psql_out,
            env=full_env,
        )
        try:
            psql.stdin.write(preamble)
            # The script's header sets the session up; a server older than the client program refuses
            # the settings it does not know (transaction_timeout, PostgreSQL 17): left out for it.
            for line in restore.stdout:
                if server_major < 17 and line.startswith(b"SET transaction_timeout"):
                    continue
                psql.stdin.write(line)
                if line.startswith((b"CREATE ", b"COPY ")):
                    break
            shutil.copyfileobj(restore.stdout, psql.stdin, 1024 * 1024)
        except BrokenPipeError:
            pass  # psql stopped at an error: its own message says which
        restore.stdout.close()
        restore.wait()
        cut_short = restore.returncode and psql.poll() is None
        if cut_short:
            # The script is cut short: psql must not reach its end, where it would commit the part read.
            psql.kill()
        else:
            try:
                psql.stdin.close()
            except BrokenPipeError:
                pass
        psql.wait()
        restore_err.seek(0)
        restore_message = restore_err.read().decode(errors="replace")
        psql_out.seek(0)
        psql_err = psql_out.read().decode(errors="replace")
    if cut_short:
        raise BackupError(f"pg_restore 失败，事务已回滚，数据库未改动：{restore_message.strip()}")
    if psql.returncode:  # (pg_restore then failed too, writing into a closed pipe)
        hint = "（有会话占用着表：先停止网站、worker 和 beat）" if "lock timeout" in psql_err else ""
        raise BackupError(f"恢复失败，事务已回滚，数据库未改动{hint}：{psql_err.strip()}")
    log("数据库已恢复（一个事务内完成）。")


def restore_backup(path, force=False, log=lambda line: None):
    """Restore the backup at `path` into the default database and MEDIA_ROOT; see the module's doc."""
    started = time.monotonic()
    path = Path(path)
    db_name = connection.settings_dict["NAME"]
    report = RestoreReport(path=path, database=db_name, forced=force)
    with tempfile.TemporaryDirectory(prefix="jiceng-restore-") as tmp:
        manifest = read_archive(path, tmp)
        dump_path = Path(tmp) / DUMP
        log(f"备份 {path.name}：{manifest['created_at']}，版本 {manifest.get('jiceng_version')}，校验和无误。")

        unknown = unknown_migrations(manifest)
        if unknown:
            raise BackupError(
                "备份来自更新的版本，本版本的代码没有这些迁移："
                f"{'、'.join(unknown)}。请先升级代码到备份时的版本或更新，再恢复。"
            )
        server_major = server_version_num() // 10000
        dump_major = int(manifest["database"].get("pg_dump_major", 0))
        bin_dir = client_bin_dir_for(server_major, at_least=dump_major)
        listing = subprocess.run([str(bin_dir / "pg_restore"), "--list", str(dump_path)], capture_output=True)
        if listing.returncode:
            raise BackupError(
                f"pg_restore 无法读取备份中的数据库导出：{listing.stderr.decode(errors='replace').strip()}"
            )

        with connection.cursor() as cursor:
            relations = user_relations(cursor)
        if relations and not force:
            raise BackupError(
                f"数据库 {db_name} 不是空的（{len(relations)} 个表等，例如 {'、'.join(relations[:3])}），未恢复。"
                "加 --force 将删除其中全部数据，换成备份的内容。"
            )
        if relations:
            log(f"--force：删除数据库 {db_name} 现有的 {len(relations)} 个表及其数据，换成备份的内容。")
        connections.close_all()
        replay(dump_path, bin_dir, force=bool(relations), server_major=server_major, log=log)
        # A dump carries no planner statistics: gathered now, not left to autovacuum (or to no one,
        # on a server without it), so that the first pages are planned on the real tables.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

        media_root = Path(settings.MEDIA_ROOT)
        media_names = [n for n in manifest["files"] if n.startswith(MEDIA_PREFIX)]
        for name in media_names:
            destination = media_root / name.removeprefix(MEDIA_PREFIX)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(tmp) / name, destination)
        log(f"{len(media_names)} 个上传文件已写入 {media_root}。")

    # Checked again after the fact: the rows the database now holds, the files the folder now holds.
    with connection.cursor() as cursor:
        counts = count_rows(cursor)
    for label, expected in manifest["row_counts"].items():
        if counts.get(label) != expected:
            report.count_mismatches.append((label, expected, counts.get(label)))
    report.rows_checked = sum(counts.values())
    for name in media_names:
        on_disk = media_root / name.removeprefix(MEDIA_PREFIX)
        if not on_disk.is_file() or sha256_of(on_disk) != manifest["files"][name]["sha256"]:
            report.file_mismatches.append(name)
    report.files_checked = len(media_names)
    report.seconds = time.monotonic() - started
    return report
