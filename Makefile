# kb — see README.md. Every target installs what it needs first.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
export UV_PROJECT_ENVIRONMENT := $(VENV)
HOST ?= 127.0.0.1
PORT ?= 8000
ONLY ?=
WORKERS ?= 2

.PHONY: install run test lint bench serve fmt clean

$(BIN)/python:
	@command -v $(PY) >/dev/null 2>&1 || PY=python3; $${PY:-$(PY)} -m venv $(VENV) || python3 -m venv $(VENV)

$(UV): | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check "uv==0.13.9"

$(VENV)/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --locked --quiet --python $(BIN)/python
	@touch $@

install: $(VENV)/.synced
	@bash scripts/install-chromium.sh

run: install
	KB_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	KB_DEBUG=1 $(BIN)/python manage.py kb_demo --if-empty
	KB_DEBUG=1 $(BIN)/python manage.py rebuild_search_index
	@KB_DEBUG=1 $(BIN)/python manage.py kb_demo --logins
	KB_DEBUG=1 bash scripts/run-dev.sh $(HOST) $(PORT)

test: install
	$(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	KB_DEBUG=1 $(BIN)/mypy kb accounts
	KB_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

bench: install
	@bash scripts/install-bench-tools.sh
	$(BIN)/python tests/bench/run.py $(ONLY)

serve: install
	KB_DEBUG=$${KB_DEBUG:-0} $(BIN)/python manage.py collectstatic --noinput -v0
	KB_DEBUG=$${KB_DEBUG:-0} $(BIN)/python manage.py migrate --noinput
	KB_DEBUG=$${KB_DEBUG:-0} $(BIN)/gunicorn -c deploy/gunicorn.conf.py kb.wsgi:application

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var/test-*.sqlite3*
