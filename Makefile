# The two commands of the quick start are `make run` and `make test`; see README.md.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install migrate demo lint check messages bench dist clean

$(STAMP): requirements.txt pyproject.toml
	@sh scripts/system-deps.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

install: $(STAMP)

migrate: install
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py migrate --noinput

demo: migrate
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py load_demo_data

# Web, Celery worker, beat and the payments sandbox side by side on http://127.0.0.1:8000.
run: demo
	PATH="$(abspath $(BIN)):$$PATH" DEBUG=$${DEBUG:-true} $(BIN)/honcho --procfile Procfile start

# The whole suite. Uses PostgreSQL and Redis when DATABASE_URL and CELERY_BROKER_URL say so.
test: install
	@sh scripts/system-deps.sh test
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(BIN)/mypy

check: install
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run

# Refresh the apps' .po files; translate the new entries, then `make messages` again to compile.
messages: install
	for app in maalem/core lms/courses lms/crafts lms/certificates lms/accounts onboarding onboarding/marketplace; do \
	  (cd $$app && DEBUG=true $(abspath $(BIN))/python $(CURDIR)/manage.py makemessages \
	    -l ar -l fr -l en --no-obsolete) || exit 1; \
	done
	DEBUG=true $(BIN)/python manage.py compilemessages --ignore=.venv

# bench/pages.py runs Lighthouse, pinned in bench/package-lock.json (needs Node 20 and npm).
bench: install
	@sh scripts/system-deps.sh test
	npm ci --prefix bench --no-audit --no-fund
	$(BIN)/python bench/lesson_page.py
	$(BIN)/python bench/certificates.py
	$(BIN)/python bench/merchant_qr.py
	$(BIN)/python bench/pages.py

# The wheel and the sdist under dist/, as docs/install.md installs them, checked for PyPI.
dist: install
	rm -rf dist
	$(BIN)/python -m build
	$(BIN)/twine check --strict dist/*

clean:
	rm -rf var dist $(VENV)
