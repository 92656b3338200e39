# Quick start: `make serve` (SQLite, seed corpus loaded) and `make test` (the whole suite).
# DATABASE_URL selects the database (default: SQLite in db.sqlite3).

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Local development runs with DEBUG on unless the environment says otherwise.
export DEBUG ?= true

.PHONY: install serve test migrate load fixtures lint lock clean bench superuser

$(BIN)/.installed: requirements/dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/dev.lock
	touch $@

install: $(BIN)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

load: migrate
	$(BIN)/python manage.py load_corpus

serve: load
	@echo "Serving on http://127.0.0.1:$(PORT)/ (API: /api/v1/, docs: /api/v1/docs/, admin: /admin/)"
	@echo "Create an admin user with: make superuser"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The first admin user (asks for a name and password; SUPERUSER_ARGS="--noinput --username ..." with
# DJANGO_SUPERUSER_PASSWORD for scripts); DEBUG and DATABASE_URL apply as for serve.
superuser: migrate
	$(BIN)/python manage.py createsuperuser $(SUPERUSER_ARGS)

fixtures: install
	$(BIN)/python manage.py compile_corpus

test: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py compile_corpus --check
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null
	$(BIN)/pytest

# The benchmark against Datasette and the in-memory ceiling (docs/performance.md). A quicker run:
# make bench BENCH_ARGS="--sizes 1000 --seconds 2 --rounds 1"; worker settings: BENCH_ARGS="--sweep --sizes 100000".
bench: install
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/bench.lock
	$(BIN)/python bench/run.py $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lock:
	$(BIN)/pip install --quiet uv
	cd requirements && ../$(BIN)/uv pip compile -q --python-version 3.11 base.in -o base.lock \
		&& ../$(BIN)/uv pip compile -q --python-version 3.11 dev.in -o dev.lock \
		&& ../$(BIN)/uv pip compile -q --python-version 3.11 bench.in -o bench.lock

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
