# GP Voice: `make demo` runs a demo workspace, `make test` runs every check.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test bench lint typecheck migrations-check browser-deps pg-client-deps clean

$(STAMP): pyproject.toml package.json
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	npm ci --no-audit --no-fund
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/gpvoice migrate --no-input
	$(BIN)/gpvoice load-demo
	$(BIN)/gpvoice runserver 127.0.0.1:8000

browser-deps:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian's Chromium for the browser journeys"; \
	  (apt-get update -qq && apt-get install -y -qq chromium) || echo "Could not install chromium: browser tests will say so and skip"; }

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

test: setup browser-deps pg-client-deps lint typecheck migrations-check
	$(BIN)/pytest

bench: setup
	$(BIN)/pytest benchmarks -q

clean:
	rm -rf $(VENV) node_modules *.egg-info
