# Getting to Good: the commands the README names and CI runs.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# The demo's documents, kept in the repository (demo-data/README.md); any other folder may stand in.
SEEDS ?= demo-data/seeds
REFERENCE ?= demo-data/reference
REPORTS ?= demo-data/inspection-reports
export G2G_SEEDS := $(abspath $(SEEDS))
export G2G_REFERENCE := $(abspath $(REFERENCE))
export G2G_REPORTS := $(abspath $(REPORTS))
# PostgreSQL used by `make test` when reachable (REQUIRE_POSTGRES=1 makes its absence an error).
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
# The test runs: one pytest-xdist worker per CPU, each with its own test database (pytest-django
# names them test_<name>_gw0, ...); a module's tests on one worker, except the browser tests
# (tests/conftest.py), in pytest-django's order; the 25 slowest tests printed.
# TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto
# PYTHONNODEBUGRANGES: Python 3.11 before 3.11.8 can fail with "AST constructor recursion depth
# mismatch" when two threads format a traceback at once (the live server logging an error while
# pytest reports a failure; CPython gh-106905), which crashes the worker instead of reporting the
# failure. Without column ranges, tracebacks are formatted without parsing the source.
# PYTHONDONTWRITEBYTECODE emptied: where the machine sets it, every test process (each worker,
# each server a test starts) compiled the code and rewrote pytest's assertions again, 567
# modules, 7 s of a worker's collection; the PostgreSQL run now reads what the SQLite run wrote.
PYTEST := PYTHONNODEBUGRANGES=1 PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -n $(TEST_WORKERS) --dist loadscope --no-loadscope-reorder --durations=25

.PHONY: install demo test test-sqlite test-postgres lint format bench bench-reference bench-tools load browser lock assets clean

install: $(VENV)/.installed node_modules/.installed assets

$(VENV)/.installed: requirements.lock pyproject.toml
	python3.11 -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip>=24"
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed
	npm run --silent build

# Debian's Chromium for the browser tests (Playwright drives the system browser; it downloads none).
browser:
	@command -v chromium >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

demo: install
	$(BIN)/g2g migrate --no-input
	$(BIN)/g2g load_demo --seeds $(G2G_SEEDS) --reference $(G2G_REFERENCE) --reports $(G2G_REPORTS)
	@# The worker (board packs, chart images) runs beside the server and stops when it stops.
	$(BIN)/g2g worker --worker-id demo & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	  $(BIN)/g2g runserver 127.0.0.1:8000

test: install browser lint test-sqlite test-postgres

# Every test on SQLite; on PostgreSQL every test that touches a database except the browser
# tests (tests/conftest.py marks the others no_database: they already ran, identically).
test-sqlite:
	DATABASE_URL=sqlite:///:memory: $(PYTEST)

test-postgres:
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(PG_TEST_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  DATABASE_URL=$(PG_TEST_URL) $(PYTEST) -m "not e2e and not no_database"; \
	elif [ "$$REQUIRE_POSTGRES" = 1 ]; then \
	  echo "PostgreSQL at $(PG_TEST_URL) is not reachable and REQUIRE_POSTGRES=1"; exit 1; \
	else \
	  echo "PostgreSQL not reachable: skipped the PostgreSQL run (set REQUIRE_POSTGRES=1 to fail instead)"; \
	fi

lint: install
	$(BIN)/ruff format --check src tests
	$(BIN)/ruff check src tests
	$(BIN)/bandit -c pyproject.toml -r src --quiet
	$(BIN)/lint-imports
	$(BIN)/g2g makemigrations --check --dry-run > /dev/null

format: install
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

bench: install bench-reference bench-tools
	$(BIN)/python -m tests.bench

# The load test (tests/load): two gunicorn app servers on PostgreSQL and the machine's Redis,
# Locust playing 50 people for 10 minutes (LOAD_USERS, LOAD_MINUTES); loopback only, bounded in
# time, never part of `make test`. Its figures go into docs/performance.md.
load: install
	$(BIN)/python -m tests.load

# wrk for the throughput benchmark (loopback only, bounded in time), installed the way `browser`
# installs Chromium. Its absence is recorded by the benchmark, not fatal.
bench-tools:
	@command -v wrk >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk; } || \
	  echo "wrk could not be installed; the benchmark will say so"

# liiatools' Annex A cleaner, the field's reference for the Annex A benchmark, in its own venv:
# it pins pandas 1.5.3 (numpy < 2) and builds cchardet from source, which fails on Python 3.11,
# so it never enters the project's lock. Its absence is recorded by the benchmark, not fatal.
LIIATOOLS_VENV := var/liiatools-venv
LIIATOOLS_PYTHON ?= $(firstword $(foreach p,python3.10 $(wildcard $(HOME)/.pyenv/versions/3.10*/bin/python3.10),$(shell $(p) -V >/dev/null 2>&1 && echo $(p))))
bench-reference:
	@[ -x $(LIIATOOLS_VENV)/bin/python ] && $(LIIATOOLS_VENV)/bin/python -c "import liiatools" 2>/dev/null || { \
	  [ -n "$(LIIATOOLS_PYTHON)" ] && $(LIIATOOLS_PYTHON) -m venv $(LIIATOOLS_VENV) && \
	  $(LIIATOOLS_VENV)/bin/pip install --quiet "liiatools==0.2.0" "numpy==1.26.4"; } || \
	  echo "liiatools 0.2.0 could not be installed (needs Python 3.10); the benchmark will say so"

lock:
	$(BIN)/pip-compile --quiet --generate-hashes --extra dev --strip-extras -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) node_modules var src/g2g/static/dist
