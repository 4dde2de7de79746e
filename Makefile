# Two entry points for a fresh machine with only Python and pip (see README):
#   make demo   solve the Belarus–Tomsk demo scenario, check the plan, write it to out/
#   make test   run lint, type checks and the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint venv bench-install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	mkdir -p out
	$(BIN)/planner validate scenarios/belarus-tomsk-2025-2030.yaml
	$(BIN)/planner solve scenarios/belarus-tomsk-2025-2030.yaml -o out/belarus-tomsk-plan.json --time-limit 30
	$(BIN)/planner check scenarios/belarus-tomsk-2025-2030.yaml out/belarus-tomsk-plan.json

lint: $(STAMP)
	$(BIN)/ruff check planner tests benchmarks
	$(BIN)/ruff format --check planner tests benchmarks
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

# Benchmarks (not part of the tests): installs the peer solver, then see benchmarks/run.py --help
bench-install: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
