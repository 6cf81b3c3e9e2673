# SMS task catalogue. `make help` lists every target.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help
help: ## List every target with what it does
	@grep -hE '^[a-zA-Z0-9_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-22s %s\n", $$1, $$2}'

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): backend/requirements.txt pyproject.toml | $(PY)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r backend/requirements.txt
	$(PIP) install -q --no-deps -e .
	touch $@

$(DEV_STAMP): backend/requirements-dev.txt $(STAMP)
	$(PIP) install -q -r backend/requirements-dev.txt
	touch $@

.PHONY: install
install: $(STAMP) ## Create .venv and install the runtime dependencies

.PHONY: install-dev
install-dev: $(DEV_STAMP) ## Install the test and tool dependencies too

.PHONY: env
env: ## Create .env and fill a blank SECRET_KEY / DEFAULT_ADMIN_PASSWORD with random values
	@$(PYTHON) scripts/first_run_env.py

.PHONY: migrate
migrate: $(STAMP) env ## Apply schema migrations to the database the settings resolve to
	$(PY) -m backend.db.migrations upgrade

.PHONY: run
run: $(STAMP) env frontend-build migrate ## Install, migrate and serve the app on http://127.0.0.1:8000 (WEB_CONCURRENCY workers, default 1)
	@$(PY) scripts/print_login.py --host $(HOST) --port $(PORT)
	$(PY) -m backend.serve --host $(HOST) --port $(PORT)

.PHONY: lint
lint: $(DEV_STAMP) ## Run ruff on the backend
	$(VENV)/bin/ruff check backend bench scripts
	$(VENV)/bin/ruff format --check backend bench scripts

.PHONY: typecheck
typecheck: $(DEV_STAMP) ## Run mypy on the backend
	$(VENV)/bin/mypy

.PHONY: test-backend
test-backend: $(DEV_STAMP) ## Run the backend test suite (both engines)
	$(PY) -m pytest -q

.PHONY: test-frontend
test-frontend: $(DEV_STAMP) ## Lint, type-check, unit and end-to-end test the web app on SQLite and PostgreSQL
	cd frontend && npm ci --no-audit --no-fund && npm run test:all

.PHONY: docs-check
docs-check: $(DEV_STAMP) ## Check that every command, flag, switch, target and setting the docs mention exists
	$(PY) -m pytest backend/tests/docs -q

.PHONY: test-pgbouncer
test-pgbouncer: $(DEV_STAMP) ## Run the API tests' PostgreSQL half through a real PgBouncer in transaction mode (apt pgbouncer; TEST_POSTGRES_URL's server)
	TEST_PGBOUNCER=1 $(PY) -m pytest backend/tests/api -q -k postgresql

.PHONY: test
test: lint typecheck test-backend test-pgbouncer test-frontend ## Install what the tests need and run the whole suite (lint, types, backend, PgBouncer, web app)

.PHONY: format
format: $(DEV_STAMP) ## Format and auto-fix the backend with ruff
	$(VENV)/bin/ruff check --fix backend bench scripts
	$(VENV)/bin/ruff format backend bench scripts

.PHONY: frontend-build
frontend-build: ## Build the web app into frontend/dist (needs Node 20 and npm)
	cd frontend && npm ci --no-audit --no-fund && npm run build

.PHONY: test-api
test-api: $(DEV_STAMP) ## Run the API tests on SQLite and PostgreSQL
	$(PY) -m pytest backend/tests/api -q

.PHONY: bench-api
bench-api: $(DEV_STAMP) ## Load-run the API under uvicorn on both engines (32 clients; see bench/api/README.md)
	$(PY) bench/api/run.py

.PHONY: seed
seed: $(STAMP) env ## Fill the configured database, if empty, with a demo school (migrated first): make seed STUDENTS=2000
	$(PY) -m backend.scripts.seed_demo --migrate --students $(or $(STUDENTS),2000)

.PHONY: bench-migration
bench-migration: $(DEV_STAMP) ## Benchmark the migration tool against pgloader and a plain migrator (needs pgloader, PostgreSQL at 127.0.0.1:5432)
	$(PY) bench/migration/run.py --students 20000 --rounds 3

.PHONY: backup
backup: $(STAMP) ## Back up the database the settings resolve to (SQLite online backup or pg_dump -Fc)
	$(PY) -m backend.scripts.backup create

.PHONY: backups
backups: $(STAMP) ## List backups, newest first
	$(PY) -m backend.scripts.backup list

.PHONY: restore
restore: $(STAMP) ## Restore backup NAME=... into the active database (asks first)
	$(PY) -m backend.scripts.backup restore $(NAME)

.PHONY: bench-backup
bench-backup: $(DEV_STAMP) ## Time backup and restore against the bare tools
	$(PY) bench/backup/run.py

.PHONY: test-ops
test-ops: $(DEV_STAMP) ## Check Dockerfile, docker-compose.yml, DOCKER.ps1 and scripts/docker.sh (wrapper runs against the real backup and migration tools)
	$(PY) -m pytest backend/tests/ops -q

.PHONY: docker-install
docker-install: ## Create .env for Docker with a random SECRET_KEY, admin and PostgreSQL password
	scripts/docker.sh install

.PHONY: docker-start
docker-start: ## Build and start SMS in Docker (PostgreSQL mode only when .env asks for it; PGBOUNCER=1: PgBouncer in front of db)
	scripts/docker.sh start $(if $(PGBOUNCER),--pgbouncer)

.PHONY: docker-stop
docker-stop: ## Stop and remove the containers, keeping the volumes
	scripts/docker.sh stop

.PHONY: docker-restart
docker-restart: ## Stop, then start again (picks up .env changes; PGBOUNCER=1: with PgBouncer)
	scripts/docker.sh restart $(if $(PGBOUNCER),--pgbouncer)

.PHONY: docker-status
docker-status: ## Show the containers and the /health/ready result (PGBOUNCER=1: and PgBouncer's)
	scripts/docker.sh status $(if $(PGBOUNCER),--pgbouncer)

.PHONY: docker-logs
docker-logs: ## Follow the app container's logs
	scripts/docker.sh logs

.PHONY: docker-backup
docker-backup: ## Create a backup inside the app container
	scripts/docker.sh backup

.PHONY: docker-restore
docker-restore: ## Restore a backup: make docker-restore FILE=name-or-path
	scripts/docker.sh restore $(FILE)

.PHONY: docker-migrate
docker-migrate: ## Copy the SQLite data into the PostgreSQL named in .env (bundled db or external): make docker-migrate ARGS="--dry-run"
	scripts/docker.sh migrate $(ARGS)

.PHONY: clean
clean: ## Remove caches (keeps .venv, data/ and backups/)
	rm -rf .pytest_cache .mypy_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
