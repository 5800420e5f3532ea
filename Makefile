# Helpline: two commands do everything.
#   make run   - the application with demo data on SQLite, at http://127.0.0.1:8000
#   make test  - lint, types, migrations check, tests on SQLite and PostgreSQL, browser tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lint messages clean

$(STAMP): pyproject.toml package.json
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@if command -v npm >/dev/null 2>&1; then npm install --no-audit --no-fund --silent; \
	 else echo "WARNING: npm not found: pages will load without the Pico stylesheet."; fi
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/helpline migrate --no-input -v 0
	$(BIN)/helpline demo --if-empty
	$(BIN)/helpline serve 127.0.0.1:8000

test: $(STAMP)
	$(BIN)/python scripts/run_tests.py

lint: $(STAMP)
	$(BIN)/ruff format --check src bench scripts
	$(BIN)/ruff check src bench scripts

messages: $(STAMP)
	cd src/helpline && ../../$(BIN)/helpline makemessages -l ru -l en -l uz -l tg -l ky --no-obsolete && \
	  ../../$(BIN)/helpline compilemessages

clean:
	rm -rf $(VENV) node_modules var
