# Vida: `make run` to try it, `make test` to check it. Nothing else to set up.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed

# Tests always run on PostgreSQL and Redis; these are the local defaults.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/vida
TEST_BROKER_URL ?= redis://127.0.0.1:6379/15
# Throttles and lockouts are counted in this cache; the tests empty it between tests, so
# it must be a Redis database of its own (never the broker's).
TEST_CACHE_URL ?= redis://127.0.0.1:6379/14

# Without VIDA_ENV the settings are production's (secrets required, DEBUG off): every
# target that runs Django here says it wants the development settings.
DEV := VIDA_ENV=development

.PHONY: run test lint lock bench migrate clean help reliability backup restore

help:
	@echo "make run    - set up and serve Vida at http://127.0.0.1:8000 (web, Celery worker and beat)"
	@echo "make test   - run the whole test suite on PostgreSQL and Redis"
	@echo "make bench  - the performance measures (make bench BENCH=checkin runs one); see bench/README.md"
	@echo "make lint   - ruff: lint and format check (part of make test)"
	@echo "make lock   - recompile requirements*.txt (every package pinned and hashed) from the .in files"
	@echo "make reliability - load with faults (Redis stopped, PostgreSQL restarted) and a long schemathesis run"
	@echo "make backup / make restore BACKUP=file - pg_dump / pg_restore of DATABASE_URL"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Every package, transitive ones too, is pinned with its hashes (make lock).
$(RUNTIME_STAMP): requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@ $(RUNTIME_STAMP)

PIP_COMPILE := $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links

lock: $(DEV_STAMP)
	$(PIP_COMPILE) -o requirements.txt requirements.in
	$(PIP_COMPILE) -o requirements-dev.txt requirements-dev.in

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

run: $(RUNTIME_STAMP)
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py createcachetable
	$(DEV) $(BIN)/python manage.py seed_demo
	scripts/run.sh

test: $(DEV_STAMP) lint
	scripts/test-services.sh
	$(DEV) DATABASE_URL=sqlite://:memory: $(BIN)/python manage.py makemigrations --check --dry-run
	$(DEV) DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) CACHE_URL=$(TEST_CACHE_URL) \
		$(BIN)/pytest $(PYTEST_ARGS)

bench: $(DEV_STAMP)
	scripts/test-services.sh
	$(DEV) DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) $(BIN)/python bench/run.py $(BENCH) $(BENCH_ARGS)

# The slow half of the reliability suite (the fast half is in make test): 200 patients checking
# in for 60 s against gunicorn while Redis is stopped, then while PostgreSQL restarts (servers
# of its own on free ports), and schemathesis with many examples per operation.
reliability: $(DEV_STAMP)
	scripts/test-services.sh
	$(DEV) DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) CACHE_URL=$(TEST_CACHE_URL) \
		VIDA_RELIABILITY=1 VIDA_FUZZ_EXAMPLES=$(or $(FUZZ_EXAMPLES),60) \
		$(BIN)/pytest -p no:cacheprovider tests/reliability tests/test_api_fuzz.py $(PYTEST_ARGS)

backup:
	scripts/backup.sh

restore:
	scripts/restore.sh

clean:
	rm -rf $(VENV) var test-output
