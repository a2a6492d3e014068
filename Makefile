# The two commands of the quick start are `make run` and `make test`; see README.md.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install migrate demo lint check messages bench clean

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

install: $(STAMP)

migrate: install
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py migrate --noinput

demo: migrate
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py load_demo_data

# Web, Celery worker and beat side by side on http://127.0.0.1:8000, embedded default.
run: demo
	PATH="$(abspath $(BIN)):$$PATH" DEBUG=$${DEBUG:-true} $(BIN)/honcho --procfile Procfile start

# The whole suite. Uses PostgreSQL and Redis when DATABASE_URL and CELERY_BROKER_URL say so.
test: install
	@sh scripts/system-deps.sh
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: install
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run

messages: install
	cd lms/courses && ../../$(BIN)/django-admin makemessages -l ar -l fr -l en --no-obsolete
	cd lms/crafts && ../../$(BIN)/django-admin makemessages -l ar -l fr -l en --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore=.venv

bench: install
	$(BIN)/python bench/lesson_page.py

clean:
	rm -rf var $(VENV)
