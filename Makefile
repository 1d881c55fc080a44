# Kinerja Sibolga: the two commands are `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
THREADS ?= 12
export FLASK_APP := portal

.PHONY: lock run test test-dates lint format bench demo init-db verify-audit clean-db install install-dev browser-deps

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# requirements*.txt are the short, readable lists; requirements*.lock (pip-compile, with
# hashes) are what gets installed. After editing a .txt: make lock.
$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/pip install -q --require-hashes -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements.lock requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install -q --require-hashes -r requirements-dev.lock
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
## lock: recompile requirements.lock and requirements-dev.lock (hashes) from the .txt lists
lock:
	$(PY) -m venv .venv-lock
	.venv-lock/bin/pip install -q pip-tools==7.7.0
	.venv-lock/bin/pip-compile -q --generate-hashes --allow-unsafe --strip-extras \
	  --no-emit-index-url --no-emit-find-links -o requirements.lock requirements.txt
	.venv-lock/bin/pip-compile -q --generate-hashes --allow-unsafe --strip-extras \
	  --no-emit-index-url --no-emit-find-links -o requirements-dev.lock requirements-dev.txt
install-dev: $(VENV)/.installed-dev

## run: install, create the demo database if absent, serve on http://$(HOST):$(PORT)
run: install
	@KINERJA_ENV=development $(BIN)/flask init-db
	@KINERJA_ENV=development $(BIN)/flask seed-demo
	@echo "Kinerja Sibolga berjalan di http://$(HOST):$(PORT)  (Ctrl+C untuk berhenti)"
	KINERJA_ENV=development $(BIN)/waitress-serve --host=$(HOST) --port=$(PORT) --threads=$(THREADS) --ident= wsgi:app

## test: install the dev requirements and run the whole suite (browser tests included)
test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -r kinerja portal -lll
	$(BIN)/pytest -n 2 --dist loadfile $(PYTEST_ARGS)

## test-dates: the suite again with "today" pinned to awkward days (kinerja/clock.py);
## the walks that do not build dated data (security, route x role, conventions, layout,
## migrations) run once; on the year boundary (BROWSER_DATE) the browser flows with dated
## rules (periods, deadlines, plans) and the walk of every page as every role run too,
## elsewhere not: this keeps CI under 20 minutes
DATES ?= 2027-01-01T06:30 2028-02-29
BROWSER_DATE ?= 2027-01-01T06:30
DATELESS := --ignore=tests/security --ignore=tests/test_access_matrix.py \
  --ignore=tests/test_conventions.py --ignore=tests/test_docs.py --ignore=tests/test_layout.py \
  --ignore=tests/test_dependencies.py --ignore=tests/kinerja/test_migrations.py \
  --ignore=tests/portal/test_templates_conventions.py --ignore=tests/portal/test_guide_links.py
# browser flows that hold no dated rule (sign-in, kiosk, citizen pages, layout and axe walks)
DATELESS_BROWSER := $(foreach f,test_auth_flows test_flow_citizen test_flow_kiosk \
  test_flow_phone test_flow_receipt test_page_checks test_flow_notifications_menu, \
  --ignore=tests/browser/$(f).py)
test-dates: install-dev
	@for day in $(DATES); do \
	  if [ "$$day" = "$(BROWSER_DATE)" ]; then skip="$(DATELESS_BROWSER)"; \
	  else skip="--ignore=tests/browser --ignore=tests/portal/test_no_english.py"; fi; \
	  echo "== KINERJA_TODAY=$$day $$skip"; \
	  KINERJA_TODAY=$$day $(BIN)/pytest -n 2 --dist loadfile $(PYTEST_ARGS) $$skip $(DATELESS) \
	    || exit 1; \
	done

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -r kinerja portal -lll

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## demo: delete the demo database (with -wal/-shm) after asking and load the demo again
## (YES=1: without asking); refuses a database with non-demo data
demo: install
	KINERJA_ENV=development $(BIN)/flask reset-demo $(if $(YES),--yes)

## clean-db: delete the demo database (with -wal/-shm) after asking (YES=1: without asking)
clean-db: install
	KINERJA_ENV=development $(BIN)/flask reset-demo --no-seed $(if $(YES),--yes)

init-db: install
	KINERJA_ENV=development $(BIN)/flask init-db

verify-audit: install
	KINERJA_ENV=development $(BIN)/flask verify-audit

bench: install-dev
	$(BIN)/python -m bench.run $(BENCH_ARGS)
