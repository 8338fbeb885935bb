# Suunta: `make run` starts it on a laptop, `make test` runs the whole suite.
# Both use SQLite and a filesystem Celery broker under var/ unless
# DATABASE_URL / REDIS_URL point at PostgreSQL / Redis.

SHELL := /bin/bash
.DEFAULT_GOAL := help
.NOTPARALLEL:

HOST ?= 127.0.0.1
PORT ?= 8000
VENV ?= .venv
VAR ?= var
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# Extra pytest options, e.g. make test PYTEST_ARGS="-x tests/strategy"
PYTEST_ARGS ?=

INSTALL_STAMP := $(VENV)/.suunta-installed
MESSAGES_STAMP := $(VAR)/.messages-compiled
STATIC_STAMP := $(VAR)/.static-collected
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
STATIC_FILES := $(shell find static -type f 2>/dev/null)
LOCALE_IGNORE := --ignore=$(VENV) --ignore=$(VAR) --ignore=node_modules
# Python keeps the project's compiled modules (__pycache__) for the next
# process: a test run starts dozens (test processes, Celery workers, report
# renderers, manage.py), and where the environment forbids writing them each
# process compiled the whole project again.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help system-packages install migrate static demo run test bench lint messages clean distclean

help:
	@echo "make run       install, migrate, load the demo data, start web server and worker (PORT=$(PORT))"
	@echo "make test      run the whole test suite (PostgreSQL when DATABASE_URL is set, else SQLite)"
	@echo "make install   create $(VENV), install dependencies, Debian packages and translations"
	@echo "make lock      rewrite requirements*.lock from pyproject.toml (UPGRADE=1: newest allowed versions)"
	@echo "make migrate | demo | bench | lint | messages | clean | distclean"

# --- installation --------------------------------------------------------

# Exact versions and hashes: runtime (the Docker image) and runtime + dev tools.
LOCK := requirements.lock
LOCK_DEV := requirements-dev.lock

# The virtualenv and Python dependencies: redone only when the lock file
# changes. requirements-dev.lock pins every package (runtime and dev tools)
# with its hashes; pip installs exactly those files and resolves nothing, so
# every machine gets the same versions. pyproject.toml keeps the ranges:
# after changing them, `make lock` rewrites the lock files. Only the
# dependencies are installed (the project itself is run from the checkout;
# pyproject has no packages to build).
$(INSTALL_STAMP): $(LOCK_DEV)
	@if ! $(PY) -c 'import sys; sys.exit(sys.version_info[:2] < (3, 12))' 2>/dev/null; then \
		python=$$(bin/find-python) || exit 1; \
		echo "Creating $(VENV) with $$python"; \
		"$$python" -m venv --clear $(VENV) || exit 1; \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r $(LOCK_DEV)
	@touch $@

# Rewrite the lock files from pyproject.toml's ranges, for every platform and
# Python >= 3.12, with the hashes of every wheel. Versions already locked are
# kept unless pyproject.toml no longer allows them; `make lock UPGRADE=1`
# moves everything to the newest allowed release. The runtime lock (the
# Docker image's) is resolved within the dev lock, so both agree.
LOCK_FLAGS = --universal --python-version 3.12 --generate-hashes --quiet \
	--custom-compile-command "make lock" $(if $(UPGRADE),--upgrade)

.PHONY: lock
lock: $(INSTALL_STAMP)
	$(PY) -m uv pip compile pyproject.toml --extra dev $(LOCK_FLAGS) -o $(LOCK_DEV)
	$(PY) -m uv pip compile pyproject.toml $(LOCK_FLAGS) -c $(LOCK_DEV) -o $(LOCK)

# Compiled translations (.mo files are not committed).
$(MESSAGES_STAMP): $(INSTALL_STAMP) $(PO_FILES)
	@mkdir -p $(VAR)
	$(if $(PO_FILES),$(MANAGE) compilemessages $(LOCALE_IGNORE) --verbosity 0,@echo "No translations to compile (locale/*/LC_MESSAGES/*.po)")
	@touch $@

# Debian packages: checked on every run (fast), installed when missing and
# we are root or have passwordless sudo.
system-packages:
	@bin/install-system-packages

install: system-packages $(INSTALL_STAMP) $(MESSAGES_STAMP)
	@mkdir -p $(VAR)

# --- running --------------------------------------------------------------

migrate: install
	$(MANAGE) migrate --noinput

$(STATIC_STAMP): $(INSTALL_STAMP) $(STATIC_FILES)
	$(MANAGE) collectstatic --noinput --verbosity 0
	@touch $@

static: install $(STATIC_STAMP)

demo: migrate
	$(MANAGE) load_demo

run: install migrate static demo
	@$(PY) bin/run-dev --host $(HOST) --port $(PORT)

# --- quality --------------------------------------------------------------

# TEST_WORKERS processes share the suite (xdist); each has its own test
# database, Celery queue, caches, live server and browser. One more process
# than the machine has cores (at most 8): a test process spends part of its
# time waiting for the browser, a Celery worker or a subprocess, and the extra
# one runs meanwhile. Measured on a two-core machine with SQLite, back to
# back: 4 min 54 s in two processes (the cores idle 43 core-seconds of it),
# 4 min 37 s in three (idle 9).
# Each process starts with an equal run of the suite in its order and, once
# done, takes half of what is left to the busiest one (xdist's "worksteal"):
# handing out whole files made the last minute wait for one long browser
# file while the other processes had finished (10 s of one idle core). Back
# to back: 3 min 50 s by file (busy 448 core-seconds), 3 min 44 s stealing
# (440).
CORES := $(shell nproc 2>/dev/null || sysctl -n hw.ncpu 2>/dev/null || echo 2)
TEST_WORKERS ?= $(shell c=$(CORES); echo $$(( c + 1 < 8 ? c + 1 : 8 )))
XDIST = $(if $(filter-out 1,$(TEST_WORKERS)),-n $(TEST_WORKERS) --dist worksteal)
# In CI (CI=true) nothing may depend on the calendar: the whole suite runs
# first with Suunta's clock set to 2 January 2028, after the strategy periods,
# and the plan and maturity tests on a day inside the period; then the whole
# suite on the calendar's date, whose summary is the last line.
FIXED_DAY ?= 2028-01-02
INSIDE_DAY ?= 2026-06-15
DATE_TESTS ?= tests/strategy/test_plan*.py tests/strategy/test_workflow*.py tests/maturity
test: install $(STATIC_STAMP)
	@if [ -n "$$CI" ]; then \
		echo "== the whole suite on $(FIXED_DAY)"; \
		SUUNTA_TODAY=$(FIXED_DAY) $(PY) -m pytest -q -p no:cacheprovider $(XDIST) || exit 1; \
		echo "== plan and maturity tests on $(INSIDE_DAY)"; \
		SUUNTA_TODAY=$(INSIDE_DAY) $(PY) -m pytest -q -p no:cacheprovider -m "not browser" $(XDIST) $(DATE_TESTS) || exit 1; \
	fi
	$(PY) -m pytest $(XDIST) $(PYTEST_ARGS)

# Each bench/*.py is a script run from the repository root; they get their
# own SQLite database under var/bench so the demo data stays untouched.
# bench/api_bench.py (run by the loop below) times the API plan list at 30 and 120 units; its query count must not grow.
bench: install
	@mkdir -p $(VAR)/bench
	SUUNTA_VAR_DIR=$(abspath $(VAR))/bench $(MANAGE) migrate --noinput --verbosity 0
	@# One of them: make bench BENCH=bench/pages.py. Helper modules (no __main__) are skipped.
	@set -e; for script in $(or $(BENCH),bench/*.py); do \
		[ -e "$$script" ] || { echo "No benchmarks in bench/"; break; }; \
		grep -q '__main__' "$$script" || continue; \
		echo "== $$script"; \
		SUUNTA_VAR_DIR=$(abspath $(VAR))/bench PYTHONPATH=. $(PY) "$$script"; \
	done

lint: install
	$(PY) -m ruff check .

messages: install
	$(MANAGE) makemessages -l fi -l sv -l en $(LOCALE_IGNORE) --ignore=tests --ignore=bench --ignore=docs --ignore=bin
	$(MANAGE) compilemessages $(LOCALE_IGNORE) --verbosity 0
	@touch $(MESSAGES_STAMP)

# clean keeps the virtualenv; distclean removes it too.
clean:
	rm -rf $(VAR) .pytest_cache .ruff_cache test-results
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
	find locale -name '*.mo' -delete

distclean: clean
	rm -rf $(VENV)
