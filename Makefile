# Habeas: `make run` starts it on SQLite with demo data and a worker; `make test` runs the suite.
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
# Two installs: `make run` needs only the app and its production server; the tests, linters,
# photo detectors and their models (about 1 GB) come with `make test` alone.
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

# Django 6.1 needs Python >= 3.12: take one from PATH, else from pyenv's versions.
OK_PY := import sys; sys.exit(sys.version_info < (3, 12))
PYTHON ?= $(shell root=$$(pyenv root 2>/dev/null || echo $$HOME/.pyenv); \
  for c in python3.13 python3.12 $$(ls -d $$root/versions/3.1[23]*/bin/python 2>/dev/null | sort -rV); do \
    p=$$(command -v $$c) && $$p -c '$(OK_PY)' 2>/dev/null && { echo $$p; exit; }; done)

.PHONY: chromium run test suite test-stack check-migrations lint format messages clean venv

venv: $(STAMP_TEST)

$(PY):
	@if [ -z "$(PYTHON)" ]; then echo "Habeas needs Python 3.12 or 3.13 (python3.13/python3.12 on PATH, or under pyenv); none found." >&2; exit 1; fi
	@$(PYTHON) -c '$(OK_PY)' || { echo "$(PYTHON) is older than 3.12" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# The app's own dependencies, the production server (granian) among them; no extras.
$(STAMP_RUN): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	touch $@

# Everything the tests and linters use; a superset of the run install, so it stamps both.
$(STAMP_TEST): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP_RUN) $@

run: export HABEAS_BASE_URL ?= http://127.0.0.1:$(PORT)
run: $(STAMP_RUN)
	@mkdir -p var
	HABEAS_DEBUG=1 $(PY) manage.py migrate --noinput -v 0
	HABEAS_DEBUG=1 $(PY) manage.py createcachetable
	HABEAS_DEBUG=1 $(PY) manage.py demo_data
	@echo "App:     http://127.0.0.1:$(PORT)/"
	@echo "Console: http://127.0.0.1:$(PORT)/console/"
	@echo "Protest-day drill (the console fills as on 31 Jan 2021), in another terminal: HABEAS_DEBUG=1 $(PY) manage.py demo_protest_day --minutes 10"
	@echo "Telegram bot: start make run with HABEAS_TELEGRAM_TOKEN=<token from @BotFather> in its environment, then in another terminal:"
	@echo "  HABEAS_TELEGRAM_TOKEN=<token> .venv/bin/python manage.py telegram_poll   # Ctrl-C stops it"
	@echo "  (the worker that make run starts sends the bot's replies)"
	@# -v 0: at INFO the worker prints two lines per task, and the demo's first dispatch and
	@# deliveries scrolled the logins above off the screen; warnings and failures still show.
	@HABEAS_DEBUG=1 $(PY) manage.py worker -v 0 --interval 0.2 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  HABEAS_DEBUG=1 $(PY) manage.py runserver --noreload 127.0.0.1:$(PORT)

# Browser tests need Debian's Chromium (Playwright cannot download its own here). This only
# checks: installing system packages is for the machine's owner, and .ci/run does it in CI.
chromium:
	@[ -x "$${HABEAS_CHROMIUM:-/usr/bin/chromium}" ] \
	  || { echo "The browser tests need Chromium at $${HABEAS_CHROMIUM:-/usr/bin/chromium}: sudo apt-get install chromium" >&2; exit 1; }

# npm packages the browser tests use (axe-core); installed from the lock file, no scripts.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --silent
	touch $@

# The whole check, as CI runs it first (.ci/run): lint, the migrations check, every test.
test: lint check-migrations suite

# The tests alone; PYTEST_ARGS narrows them, e.g. PYTEST_ARGS='-m "not browser"'.
suite: $(STAMP_TEST) chromium node_modules/.installed
	HABEAS_DEBUG=1 DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest $(PYTEST_ARGS)

# The whole production stack on this machine, with faults (docs/deploy.md, "The stack test"):
# PostgreSQL at 127.0.0.1:5432, Redis, Caddy with deploy/Caddyfile, two web servers and two
# workers as the systemd units start them; it kills some and restarts PostgreSQL (as root).
test-stack: $(STAMP_TEST)
	HABEAS_DEBUG=1 $(PY) -m pytest -m stack habeas/ops/tests/test_whole_stack.py

# Fails when a model changed without its migration.
check-migrations: $(STAMP_TEST)
	HABEAS_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

lint: $(STAMP_TEST) node_modules/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	node_modules/.bin/biome check habeas biome.json package.json

format: $(STAMP_TEST)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Rebuild the catalogues after changing strings; the compiled .mo files are committed. The
# PWA's scripts get their strings from catalogues the Python views build (habeas/public), so
# there is no djangojs catalogue.
messages: $(STAMP_RUN)
	cd habeas && HABEAS_DEBUG=1 ../$(PY) ../manage.py makemessages -l ru -l en --no-obsolete
	HABEAS_DEBUG=1 $(PY) manage.py compilemessages

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
