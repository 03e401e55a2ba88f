# The two promises: `make run` serves the demo, `make test` runs the whole suite.
# Both install what they need on a fresh Debian machine with Python 3.11+ and Node.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP_PY := $(VENV)/.installed
STAMP_JS := node_modules/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs in parallel (pytest-xdist), one worker per CPU; tests are shared out one by one
# and an idle worker takes work from a busy one (--dist worksteal: with whole files per worker,
# one big file kept a worker busy long after the other had finished);
# `make test TEST_WORKERS=0` runs it in one process.
TEST_WORKERS ?= auto

.PHONY: run test install assets migrate demo demo-code serve worker lint bench backup-drill browser-deps pdf-deps clean

run: install pdf-deps assets migrate demo
	@echo ""
	@echo "Serving the demo at http://$(HOST):$(PORT)/ (task worker running alongside; Ctrl-C stops both)"
	@export SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}"; \
	  $(PY) manage.py db_worker --queue-name default >/dev/null 2>&1 & WORKER=$$!; \
	  trap "kill $$WORKER 2>/dev/null" EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

test: install pdf-deps assets browser-deps
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m mypy
	$(PY) manage.py makemigrations --check --dry-run --settings=config.settings.test
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

install: $(STAMP_PY)

$(STAMP_PY): requirements/lock.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s)" % sys.version.split()[0])'
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || { echo "Python's venv module is missing: apt-get install -y python3-venv"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements/lock.txt
	touch $@

assets: $(STAMP_JS) static/build/css/app.css

$(STAMP_JS): package-lock.json
	@command -v npm >/dev/null || { echo "Node.js and npm are needed to build the front end: apt-get install -y nodejs npm"; exit 1; }
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

static/build/css/app.css: $(STAMP_JS) frontend/build.mjs $(wildcard frontend/scss/*.scss)
	node frontend/build.mjs

migrate: install
	$(PY) manage.py migrate --no-input -v0

demo: migrate
	$(PY) manage.py load_frameworks
	$(PY) manage.py load_demo

demo-code: install
	@$(PY) manage.py demo_code

worker: install
	$(PY) manage.py db_worker

# Browser tests drive Debian's Chromium; install it if it is missing (needs root or sudo).
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-liberation >/dev/null; \
	fi

# Report PDFs (WeasyPrint) need Debian's Pango libraries and a font.
pdf-deps:
	@if ! ldconfig -p | grep -q libpangoft2-1.0 || [ ! -d /usr/share/fonts/truetype/dejavu ]; then \
	  echo "Installing Pango and DejaVu fonts for report PDFs"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; \
	fi

# Ruff, mypy (strict on access, services, rules and selectors) and the typed-share ratchet
# (docs/adr/0007-types-and-complexity.md). `make test` runs the ratchet among the tests.
lint: install
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m mypy
	$(PY) scripts/typed_share.py

bench: install
	$(PY) bench/import_bench.py

# Back up PostgreSQL and the file storage, restore into a fresh database, check (docs/deploy.md).
backup-drill: install
	PY=$(PY) scripts/backup-drill.sh

clean:
	rm -rf $(VENV) node_modules static/build staticfiles db.sqlite3
