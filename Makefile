# The two commands of the README: `make run` and `make test`.
# Both set up everything they need on a fresh Debian machine with Python 3.11.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8501

.PHONY: run test bench validate setup system-deps lint clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

## setup: create .venv and install planner with its pinned dependencies
setup: $(STAMP)

## run: start the app on the built-in demo data (http://localhost:8501)
run: $(STAMP)
	$(BIN)/streamlit run app.py --server.port $(PORT)

## system-deps: Debian packages the tests need (Chromium), installed when missing
system-deps:
	sh scripts/system-deps.sh

## test: run the whole test suite, browser tests included. The slow tests (marked `slow`: an 8-million-row
## Dask run) go first in a step of their own, bounded to 20 minutes; then everything else on two pytest-xdist
## workers (the browser tests together on one of them, see `xdist_group` in tests/).
test: $(STAMP) system-deps
	$(BIN)/ruff check planner tests app.py benchmarks scripts
	$(BIN)/python scripts/mypy_ratchet.py
	timeout 1200 $(BIN)/python -m pytest -m slow -p no:cacheprovider
	$(BIN)/python -m pytest -m "not slow" -n 2 --dist loadgroup

## bench: measure the national check (1M, 10M locations, realistic register) against DuckDB spatial, SedonaDB
## and PostGIS, impact and allocation; writes docs/benchmarks.md (about 20 minutes, inputs kept in .bench-data/)
bench: $(STAMP) system-deps
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[bench]'
	cd benchmarks && ../$(BIN)/python bench.py

## validate: leave-one-out test of the reference library; writes docs/validation.md (about 10 seconds)
validate: $(STAMP)
	$(BIN)/python -m planner.validation docs/validation.md

## lint: ruff and the mypy ratchet over the code
lint: $(STAMP)
	$(BIN)/ruff check planner tests app.py benchmarks scripts
	$(BIN)/python scripts/mypy_ratchet.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis test-artifacts .bench-data
