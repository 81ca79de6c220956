# Two commands for a newcomer: `make demo` and `make test`.
# Both build .venv from pyproject.toml first, so a fresh clone needs only Python and make.
# Prefer 3.11 (what CI runs); any Python >= 3.10 works.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck docs notebooks bench test-lowest clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "error: no python3.11 or python3 on PATH; install Python 3.10+ or pass PYTHON=/path/to/python"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || { echo "error: $(PYTHON) is older than 3.10"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall whenever pyproject.toml changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test,docs]"
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/tifa demo

# The notebooks run once, in the docs build (make notebooks), not also under pytest.
test: lint typecheck
	$(BIN)/python -m pytest tests -q -n 2
	$(MAKE) docs

# Execute every notebooks/*.ipynb (cwd: notebooks/, two at a time) into build/notebooks/;
# fails naming the notebook and the cell that raised. The stored notebooks stay without outputs.
notebooks: $(STAMP)
	$(BIN)/python docs/hooks/execute_notebooks.py

# The documentation site, into build/site; strict: any warning fails the build.
# The tutorials are the notebooks executed above, rendered with their outputs.
docs: notebooks
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

# ruff, then the one-way import rule (the layers contract in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check toolkit tests benchmarks experiments notebooks docs/hooks
	$(BIN)/ruff format --check toolkit tests benchmarks docs/hooks
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
