# Summit: `make run` serves the demo summit, `make test` runs the whole suite.
# Both create the virtualenv and install what they need on first use.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# A date such as 2026-12-14 places the demo summit on other dates (whole weeks from its own).
DEMO_START ?=
# Commands on this checkout's own database run with DEBUG on (unless DEBUG is set): with it
# off the settings refuse the development SECRET_KEY.
MANAGE := DEBUG=$${DEBUG:-1} $(BIN)/python manage.py

.PHONY: run test lint install migrate demo bench test-postgres messages schema clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo $(if $(DEMO_START),--start $(DEMO_START))

# The web server and, beside it, the worker that sends email after the response.
run: demo
	@export DEBUG=$${DEBUG:-1}; \
	$(BIN)/python manage.py db_worker --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(MANAGE) makemigrations --check --dry-run
	DEBUG=0 HTTPS=1 SECURE_HSTS_SECONDS=31536000 ALLOWED_HOSTS=summit.example.org \
		SUMMIT_ORGANIZER_EMAIL=protocol@summit.example.org CACHE_URL=redis://127.0.0.1:6379/0 \
		SECRET_KEY=lint-only-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMNOP \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

# The suite against a throwaway PostgreSQL server (needs the server binaries).
test-postgres: install
	scripts/with-postgres $(BIN)/python -m pytest

# Refresh the French catalogue after changing strings (needs GNU gettext), then translate
# the new entries in summit/locale/fr/LC_MESSAGES/django.po and run this again to compile it.
messages: install
	$(MANAGE) makemessages -l fr --ignore=.venv --ignore=tests --no-obsolete
	$(MANAGE) compilemessages -l fr --ignore=.venv

# The committed OpenAPI description; a test fails when it is stale.
schema: install
	$(MANAGE) spectacular --file openapi.yaml --validate --fail-on-warn

# Speed is measured here, never in the test suite: the slot finder, then the site under load
# (benchmarks/load.py) on synthetic summits of BENCH_SESSIONS sessions, BENCH_SECONDS per URL;
# e.g. `make bench BENCH_SESSIONS="120 2000 10000"`, and MEMORY=1 for the workers' memory after
# 10,000 requests, BENCH_ROUNDS to cut each URL's time into more or fewer rounds (5),
# BENCH_ENCODING="gzip, deflate, br" to ask for compressed answers as browsers and calendar
# apps do. Loads with wrk when installed (apt-get install wrk), else a Python client.
BENCH_SESSIONS ?= 120 2000
BENCH_SECONDS ?= 5
bench: install
	$(BIN)/python -m pytest benchmarks -o testpaths=benchmarks -p no:cacheprovider \
		--benchmark-only --benchmark-columns=min,median,mean,max,rounds -q
	DEBUG=$${DEBUG:-1} $(BIN)/python -m benchmarks.load --sessions $(BENCH_SESSIONS) \
		--duration $(BENCH_SECONDS) $(if $(BENCH_ROUNDS),--rounds $(BENCH_ROUNDS)) \
		$(if $(MEMORY),--memory) \
		$(if $(BENCH_ENCODING),--accept-encoding "$(BENCH_ENCODING)")

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache *.egg-info
