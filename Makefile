# Doorvertellen — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The PostgreSQL run of the suite uses TEST_DATABASE_URL, or this local server when it answers.
PG_URL ?= postgres://postgres@127.0.0.1:5432/doorvertellen
# Test processes per run (pytest-xdist); `make test PYTEST_WORKERS=0` runs in one process.
PYTEST_WORKERS ?= auto
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run install dev lint format messages chromium test test-sqlite test-postgres bench wrk clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

dev: $(VENV)/.installed-dev

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_content
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates

format: dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml templates

# After changing visible text: update the catalogues in locale/ (translate the new entries,
# which tests/doorvertellen/test_catalogues.py asks for), then compile them.
messages: dev
	$(BIN)/python manage.py makemessages -l en -l ar -l tr -l pl -l uk --no-obsolete \
		--ignore=.venv --ignore=var --ignore=bench --ignore=tests
	$(BIN)/python manage.py compilemessages --ignore=.venv

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

test: lint chromium test-sqlite test-postgres

test-sqlite: dev
	$(BIN)/pytest -n $(PYTEST_WORKERS)

test-postgres: dev
	@url="$${TEST_DATABASE_URL:-$(PG_URL)}"; \
	if $(BIN)/python -c "import sys, psycopg; from psycopg.conninfo import conninfo_to_dict as d, make_conninfo as m; psycopg.connect(m(**{**d(sys.argv[1]), 'dbname': 'postgres'}), connect_timeout=3).close()" "$$url" 2>/dev/null; then \
		echo "PostgreSQL answers: running the suite again on it"; \
		DATABASE_URL="$$url" $(BIN)/pytest -n $(PYTEST_WORKERS); \
	else \
		echo "No PostgreSQL answers at $$url: skipping the PostgreSQL run"; \
	fi

wrk:
	@command -v wrk >/dev/null 2>&1 || { \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk >/dev/null; }

# Load figures of the production setup on loopback (bench/results/latest.md); never part of
# make test. BENCH_SECONDS per measurement (default 3), BENCH_POSTGRES_URL for PostgreSQL.
bench: dev wrk
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var/static var/test-media
