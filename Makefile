# Two commands for a newcomer: `make demo` and `make test`.
# Both build .venv from pyproject.toml first, so a fresh clone needs only Python and make.
# Prefer 3.11 (what CI runs); any Python >= 3.10 works.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean

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

test: $(STAMP)
	$(BIN)/python -m pytest tests notebooks --nbmake -q

lint: $(STAMP)
	$(BIN)/ruff check toolkit tests benchmarks experiments notebooks
	$(BIN)/ruff format --check toolkit tests benchmarks

bench: $(STAMP)
	$(BIN)/python -m benchmarks $(if $(SHARED),--shared $(SHARED),)

clean:
	rm -rf $(VENV) build *.egg-info
