# NICP: `make run` sets up and serves the app on its embedded default; `make test` runs the suite.
PYTHON ?= python3.12
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup demo worker lint check-ci e2e clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.12 is required ($(PYTHON) not found); set PYTHON=..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	NICP_STAFF_MFA_REQUIRED=false $(BIN)/python manage.py seed_demo

# The embedded default: SQLite and media under var/, console e-mail, and a real Celery worker (with beat)
# on the file-system broker under var/celery, started beside the web server and stopped with it.
# HOST and PORT are exported so that links in e-mails (NICP_SITE_URL's default) point at this server.
# DEBUG is off unless asked for (DEBUG=true make run): the demo answers errors as production does, without
# Django's debug pages (settings, the URL list); tracebacks still reach the terminal.
run: demo
	@echo "Serving NICP at http://$(HOST):$(PORT)/  (Ctrl+C stops the server and the worker)"
	@export NICP_STAFF_MFA_REQUIRED=false DEBUG=$${DEBUG:-false} HOST=$(HOST) PORT=$(PORT); \
	$(BIN)/celery -A nicp worker --beat --concurrency 1 --loglevel WARNING --logfile var/celery-worker.log \
		--schedule var/celerybeat-schedule & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The suite runs in one process per core (pytest-xdist), a file's tests together in one process.
test: setup
	$(BIN)/python -m pytest -n auto --dist loadfile

lint: setup
	$(BIN)/python -m ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var/staticfiles
