# fanarchive — small, obvious targets. `make run` and `make test` are all a newcomer needs.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_WORKS ?= 3000
# pytest workers: one per core.
TEST_JOBS ?= auto

.PHONY: help install system-packages run test test-sqlite test-postgres lint bench clean

help:
	@echo "make run    install, migrate, build a demo archive if empty, serve at http://$(HOST):$(PORT)"
	@echo "make test   the whole suite on SQLite and on a throwaway PostgreSQL 15 server"
	@echo "make lint   ruff and mypy"
	@echo "make bench  the benchmarks in bench/ (see bench/README.md)"

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

# axe-core for the browser tests (tests/browser): `npm ci` whenever package*.json change.
node_modules/.installed: package.json package-lock.json
	command -v npm >/dev/null 2>&1 || scripts/install-system-packages
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

system-packages:
	scripts/install-system-packages

run: install
	$(BIN)/fanarchive migrate --noinput
	$(BIN)/fanarchive demo --works $(DEMO_WORKS) --if-empty
	$(BIN)/fanarchive ensure_admin --url http://$(HOST):$(PORT)/admin/
	$(BIN)/fanarchive serve --host $(HOST) --port $(PORT)

test: install system-packages test-sqlite test-postgres

test-sqlite: install
	$(BIN)/pytest -n $(TEST_JOBS)

test-postgres: install system-packages
	scripts/with-postgres $(BIN)/pytest -n $(TEST_JOBS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy fanarchive config

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis node_modules
