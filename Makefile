# Leeds Communities — `make run` serves the app, `make test` runs the whole suite.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup venv assets migrate demo lint check bench clean lock audit serve loadtest \
	faulttest backup restore

# The quarter schedule does today's work first (quarters up to today, deadlines, reminders);
# the pack worker runs beside the web server and stops with it.
run: setup migrate demo
	$(PY) manage.py run_quarter_schedule
	$(PY) manage.py pack_worker & worker=$$!; trap 'kill $$worker' EXIT; $(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/djlint templates --lint
	$(VENV)/bin/pytest

setup: $(VENV)/.installed assets

# requirements.lock pins every package (`make lock` rewrites it from the virtualenv).
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -c requirements.lock -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: static/vendor/.built

static/vendor/.built: node_modules/.installed $(wildcard static/scss/*.scss)
	mkdir -p static/vendor/govuk static/vendor/htmx static/vendor/axe
	cp -r node_modules/govuk-frontend/dist/govuk/assets static/vendor/govuk/
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/vendor/govuk/
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	cp node_modules/axe-core/axe.min.js static/vendor/axe/
	node_modules/.bin/sass --quiet-deps --silence-deprecation=import,global-builtin --load-path=node_modules --style=compressed --no-source-map static/scss/application.scss static/vendor/application.css
	touch $@

migrate: setup
	$(PY) manage.py migrate --noinput

demo: migrate
	DEMO_ADDRESS=$(HOST):$(PORT) $(PY) manage.py load_demo_data

# Every figure as a ratio against its baseline, with the issue's targets (README "Benchmark"):
# dashboards against hand-written SQL, packs against Chromium, imports 10k against 1k, the load
# test at 50 users against 1 (from the last `make loadtest`, or BENCH_LOADTEST=1). Its own
# database, BENCH_DATABASE_URL (default: the SQLite file bench.sqlite3), never DATABASE_URL.
# BENCH_OUTPUTS (10000), BENCH_QUARTERS (20), BENCH_REPEATS (3), BENCH_PARTS, BENCH_REUSE=1.
BENCH_DATABASE_URL ?= sqlite:///$(CURDIR)/bench.sqlite3
bench: setup
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m tests.bench

lock: $(VENV)/.installed
	$(PIP) freeze --exclude-editable | grep -v '^leeds-communities' > requirements.lock

# Known vulnerabilities in the locked dependencies (needs PyPI's vulnerability data).
audit: $(VENV)/.installed
	$(VENV)/bin/pip-audit --requirement requirements.lock --no-deps --disable-pip --strict --progress-spinner off

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/djlint templates --lint

# --- Operations: serving, load, faults and backups (README: "Operations: …") ---------------------

# The production way: gunicorn, production settings, WhiteNoise for static files, and the
# pack worker that builds board packs in the background, started again whenever it exits
# (`manage.py supervise`; systemd's Restart=always in production). The caller
# sets SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL; WEB_CONCURRENCY workers (default 2 × cores + 1).
WEB_CONCURRENCY ?= $(shell $(PYTHON) -c 'import os; print(2 * (os.cpu_count() or 1) + 1)')
serve: setup
	@missing=""; for name in SECRET_KEY ALLOWED_HOSTS DATABASE_URL; do \
	  [ -n "$${!name}" ] || missing="$$missing $$name"; done; \
	if [ -n "$$missing" ]; then \
	  echo "make serve runs the production settings. Set:$$missing"; \
	  echo "  e.g. SECRET_KEY=… ALLOWED_HOSTS=127.0.0.1 DATABASE_URL=postgres://127.0.0.1:5432/leeds_communities make serve"; \
	  echo "  Plain http://127.0.0.1 only: SECURE_SSL_REDIRECT=false SECURE_COOKIES=false (see README)."; \
	  exit 2; fi
	DJANGO_SETTINGS_MODULE=leeds_communities.settings.production $(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=leeds_communities.settings.production $(PY) manage.py collectstatic --noinput -v 0
	DJANGO_SETTINGS_MODULE=leeds_communities.settings.production $(PY) manage.py run_quarter_schedule
	DJANGO_SETTINGS_MODULE=leeds_communities.settings.production $(PY) manage.py supervise pack_worker & \
	  worker=$$!; trap 'kill $$worker' EXIT; \
	DJANGO_SETTINGS_MODULE=leeds_communities.settings.production $(VENV)/bin/gunicorn \
	  leeds_communities.wsgi --bind $(HOST):$(PORT) --workers $(WEB_CONCURRENCY) \
	  --access-logfile - --forwarded-allow-ips 127.0.0.1

# Locust against gunicorn on its own PostgreSQL database (dropped and recreated each run):
# one user of each kind, then LOAD_USERS, each p95 at most LOAD_P95_RATIO (3) times its first.
# LOAD_USERS, LOAD_TIME, LOAD_SPAWN_RATE, LOAD_WORKERS, LOAD_PORT, LOAD_P95_RATIO; faulttest
# also FAULT_AT, FAULT_DOWN, FAULT_RECOVERY_S (tests/load/run.py).
LOAD_DATABASE_URL ?= postgres://127.0.0.1:5432/leeds_communities_load
export LOAD_DATABASE_URL
loadtest: setup
	$(PY) -m tests.load.run load

# First the pack worker's fault tests on a PostgreSQL cluster of their own (port 5439 or the next
# free one): PostgreSQL restarted mid-build, the worker killed mid-build.
faulttest: setup
	FAULT_TESTS=1 $(VENV)/bin/pytest -m faults -q -p no:cacheprovider tests/meetings/test_pack_worker_faults.py
	$(PY) -m tests.load.run fault

# One archive: pg_dump of the PostgreSQL database in DATABASE_URL and MEDIA_ROOT, checksummed
# (leeds_communities/backups.py); restore checks it, then replaces both. backups/ is git-ignored.
BACKUP_DIR ?= backups
define require_postgresql
	@[[ "$$DATABASE_URL" == postgres://* || "$$DATABASE_URL" == postgresql://* ]] || { \
	  echo "make $@ works on the PostgreSQL database in DATABASE_URL, which is unset or not"; \
	  echo "postgres://…: refusing rather than copying the local SQLite file by mistake."; exit 2; }
endef
backup: setup
	$(require_postgresql)
	$(PY) manage.py backup_database --directory $(BACKUP_DIR)

restore: setup
	$(require_postgresql)
	@[ -n "$(BACKUP)" ] || { echo "Say which backup: make restore BACKUP=backups/<file>.tar"; exit 2; }
	$(PY) manage.py restore_database $(BACKUP)

clean:
	rm -rf $(VENV) node_modules static/vendor
