# Kring: `make demo` to try it, `make test` to test it. See README.md.
SHELL := /bin/bash
PORT ?= 8000
PYTHON := .venv/bin/python
UV := $(shell command -v uv 2>/dev/null || echo "python -m uv")
export UV_PYTHON_DOWNLOADS := never
PYTEST_FLAGS ?= -q -n 2
# The PostgreSQL run: the server on 127.0.0.1:5432 with trust auth (see .ci/run).
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/kring

.PHONY: install pdf-deps demo serve test test-postgres test-browser browser-deps lint bench messages clean

install: pdf-deps .venv/.installed
.venv/.installed: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || python -m uv --version >/dev/null 2>&1 || python -m pip install --quiet uv
	$(UV) sync --frozen
	@touch $@

messages: install
	DEBUG=1 $(PYTHON) manage.py compilemessages --ignore=.venv -v0

demo: install messages
	DEBUG=1 $(PYTHON) manage.py migrate -v0
	DEBUG=1 $(PYTHON) manage.py demo --if-empty
	@echo "Kring draait op http://127.0.0.1:$(PORT)/ (stoppen met Ctrl+C)"
	@echo "Verstuurde e-mail (ook wachtwoordherstel) staat als .eml-bestand in sent-mail/"
	DEBUG=1 EMAIL_BACKEND=file $(PYTHON) manage.py db_worker >/dev/null 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 EMAIL_BACKEND=file $(PYTHON) manage.py runserver 127.0.0.1:$(PORT)

test: install messages
	$(PYTHON) -m pytest $(PYTEST_FLAGS) -m "not postgres and not browser"

test-postgres: install messages
	DATABASE_URL=$(POSTGRES_URL) $(PYTHON) -m pytest $(PYTEST_FLAGS) -m "not browser"

# WeasyPrint subsets fonts with HarfBuzz when libharfbuzz-subset is there, else with fontTools,
# which makes every plan PDF about 300 ms slower. Best effort: without root it only warns.
pdf-deps:
	@ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libharfbuzz-subset0 >/dev/null) || \
	  echo "Let op: libharfbuzz-subset0 ontbreekt; plan-PDF's worden trager (apt-get install libharfbuzz-subset0)."

browser-deps:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

test-browser: install messages browser-deps
	$(PYTHON) -m pytest -q -m browser

lint: install
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m mypy kring bench

bench: install
	@for script in bench/*.py; do echo "== $$script"; $(PYTHON) $$script || exit 1; done

clean:
	rm -rf .venv staticfiles kring.sqlite3 sent-mail
