# `make test` and `make fuzz` do all set-up themselves and are idempotent; see README.md.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.ciro-installed
PYTEST_ARGS ?=
FUZZ_ARGS ?= --profile ci --report-dir reports/campaign

.PHONY: setup test fuzz toolchain clean

setup: $(STAMP) toolchain

# Reinstall the Python environment only when the dependency pins change (keeps a warm setup fast).
$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: install Python 3.11 (pyenv or apt) and rerun"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e .
	@touch $(STAMP)

toolchain: $(STAMP)
	@$(BIN)/ciro-fuzz toolchain install
	@command -v redis-server >/dev/null || ./scripts/install-redis

test: setup
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

fuzz: setup
	$(BIN)/ciro-fuzz run $(FUZZ_ARGS)

clean:
	rm -rf $(VENV) contracts/target reports/campaign reports/logs
