# Two entry points for a fresh machine with only Python and pip (see README):
#   make demo   solve the Belarus–Tomsk demo scenario, check the plan, write it and its report to out/
#   make test   run lint, type checks and the test suite (installs Debian's chromium for the browser test)
#   make app    start the web app: streamlit run app.py
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo app test lint browser venv bench-install clean

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
	$(BIN)/planner report scenarios/belarus-tomsk-2025-2030.yaml out/belarus-tomsk-plan.json -o out/belarus-tomsk-report.xlsx
	$(BIN)/planner report scenarios/belarus-tomsk-2025-2030.yaml out/belarus-tomsk-plan.json -o out/belarus-tomsk-report.html
	@echo "The plan's report (opens offline in a browser): $(CURDIR)/out/belarus-tomsk-report.html"

app: $(STAMP)
	$(BIN)/streamlit run app.py

lint: $(STAMP)
	$(BIN)/ruff check planner tests benchmarks app.py app_pages
	$(BIN)/ruff format --check planner tests benchmarks app.py app_pages
	$(BIN)/mypy

test: lint browser
	$(BIN)/pytest

# Debian's chromium and chromium-driver, driven by Playwright in the app's real-browser test (no
# browser download). Installed with apt-get when missing, through sudo unless root. Where that is
# impossible the browser tests are skipped, except in CI (CI set), where a missing browser fails.
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=; elif command -v sudo >/dev/null 2>&1; then sudo=sudo; else sudo=none; fi; \
	if [ "$$sudo" != none ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Debian's chromium and chromium-driver for the app's browser test (apt-get) ..."; \
	  $$sudo apt-get update -qq && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver \
	    && exit 0; \
	fi; \
	echo "make browser: could not install Debian's chromium and chromium-driver (needs apt-get, and root or sudo)."; \
	echo "  Install them with: sudo apt-get install chromium chromium-driver. Until then the browser tests are skipped."; \
	if [ -n "$$CI" ]; then echo "  CI is set: a missing browser is an error."; exit 1; fi

# Benchmarks (not part of the tests): installs the peer solver, then see benchmarks/run.py --help
bench-install: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
