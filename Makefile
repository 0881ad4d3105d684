# strait — every target sets up .venv itself, so on a fresh machine
# `make demo` and `make test` are the only commands a user needs.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test bench lint docs clean chromium serve

# Debian's chromium for the browser tests and iproute2 for the Ray cluster tests' network
# namespace (installed when running as root and missing)
chromium:
	@command -v chromium >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)
	@command -v ip >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iproute2 >/dev/null)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,plot,web,ray]"
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

demo: $(STAMP)
	@bash scripts/demo.sh

test: $(STAMP) chromium
	$(BIN)/ruff check src tests
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest -n 2 -q

# the dashboard on http://127.0.0.1:8000/ (studies from studies.duckdb when it exists)
serve: $(STAMP)
	$(BIN)/strait serve

bench: $(STAMP)
	$(BIN)/python bench/bench_engine.py

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests || true

docs: $(STAMP)
	$(BIN)/strait docs build

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache build dist src/*.egg-info
