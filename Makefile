# Skaleringsportalen: `make run` serves the demo portal (and its job worker), `make test` runs
# every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
STAMP := $(VENV)/.installed
RUNTIME_STAMP := $(VENV)/.installed-runtime

.PHONY: install install-runtime run test test-sqlite test-postgres browser services bench lint clean translations

# `make run` installs only what the portal needs to run; `make install` (and every target
# that tests, lints or measures) adds the dev extras: pytest, Playwright, axe, ruff, locust.
install-runtime: $(RUNTIME_STAMP)

install: $(STAMP)

$(RUNTIME_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUNTIME_STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(RUNTIME_STAMP) $(STAMP)

run: install-runtime
	$(BIN)/portal db upgrade
	$(BIN)/portal seed
	$(BIN)/portal demo
	$(BIN)/portal results rebuild  # a database from before the stored results gets them
	@echo "Skaleringsportalen: http://127.0.0.1:$(PORT)/ (with a worker for the background jobs)"
	@$(BIN)/portal worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(BIN)/portal run --host 127.0.0.1 --port $(PORT)

# Debian's Chromium for the browser journeys (never Playwright's own download), poppler's
# pdftotext for reading PDFs back, and xmlsec1 for pysaml2's identity provider in the SAML
# tests. Installed with apt where we can; under CI=true a browser that cannot be had fails
# the run (the tests refuse to skip there).
browser:
	@if { [ -x /usr/lib/chromium/chromium ] || [ -n "$$CHROMIUM_PATH" ]; } && command -v xmlsec1 >/dev/null; then exit 0; fi; \
	if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Debian's chromium and poppler-utils..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils xmlsec1 >/dev/null; \
	elif command -v sudo >/dev/null && command -v apt-get >/dev/null; then \
	  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils xmlsec1 >/dev/null; \
	else \
	  echo "Chromium is not installed and apt-get is not available: browser tests will not run." >&2; \
	  if [ "$$CI" = true ]; then exit 1; fi; \
	fi

# PostgreSQL and Redis run on these machines before a session; if one has stopped, start it
# the way the machine does (root only), so the run tests what it should.
services:
	@if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && command -v pg_ctlcluster >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  echo "Starting PostgreSQL..."; pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start || true; \
	fi
	@if ! (command -v redis-cli >/dev/null && redis-cli -h 127.0.0.1 ping >/dev/null 2>&1) && command -v redis-server >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  echo "Starting Redis..."; redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log || true; \
	fi

test: install browser services
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: install
	@echo "== tests on SQLite =="
	TEST_DATABASE_URL= $(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: install
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_TEST_URL)'.replace('+psycopg',''), connect_timeout=3).close()" 2>/dev/null; then \
	  echo "== tests on PostgreSQL =="; \
	  TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS); \
	elif [ "$$CI" = true ]; then \
	  echo "PostgreSQL does not answer at $(PG_TEST_URL): under CI=true that is a failure." >&2; exit 1; \
	else \
	  echo "PostgreSQL does not answer at $(PG_TEST_URL): PostgreSQL run skipped (not CI)." >&2; \
	fi

bench: install
	$(BIN)/python -m bench

lint: install
	$(BIN)/ruff check portal tests migrations bench
	$(BIN)/ruff format --check portal tests migrations bench

clean:
	rm -rf $(VENV) instance .pytest_cache

# Danish is the source language (the msgids); English comes from portal/translations/en.
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o portal/translations/messages.pot .
	@if [ -f portal/translations/en/LC_MESSAGES/messages.po ]; then \
	  $(BIN)/pybabel update -i portal/translations/messages.pot -d portal/translations -l en; \
	else \
	  $(BIN)/pybabel init -i portal/translations/messages.pot -d portal/translations -l en; \
	fi
