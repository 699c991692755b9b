# cobench: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs the suite.
# Needs only python3; everything else is installed into .venv.

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JSME := cobench/static/vendor/jsme/jsme.nocache.js

.PHONY: run test lint format bench install clean-db chromium vendor cartridge

run: $(STAMP) $(JSME)
	$(BIN)/cobench migrate --verbosity 0
	$(BIN)/cobench demo
	$(BIN)/cobench serve

# one test process per core (pytest-xdist; each has its own test database)
test: $(STAMP) chromium $(JSME)
	$(BIN)/pytest -n auto

lint: $(STAMP)
	$(BIN)/ruff check
	$(BIN)/ruff format --check
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix
	$(BIN)/ruff format

# results also go to bench/results/ (not committed), one JSON object per line
bench: $(STAMP)
	@mkdir -p bench/results
	$(BIN)/python bench/run.py | tee bench/results/$$(date -u +%Y%m%dT%H%M%SZ).jsonl

install: $(STAMP) $(JSME)

vendor: $(JSME)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# reinstall only when the dependencies change
$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# the structure editor (JSME, BSD-3-Clause) comes from the npm registry, pinned by
# frontend/package-lock.json, and is served from cobench/static/vendor/jsme/ (not committed), its
# loader rewritten to load the code as script files rather than eval'd inline scripts
$(JSME): frontend/package-lock.json frontend/unwrap-jsme.js
	@if ! command -v npm >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then \
			DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
		else \
			echo "npm is needed for the structure editor: sudo apt-get install nodejs npm"; exit 1; \
		fi; \
	fi
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	rm -rf cobench/static/vendor/jsme && mkdir -p cobench/static/vendor/jsme
	cp -R frontend/node_modules/jsme-editor/. cobench/static/vendor/jsme/
	cd cobench/static/vendor/jsme && rm -f README.md jsme_screenshot.png jsme.devmode.js compilation-mappings.txt
	node frontend/unwrap-jsme.js cobench/static/vendor/jsme  # runs under the CSP: see that file
	touch $(JSME)

# the browser tests drive Debian's chromium; install it when we may
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing Debian's chromium for the browser tests"; \
			DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "No /usr/bin/chromium (sudo apt-get install chromium): browser tests will skip"; \
		fi; \
	fi

# structure search in PostgreSQL: Debian's RDKit cartridge for the installed PostgreSQL, when we
# may. Its 2022.09 script declares `@=` with `=` as commutator and `<>` as negator, which
# PostgreSQL (15.8 and later) refuses ("commutator operator = is already the commutator of
# operator ="); as upstream did (rdkit#7596), `@=` becomes its own commutator.
cartridge:
	@pg="$$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)"; \
	if [ -z "$$pg" ]; then echo "No PostgreSQL here: no cartridge"; exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then echo "sudo apt-get install postgresql-$$pg-rdkit for in-database search"; exit 0; fi; \
	if [ ! -f /usr/share/postgresql/$$pg/extension/rdkit.control ]; then \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-$$pg-rdkit >/dev/null; \
	fi; \
	for f in /usr/share/postgresql/$$pg/extension/rdkit--*.sql; do \
		sed -i "/CREATE OPERATOR @= (/,/);/{s/COMMUTATOR = '='/COMMUTATOR = '@='/;/NEGATOR = '<>'/d}" "$$f"; \
	done

# delete the local SQLite database (the demo is loaded again by `make run`)
clean-db:
	rm -f var/cobench.sqlite3 var/cobench.sqlite3-wal var/cobench.sqlite3-shm
