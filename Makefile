# Pamong — the two commands are `make run` and `make test`; see README.md.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The services stage talks to the PostgreSQL and Redis on this machine.
SERVICES_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
SERVICES_REDIS_URL ?= redis://127.0.0.1:6379/0
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/pamong_bench
BENCH ?=
PYTEST_ARGS ?=

.PHONY: run test test-services e2e bench install migrate seed messages check-deploy clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py rebuild_finance_summaries

## make run: install, migrate, load the Tangsel demo data, then serve the web app with a Celery worker and
## its beat schedule on the single-machine defaults (SQLite, filesystem broker). Ctrl-C stops all of them.
run: seed
	@if command -v msgfmt >/dev/null && ls locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then \
	  $(BIN)/python manage.py compilemessages --ignore=.venv --verbosity 0; \
	else echo "(msgfmt not installed: using the committed .mo translation files)"; fi
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@$(BIN)/python manage.py demo_banner --url http://$(HOST):$(PORT)/
	HOST=$(HOST) PORT=$(PORT) $(BIN)/honcho --procfile Procfile.dev start

## make test: the whole unit/integration suite on SQLite with eager Celery.
test: install
	$(BIN)/python -m pytest -m "not services and not e2e" $(PYTEST_ARGS)

## make test-services: the same suite on PostgreSQL, plus the tests that need a real Redis broker and worker.
test-services: install
	DATABASE_URL=$(SERVICES_DATABASE_URL) CELERY_BROKER_URL=$(SERVICES_REDIS_URL) \
	PAMONG_REQUIRE_SERVICES=1 $(BIN)/python -m pytest -m "not e2e" --create-db $(PYTEST_ARGS)

## make e2e: browser tests with Playwright driving Debian's Chromium (installed here if missing).
e2e: install
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)
	PAMONG_CHROMIUM=$$(command -v chromium) $(BIN)/python -m pytest -m e2e tests/e2e $(PYTEST_ARGS)

## make bench: every benchmark; writes bench/results.json and prints a table.
## The harness drops and re-creates BENCH_DATABASE_URL (its name must contain "bench"); BENCH=name runs one.
bench: install
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/run.py $(BENCH)

## make messages: regenerate and compile the translation catalogues (needs gettext; .mo files are committed).
messages: install
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=var  # not -l id: msgids are Indonesian; locale/id holds the hand-made viewflow/django-filter catalogue
	$(BIN)/python manage.py compilemessages --ignore=.venv

check-deploy: install
	DJANGO_SETTINGS_MODULE=config.settings.production \
	DJANGO_SECRET_KEY=$$(head -c 64 /dev/urandom | base64 | tr -d '\n/+=' | head -c 60) \
	DATABASE_URL=postgres://pamong@localhost/pamong \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf var
