# Habeas: `make run` starts it on SQLite with demo data and a worker; `make test` runs the suite.
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Django 6.1 needs Python >= 3.12: take one from PATH, else from pyenv's versions.
OK_PY := import sys; sys.exit(sys.version_info < (3, 12))
PYTHON ?= $(shell root=$$(pyenv root 2>/dev/null || echo $$HOME/.pyenv); \
  for c in python3.13 python3.12 $$(ls -d $$root/versions/3.1[23]*/bin/python 2>/dev/null | sort -rV); do \
    p=$$(command -v $$c) && $$p -c '$(OK_PY)' 2>/dev/null && { echo $$p; exit; }; done)

.PHONY: chromium run test lint format messages clean venv

venv: $(STAMP)

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "Habeas needs Python 3.12 or 3.13 (python3.13/python3.12 on PATH, or under pyenv); none found." >&2; exit 1; fi
	@$(PYTHON) -c '$(OK_PY)' || { echo "$(PYTHON) is older than 3.12" >&2; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

run: export HABEAS_BASE_URL ?= http://127.0.0.1:$(PORT)
run: $(STAMP)
	@mkdir -p var
	HABEAS_DEBUG=1 $(PY) manage.py migrate --noinput -v 0
	HABEAS_DEBUG=1 $(PY) manage.py demo_data
	@echo "App:     http://127.0.0.1:$(PORT)/"
	@echo "Console: http://127.0.0.1:$(PORT)/console/"
	@HABEAS_DEBUG=1 $(PY) manage.py db_worker --interval 0.2 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  HABEAS_DEBUG=1 $(PY) manage.py runserver --noreload 127.0.0.1:$(PORT)

# Browser tests need Debian's Chromium (Playwright cannot download its own here).
chromium:
	@[ -x /usr/bin/chromium ] || { [ "$$(id -u)" = 0 ] && apt-get update -q && apt-get install -y -q chromium; } \
	  || { echo "The browser tests need Chromium: sudo apt-get install chromium" >&2; exit 1; }

# npm packages the browser tests use (axe-core); installed from the lock file, no scripts.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --silent
	touch $@

test: $(STAMP) lint chromium node_modules/.installed
	HABEAS_DEBUG=1 DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Rebuild the catalogues after changing strings; the compiled .mo files are committed.
messages: $(STAMP)
	cd habeas && HABEAS_DEBUG=1 ../$(PY) ../manage.py makemessages -l ru -l en --no-obsolete
	cd habeas && HABEAS_DEBUG=1 ../$(PY) ../manage.py makemessages -d djangojs -l ru -l en --no-obsolete
	HABEAS_DEBUG=1 $(PY) manage.py compilemessages

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
