# GP Voice: `make demo` runs a demo workspace, `make test` runs every check.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# `make serve` and `make demo` run the production stack on this machine: gunicorn with DEBUG off, static
# files from WhiteNoise, over plain http (the `demo` settings; a deployment uses `production`).
SERVE_SETTINGS ?= gpvoice.config.settings.demo
# `make demo PORT=8123` serves elsewhere; SITE_URL follows, so every printed and emailed link is right.
HOST ?= 127.0.0.1
PORT ?= 8000
BIND ?= $(HOST):$(PORT)
SITE_URL ?= http://$(BIND)
export SITE_URL
# The background worker (emails, the ballot clock, reminders) runs beside gunicorn; WORKER= turns it off.
WORKER ?= DJANGO_SETTINGS_MODULE=$(SERVE_SETTINGS) $(BIN)/gpvoice worker

.PHONY: setup demo serve test bench drills lint typecheck migrations-check browser-deps pdf-deps bench-deps drill-deps pg-client-deps clean

$(STAMP): pyproject.toml package.json
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	npm ci --no-audit --no-fund
	touch $(STAMP)

setup: pdf-deps $(STAMP)
	$(BIN)/gpvoice collectstatic --no-input --verbosity 0

# The web process and, when there is one, the worker; Ctrl-C stops both.
RUN_STACK = export DJANGO_SETTINGS_MODULE=$(SERVE_SETTINGS) BIND=$(BIND); \
	echo "Serving on $(SITE_URL) (gunicorn, DEBUG off). Sign-in codes appear in this terminal."; \
	$(if $(WORKER),echo "The task worker runs beside it (emails; the ballot clock; reminders)."; \
	$(WORKER) & worker=$$!; trap 'kill $$worker' EXIT;) \
	$(BIN)/gunicorn -c python:gpvoice.config.gunicorn gpvoice.config.wsgi

demo: setup pdf-deps
	DJANGO_SETTINGS_MODULE=$(SERVE_SETTINGS) $(BIN)/gpvoice migrate --no-input
	DJANGO_SETTINGS_MODULE=$(SERVE_SETTINGS) $(BIN)/gpvoice load-demo
	@$(RUN_STACK)

serve: setup pdf-deps
	DJANGO_SETTINGS_MODULE=$(SERVE_SETTINGS) $(BIN)/gpvoice migrate --no-input
	@$(RUN_STACK)

browser-deps:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian's Chromium for the browser journeys"; \
	  (apt-get update -qq && apt-get install -y -qq chromium) || echo "Could not install chromium: browser tests will say so and skip"; }

# Pango, HarfBuzz and a font for WeasyPrint, which writes the meeting pack as a PDF (gpvoice/meetings/pdf.py).
PDF_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fontconfig fonts-liberation
pdf-deps:
	@dpkg -s $(PDF_DEBS) >/dev/null 2>&1 || { \
	  echo "Installing Debian's Pango and HarfBuzz for the meeting pack PDF"; \
	  (apt-get update -qq && apt-get install -y -qq $(PDF_DEBS)) || echo "Could not install $(PDF_DEBS): the meeting pack PDF will fail"; }

# pg_dump and pg_restore, for `gpvoice backup` / `gpvoice restore` on PostgreSQL (and their tests).
pg-client-deps:
	@command -v pg_dump >/dev/null 2>&1 || { \
	  echo "Installing Debian's postgresql-client for gpvoice backup and restore"; \
	  (apt-get update -qq && apt-get install -y -qq postgresql-client) || echo "Could not install postgresql-client: backups of PostgreSQL need pg_dump"; }

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy gpvoice

migrations-check: setup
	$(BIN)/gpvoice makemigrations --check --dry-run

test: setup browser-deps pdf-deps pg-client-deps lint typecheck migrations-check
	$(BIN)/pytest

bench-deps:
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "Installing Debian's wrk for the serving benchmark"; \
	  (apt-get update -qq && apt-get install -y -qq wrk) || echo "Could not install wrk: the serving benchmark will say so and skip"; }

# The drills (benchmarks/test_drills.py, test_faults.py): HAProxy in front of two gunicorns, a Redis
# and a PostgreSQL cluster of their own (ports 6391-6392 and 5441; the shared servers are never touched).
drill-deps:
	@for tool in haproxy:haproxy redis-server:redis-server pg_ctlcluster:postgresql; do \
	  command -v $${tool%%:*} >/dev/null 2>&1 || test -x /usr/sbin/$${tool%%:*} || { \
	    echo "Installing Debian's $${tool#*:} for the drills"; \
	    (apt-get update -qq && apt-get install -y -qq $${tool#*:}) || echo "Could not install $${tool#*:}: its drills will say so and skip"; }; \
	done

# Speed and fault measurements on PostgreSQL (BENCH_DATABASE_URL, default gpv_bench on 127.0.0.1:5432;
# BENCH_REUSE=1 keeps the last run's data). `gpvoice load-scale` makes the national group when it exists.
bench: setup bench-deps drill-deps
	$(BIN)/pytest benchmarks -q

drills: setup bench-deps drill-deps
	$(BIN)/pytest benchmarks/test_drills.py benchmarks/test_faults.py -q

clean:
	rm -rf $(VENV) node_modules *.egg-info
