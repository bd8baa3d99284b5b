# Leeds Communities — `make run` serves the app, `make test` runs the whole suite.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup venv assets migrate demo lint check bench clean lock audit

run: setup migrate demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
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
	$(PY) manage.py load_demo_data

# Dashboard timings at 1k, 20k and 100k outputs (BENCH_SIZES), against the raw SQL of each
# aggregate. Uses its own database: BENCH_DATABASE_URL (default: the SQLite file bench.sqlite3).
BENCH_DATABASE_URL ?= sqlite:///$(CURDIR)/bench.sqlite3
bench: setup
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m tests.bench.dashboards
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m tests.bench.packs

lock: $(VENV)/.installed
	$(PIP) freeze --exclude-editable | grep -v '^leeds-communities' > requirements.lock

# Known vulnerabilities in the locked dependencies (needs PyPI's vulnerability data).
audit: $(VENV)/.installed
	$(VENV)/bin/pip-audit --requirement requirements.lock --no-deps --disable-pip --strict --progress-spinner off

lint: setup
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) node_modules static/vendor
