"""`make status` (`python -m config.status`): what of this installation is running, and where its data lives.

Plain Python, not a manage.py command: the settings start the embedded PostgreSQL when they are
read, and this must tell a stopped server from a running one without starting it.
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from config import embedded
from config.env import env_str
from config.paths import backup_dir, media_root

BASE_DIR = Path(__file__).resolve().parent.parent

# A process of this checkout (its working folder is the checkout) whose command line has all these words.
PROCESS_KINDS = [
    ("runserver", ("manage.py", "runserver")),
    ("gunicorn", ("gunicorn",)),
    ("celery worker", ("celery", "worker")),
    ("celery beat", ("celery", "beat")),
]


def without_password(url):
    """A connection URL with its password replaced by ***, for printing."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def database_lines(database_url=None, pgdata=embedded.PGDATA):
    if not database_url:
        state = embedded.status(pgdata)
        if state.running:
            head = f"嵌入式 PostgreSQL：运行中，进程 {state.pid}，套接字 {state.socket_dir}，启动于 {state.started_at}"
        elif state.initialised:
            head = "嵌入式 PostgreSQL：已停止（数据保留；make demo 或 make start 再启动）"
        else:
            head = "嵌入式 PostgreSQL：尚未建立（make demo 建立）"
        return [head, f"  数据目录 {state.pgdata}"]
    return [f"PostgreSQL 服务器（DATABASE_URL）：{without_password(database_url)}，{server_answer(database_url)}"]


def server_answer(database_url):
    import psycopg

    try:
        with psycopg.connect(database_url, connect_timeout=2) as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]
    except psycopg.Error as error:
        return f"无应答（{str(error).strip().splitlines()[0]}）"
    return f"有应答，版本 {version}"


def tasks_line(redis_url):
    if not redis_url:
        return "后台任务：未设置 REDIS_URL，任务在网站进程内执行"
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=1).ping()
        answer = "有应答"
    except redis.RedisError as error:
        answer = f"无应答（{error}）"
    return f"后台任务：Redis {without_password(redis_url)}，{answer}"


def process_lines(base_dir=BASE_DIR):
    import psutil

    found = {kind: [] for kind, _ in PROCESS_KINDS}
    for proc in psutil.process_iter(attrs=["pid", "cmdline", "cwd"]):
        cmdline = " ".join(proc.info["cmdline"] or [])
        if proc.info["cwd"] != str(base_dir) or proc.info["pid"] == os.getpid():
            continue
        for kind, words in PROCESS_KINDS:
            if all(word in cmdline for word in words):
                found[kind].append(proc.info["pid"])
                break
    running = [f"{kind}（进程 {', '.join(map(str, pids))}）" for kind, pids in found.items() if pids]
    return [f"本目录的进程：{'；'.join(running) if running else '没有 runserver、gunicorn 或 celery 在运行'}"]


def folder_summary(path):
    if not path.exists():
        return "（尚不存在）"
    files = [p for p in path.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    return f"（{len(files)} 个文件，{size / 1024 / 1024:.1f} MiB）"


def files_lines():
    media, backups = media_root(), backup_dir()
    lines = [
        f"上传文件 MEDIA_ROOT：{media} {folder_summary(media)}",
        f"备份 BACKUP_DIR：{backups} {folder_summary(backups)}",
    ]
    if backups.exists():
        latest = sorted(backups.glob("jiceng-*.tar"))
        if latest:
            lines.append(f"  最近的备份：{latest[-1].name}")
    return lines


def report():
    return "\n".join(
        [
            *database_lines(env_str("DATABASE_URL")),
            tasks_line(env_str("REDIS_URL")),
            *process_lines(),
            *files_lines(),
        ]
    )


if __name__ == "__main__":
    import warnings

    warnings.filterwarnings("ignore", module="platformdirs")
    print(report())
    sys.exit(0)
