# Kring: `make demo` to try it, `make test` to test it. See README.md.
SHELL := /bin/bash
PORT ?= 8000
PYTHON := .venv/bin/python
UV := $(shell command -v uv 2>/dev/null || echo "python -m uv")
export UV_PYTHON_DOWNLOADS := never
PYTEST_FLAGS ?= -q -n 2
# The PostgreSQL run: the server on 127.0.0.1:5432 with trust auth (see .ci/run).
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/kring

.PHONY: install pdf-deps demo serve test test-postgres test-browser browser-deps lint layers bench messages backup restore restore-drill clean prod-local

install: pdf-deps .venv/.installed
.venv/.installed: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || python -m uv --version >/dev/null 2>&1 || python -m pip install --quiet uv
	$(UV) sync --frozen
	@touch $@

messages: install
	DEBUG=1 $(PYTHON) manage.py compilemessages --ignore=.venv -v0

# Links in the demo's mail point at the port it serves on (SITE_URL, the site's one address).
DEMO_ENV := DEBUG=1 SITE_URL=http://127.0.0.1:$(PORT)
demo: install messages
	DEBUG=1 $(PYTHON) manage.py migrate -v0
	DEBUG=1 $(PYTHON) manage.py createcachetable
	DEBUG=1 $(PYTHON) manage.py demo --if-empty
	@echo "Kring draait op http://127.0.0.1:$(PORT)/ (stoppen met Ctrl+C)"
	@echo "Verstuurde e-mail (ook wachtwoordherstel) staat als .eml-bestand in sent-mail/"
	$(DEMO_ENV) EMAIL_BACKEND=file $(PYTHON) manage.py db_worker >/dev/null 2>&1 & worker=$$!; \
	$(DEMO_ENV) $(PYTHON) manage.py run_periodic --every 1 >/dev/null 2>&1 & periodic=$$!; \
	trap 'kill $$worker $$periodic 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) EMAIL_BACKEND=file $(PYTHON) manage.py runserver 127.0.0.1:$(PORT)

# Production on this machine: the production settings (DEBUG unset) with local keys, against
# the local PostgreSQL, static files collected and served hashed by WhiteNoise, gunicorn with
# the worker and the scheduler beside it. KRING_PLAIN_HTTP=1 (only here): plain http without
# a TLS proxy, so cookies are not Secure-only. deploy/prod_local_check.sh is its CI check.
PROD_LOCAL_PORT ?= 8100
PROD_LOCAL_DB ?= postgres://postgres@127.0.0.1:5432/kring_prod_local
PROD_LOCAL_ENV := env -u DEBUG DATABASE_URL=$(PROD_LOCAL_DB) \
	SECRET_KEY=prod-local-secret-key-not-for-a-real-server-0123456789abcdef \
	KRING_PSEUDONYM_KEY=prod-local-pseudonym-key-not-for-a-real-server-0123456789 \
	ALLOWED_HOSTS=127.0.0.1,localhost KRING_PLAIN_HTTP=1 \
	SITE_URL=http://127.0.0.1:$(PROD_LOCAL_PORT) STATIC_ROOT=$(CURDIR)/staticfiles \
	EMAIL_BACKEND=file EMAIL_FILE_PATH=$(CURDIR)/sent-mail LOG_LEVEL=INFO
prod-local: install messages
	@psql "$(dir $(PROD_LOCAL_DB))postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$(notdir $(PROD_LOCAL_DB))'" | grep -q 1 || \
	  psql "$(dir $(PROD_LOCAL_DB))postgres" -qc 'CREATE DATABASE "$(notdir $(PROD_LOCAL_DB))"'
	$(PROD_LOCAL_ENV) $(PYTHON) manage.py collectstatic --noinput -v0
	$(PROD_LOCAL_ENV) $(PYTHON) manage.py migrate --noinput -v0
	$(PROD_LOCAL_ENV) $(PYTHON) manage.py createcachetable
	@echo "Kring (productie-instellingen) draait op http://127.0.0.1:$(PROD_LOCAL_PORT)/ (stoppen met Ctrl+C)"
	$(PROD_LOCAL_ENV) $(PYTHON) manage.py db_worker --no-reload & worker=$$!; \
	$(PROD_LOCAL_ENV) $(PYTHON) manage.py run_periodic & periodic=$$!; \
	trap 'kill $$worker $$periodic 2>/dev/null' EXIT INT TERM; \
	$(PROD_LOCAL_ENV) PORT=$(PROD_LOCAL_PORT) HOST=127.0.0.1 WEB_CONCURRENCY=$${WEB_CONCURRENCY:-4} \
	  .venv/bin/gunicorn -c deploy/gunicorn.conf.py kring.wsgi

# The test settings (kring/settings_test.py) are production's with throwaway keys; the test
# database gets its cache table (rate limits) from Django's test setup, as createcachetable.
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

lint: install layers
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m mypy kring bench deploy/image_check.py

# The import contracts in pyproject.toml ([tool.importlinter]): the course's layers, no
# product import of the demo, a pure matching engine, parts that do not know each other.
layers: install
	PYTHONPATH=. .venv/bin/lint-imports --no-cache

# Backups of the PostgreSQL database at POSTGRES_URL (custom format, compressed) in
# BACKUP_DIR; `make restore` puts the newest (or BACKUP=file) back, replacing what is there.
BACKUP_DIR ?= backups
backup:
	@mkdir -p $(BACKUP_DIR)
	pg_dump -Fc --no-owner -d "$(POSTGRES_URL)" -f "$(BACKUP_DIR)/kring-$$(date +%Y%m%d-%H%M%S).dump"
	@ls -1t $(BACKUP_DIR)/*.dump | head -n 1

restore:
	@file="$${BACKUP:-$$(ls -1t $(BACKUP_DIR)/*.dump | head -n 1)}"; \
	echo "restoring $$file into $(POSTGRES_URL)"; \
	pg_restore --clean --if-exists --no-owner --exit-on-error -d "$(POSTGRES_URL)" "$$file"

# Restore the newest backup into a fresh database and verify it (deploy/restore_drill.sh).
restore-drill: install
	deploy/restore_drill.sh

bench: install
	@for script in bench/*.py; do echo "== $$script"; \
	  DJANGO_SETTINGS_MODULE=kring.settings_test $(PYTHON) $$script || exit 1; done

clean:
	rm -rf .venv staticfiles kring.sqlite3 sent-mail
