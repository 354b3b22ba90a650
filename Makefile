# Two commands do everything: `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help
export UV_PYTHON := python3.11
UV := $(shell command -v uv 2>/dev/null || echo "$$HOME/.local/bin/uv")
MANAGE := $(UV) run --frozen python manage.py
PG_URL ?= postgres://postgres@127.0.0.1:5432/rutan
REDIS ?= redis://127.0.0.1:6379/15
# The suite runs on every core (pytest-xdist, one test database per worker).
PYTEST_WORKERS ?= auto
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install uv assets messages run test bench chaos lint check-services worker beat clean

help:
	@echo "make run   - install everything, load demo data and serve Rutan on http://$(HOST):$(PORT)/"
	@echo "make test  - install everything and run ruff, migration check and the test suite"
	@echo "make bench - national-scale benchmark (seeds its own databases first; see docs/performance.md)"
	@echo "make chaos - faults (worker, Redis, PostgreSQL, two beats) and load on a private stack (docs/chaos.md)"

uv:
	@command -v uv >/dev/null 2>&1 || [ -x "$$HOME/.local/bin/uv" ] || python3 -m pip install --user --quiet uv

install: uv
	$(UV) sync --frozen
	$(MAKE) --no-print-directory assets messages

assets:
	@command -v npm >/dev/null 2>&1 || { echo "npm is missing: install Node.js (apt-get install -y nodejs npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error

messages:
	@command -v msgfmt >/dev/null 2>&1 || { echo "msgfmt is missing: install gettext (apt-get install -y gettext)"; exit 1; }
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v0

run: install
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) seed_demo
	@echo ""
	@echo "Rutan is running at http://$(HOST):$(PORT)/"
	@echo "Demo logins (password: rutan-demo-2026):"
	@echo "  kepala (Kepala Rutan Balikpapan)   registrasi (petugas registrasi)   pembina   psikolog"
	@echo "  mentor   magang (peserta magang)   kanwil, kakanwil (Kanwil Kaltim)   kepala_ruteng   admin"
	@echo "Two-step verification is not required in this demo (TWO_FACTOR_REQUIRED=true make run to try it)."
	@echo "A Celery worker (queues interactive, batch) and beat run beside the web server;"
	@echo "the broker is a SQLite file unless REDIS_URL is set. Ctrl-C stops all three."
	@echo ""
	$(MANAGE) rundemo --addr $(HOST):$(PORT)

check-services:
	@$(UV) run --frozen python -m rutan.core.checkservices "$${DATABASE_URL:-$(PG_URL)}" "$${REDIS_URL:-$(REDIS)}"

lint:
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

test: install check-services lint
	DATABASE_URL="$${DATABASE_URL:-$(PG_URL)}" REDIS_URL="$${REDIS_URL:-$(REDIS)}" \
		DJANGO_SETTINGS_MODULE=rutan.settings.test $(MANAGE) makemigrations --check --dry-run
	DATABASE_URL="$${DATABASE_URL:-$(PG_URL)}" REDIS_URL="$${REDIS_URL:-$(REDIS)}" \
		$(UV) run --frozen pytest --create-db -n $(PYTEST_WORKERS) --dist loadscope $(PYTEST_ARGS)

bench: install check-services
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } || { echo "wrk is missing: apt-get install -y wrk"; exit 1; }
	BENCH_DATABASE_URL="$${BENCH_DATABASE_URL:-$(PG_URL)_bench}" $(UV) run --frozen python bench/national.py $(BENCH_ARGS)

# Its own PostgreSQL 15 and Redis on spare loopback ports: the machine's are never touched.
chaos: install
	@command -v redis-server >/dev/null 2>&1 || { echo "redis-server is missing: apt-get install -y redis-server"; exit 1; }
	$(UV) run --frozen python bench/chaos.py $(CHAOS_ARGS)

# Both queues by default; one only with QUEUES=batch (or interactive). See docs/deploy-celery.md.
QUEUES ?= interactive,batch
worker:
	$(UV) run --frozen celery -A rutan worker -Q $(QUEUES) -l info

beat:
	$(UV) run --frozen celery -A rutan beat -l info

clean:
	rm -rf .venv node_modules staticfiles db.sqlite3 celery-broker.sqlite3 .pytest_cache
