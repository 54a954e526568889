# The portal's everyday commands. `make run` and `make test` set everything up on a fresh machine.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Tests run with DEBUG off, as in production; they only need some secret key and plain HTTP.
TEST_ENV := DEBUG=0 SECRET_KEY=test-only-secret-key-not-for-production SECURE_SSL_REDIRECT=0
MANIFEST := whitenoise.storage.CompressedManifestStaticFilesStorage

.PHONY: install run code serve test lint format migrations-check messages check-deploy

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[dev]"
	rm -rf build *.egg-info
	touch $(STAMP)

install: $(STAMP)

## Development server on 127.0.0.1:8000 with the pilot data and demo accounts (safe to run again), and
## beside it a worker for the background jobs (imports), stopped when the server stops.
run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py loaddata pilot
	DEBUG=1 $(BIN)/python manage.py create_demo_accounts
	DEBUG=1 $(BIN)/python manage.py generate_synthetic --scale pilot
	DEBUG=1 $(BIN)/python manage.py db_worker --queue-name '*' --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

## The code the demo accounts' authenticator app shows now (second step of signing in).
code: install
	DEBUG=1 $(BIN)/python manage.py demo_code

## The portal as in production against DATABASE_URL: DEBUG off, static files collected and served by
## WhiteNoise, gunicorn workers, and TASK_WORKERS background workers (imports) beside them, stopped with
## gunicorn. Needs SECRET_KEY and ALLOWED_HOSTS; BIND, WORKERS and TASK_WORKERS are optional.
serve: install
	@test -n "$$SECRET_KEY" || { echo "Set SECRET_KEY and ALLOWED_HOSTS (and DATABASE_URL) to serve."; exit 1; }
	STATICFILES_STORAGE=$(MANIFEST) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py migrate --noinput
	workers=""; for n in $$(seq $${TASK_WORKERS:-2}); do \
		$(BIN)/python manage.py db_worker --queue-name '*' --no-reload & workers="$$workers $$!"; \
	done; \
	trap 'kill $$workers 2>/dev/null' EXIT INT TERM; \
	STATICFILES_STORAGE=$(MANIFEST) $(BIN)/gunicorn ksr_portal.wsgi --workers $${WORKERS:-3} \
		--bind $${BIND:-127.0.0.1:8000} --access-logfile -

## The whole test suite (SQLite, or the database DATABASE_URL points to).
test: install
	$(TEST_ENV) $(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

## Regenerate the Polish translations' catalogue; needs gettext (msgfmt). The .mo files are committed.
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages --locale pl --ignore ".venv/*" --no-obsolete
	DEBUG=1 $(BIN)/python manage.py compilemessages --locale pl --ignore ".venv/*"
