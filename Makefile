# Changemaker: two commands. `make run` serves the demo council; `make test` runs everything.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Django 6 needs Python 3.12 or newer: take the first one found.
PYTHON ?= $(shell for p in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3 python3.13 $$HOME/.pyenv/versions/3.13*/bin/python3 python3; do \
	  $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { command -v $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --disable-pip-version-check -q -c requirements/constraints.txt
STAMP := $(VENV)/.stamp
DEV_STAMP := $(VENV)/.dev-stamp
FRONT := src/changemaker/core/static/dist/main.css
CHROMIUM ?= /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers: one a core; PYTEST_JOBS=0 runs the suite in one process.
PYTEST_JOBS ?= auto

.PHONY: help run serve smoke test install dev frontend db demo lint typecheck pytest browser-deps java-deps clean bench

help:
	@echo "make run   - set up everything and serve the demo council (Exampleton) on http://$(HOST):$(PORT)"
	@echo "make test  - set up and run the whole suite (lint, types, unit, integration, browser)"
	@echo "make serve - production: gunicorn and the worker, settings from the environment (docs/operations.md)"
	@echo "make smoke - the production path end to end on PostgreSQL (DATABASE_URL)"
	@echo "make bench - run the engine benchmarks against their reference libraries"

$(PY):
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (Django 6). Install it and run again."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(PY) pyproject.toml requirements/constraints.txt
	$(PIP) -e .
	@touch $@

$(DEV_STAMP): $(STAMP)
	$(PIP) -e '.[dev]'
	@touch $@

install: $(STAMP)
dev: $(DEV_STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(FRONT): node_modules/.package-lock.json frontend/build.mjs $(wildcard frontend/scss/*.scss)
	npm run --silent build

frontend: $(FRONT)

db: install frontend
	@mkdir -p var
	DJANGO_SETTINGS_MODULE=changemaker.settings.dev $(PY) manage.py migrate --noinput -v 0
	DJANGO_SETTINGS_MODULE=changemaker.settings.dev $(PY) manage.py compilemessages -v 0 --ignore '.venv' --ignore 'node_modules'

demo: db
	DJANGO_SETTINGS_MODULE=changemaker.settings.dev $(PY) manage.py load_demo
	DJANGO_SETTINGS_MODULE=changemaker.settings.dev $(PY) manage.py start_schedules

# bin/with-worker runs the background worker beside the web server, starts it again if it dies,
# and stops both on Ctrl+C.
run: demo
	@echo "Starting the background worker and the web server on http://$(HOST):$(PORT) (Ctrl+C stops both)"
	@DJANGO_SETTINGS_MODULE=changemaker.settings.dev bin/with-worker $(PY) \
	  $(PY) manage.py runserver --noreload $(HOST):$(PORT)

# Production (docs/operations.md): settings from the environment (SECRET_KEY, ALLOWED_HOSTS,
# DATABASE_URL...). Static files and migrations first (each does nothing when nothing changed),
# then gunicorn on $(HOST):$(PORT) behind the site's HTTPS proxy, with the worker beside it.
PROD := DJANGO_SETTINGS_MODULE=changemaker.settings.production
serve: install frontend
	$(PROD) $(PY) manage.py compilemessages -v 0 --ignore '.venv' --ignore 'node_modules'
	$(PROD) $(PY) manage.py collectstatic --noinput -v 0
	$(PROD) $(PY) manage.py migrate --noinput -v 0
	$(PROD) $(PY) manage.py start_schedules
	@$(PROD) bin/with-worker $(PY) \
	  $(VENV)/bin/gunicorn --config python:changemaker.gunicorn_conf --bind $(HOST):$(PORT) changemaker.wsgi

# The production path end to end on PostgreSQL (DATABASE_URL; CI runs it after `make test`).
smoke: install frontend
	VENV=$(VENV) $(PY) bin/smoke

# Browser tests need Debian's Chromium (never a downloaded browser).
browser-deps:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Install Debian's chromium (sudo apt-get install chromium) for the browser tests."; exit 1; fi; }

# The Spark test of the insight linkage needs Java 17+ (Debian's default-jre-headless).
java-deps:
	@command -v java >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	  else echo "Install Debian's default-jre-headless (sudo apt-get install default-jre-headless) for the Spark test."; exit 1; fi; }

lint: dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: dev
	$(VENV)/bin/mypy src/changemaker

pytest: dev frontend browser-deps java-deps
	DJANGO_SETTINGS_MODULE=changemaker.settings.dev $(PY) manage.py compilemessages -v 0 --ignore '.venv' --ignore 'node_modules'
	CHROMIUM=$(CHROMIUM) $(VENV)/bin/pytest -n $(PYTEST_JOBS) --dist loadfile $(PYTEST_ARGS)

test: lint typecheck pytest

bench: dev
	$(PY) bench/budgeting.py
	$(PY) bench/opinions.py
	$(PY) bench/support.py
	$(PY) bench/insight.py
	$(PY) bench/evidence.py
	$(PY) bench/culture.py

# every shared .pb file x every rule/utility/completion/tie-break: our selection vs pabutools'
.PHONY: agree
agree: dev
	$(PY) bench/agreement.py

clean:
	rm -rf $(VENV) node_modules var src/changemaker/core/static/dist
