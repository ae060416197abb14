# The two front doors: `make run` and `make test`. Everything else is a step they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup lint format messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py install_questionnaire
	$(BIN)/python manage.py load_demo

# `make run PORT=8100` when 8000 is taken. Links handed out follow the browser's address in
# development (config/links.py); SITE_ROOT, unless set, follows PORT for the admin's columns.
PORT ?= 8000

# Beside the server: a task worker, which sends the mail (printed in this terminal), and
# the periodic run (rounds that close on their own, mail to retry) every minute. Ctrl+C
# stops all three.
run: setup
	@echo "Samenspel runs at http://127.0.0.1:$(PORT) (Ctrl+C stops it); mail appears here."
	@export SITE_ROOT="$${SITE_ROOT:-http://127.0.0.1:$(PORT)}"; \
	$(BIN)/python manage.py db_worker --no-startup-delay --no-reload & worker=$$!; \
	( while sleep 60; do $(BIN)/python manage.py periodic -v0 >/dev/null; done ) & timer=$$!; \
	trap 'kill $$worker $$timer 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The Nu HTML checker for the page crawl (tests/e2e/test_every_page.py), pinned in
# package-lock.json. It runs on the system Java: --ignore-scripts keeps vnu-jar's install
# script from downloading a JDK. Without npm the check is skipped, except in CI (CI=true).
VNU := node_modules/vnu-jar/build/dist/vnu.jar

$(VNU): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  echo "npm ci --ignore-scripts --no-audit --no-fund" && \
	  npm ci --ignore-scripts --no-audit --no-fund && touch $(VNU); \
	else \
	  echo "No npm: the HTML check will be skipped (apt-get install npm default-jre-headless)."; \
	fi

# One worker per core; a test file stays on one worker (the page crawl checks its pages' HTML
# at the end of its file). Ends with the coverage of each file that is not fully covered
# (`make test COVERAGE=` leaves it out: CI measures it on its SQLite run only).
COVERAGE ?= --cov=assessment --cov=teams --cov=config --cov-report=term:skip-covered

# More pytest arguments: `make test PYTEST_ARGS="tests/assessment -x"`.
PYTEST_ARGS ?=

test: $(STAMP) $(VNU)
	$(BIN)/python -m pytest -n auto --dist loadfile $(COVERAGE) $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(STAMP)
	$(BIN)/python manage.py makemessages --locale nl --locale en --ignore "$(VENV)/*" --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore "$(VENV)/*"

clean:
	rm -rf $(VENV) db.sqlite3 static-collected
