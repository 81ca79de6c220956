# Two commands for a newcomer: `make demo` and `make test`.
# Both build .venv from pyproject.toml first, so a fresh clone needs only Python and make.
# Prefer 3.11 (what CI runs); any Python >= 3.10 works.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck bench test-lowest clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "error: no python3.11 or python3 on PATH; install Python 3.10+ or pass PYTHON=/path/to/python"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || { echo "error: $(PYTHON) is older than 3.10"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall whenever pyproject.toml changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/tifa demo

test: lint typecheck
	$(BIN)/python -m pytest tests notebooks --nbmake -q

# ruff, then the one-way import rule (the layers contract in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check toolkit tests benchmarks experiments notebooks
	$(BIN)/ruff format --check toolkit tests benchmarks
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

# The tests at the lowest version of every direct dependency that pyproject.toml admits:
# a lower bound that does not install or import together is a bug. Not part of CI.
LOWEST := .venv-lowest
test-lowest:
	@test -n "$(PYTHON)" || { echo "error: no python3.11 or python3 on PATH"; exit 1; }
	rm -rf $(LOWEST)
	$(PYTHON) -m venv $(LOWEST)
	$(LOWEST)/bin/python -m pip install --quiet uv
	$(LOWEST)/bin/uv pip compile pyproject.toml --extra test --resolution lowest-direct \
		--python $(LOWEST)/bin/python --quiet -o $(LOWEST)/requirements.txt
	$(LOWEST)/bin/uv pip install --python $(LOWEST)/bin/python --quiet -r $(LOWEST)/requirements.txt
	$(LOWEST)/bin/uv pip install --python $(LOWEST)/bin/python --quiet --no-deps -e .
	$(LOWEST)/bin/python -m pytest tests -q

# Every run also writes its results to benchmarks/results/bench-<UTC time>.json (ignored by git),
# which `tifa run experiments/benchmarks_summary --data benchmarks/results` gathers into one table.
BENCH_JSON ?= benchmarks/results/bench-$(shell date -u +%Y%m%dT%H%M%SZ).json
bench: $(STAMP)
	@mkdir -p $(dir $(BENCH_JSON))
	$(BIN)/python -m benchmarks $(if $(SHARED),--shared $(SHARED),) --json $(BENCH_JSON)

clean:
	rm -rf $(VENV) $(LOWEST) build *.egg-info
