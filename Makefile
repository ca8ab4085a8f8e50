# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
SHARED_DATA := $(abspath ../shared/data)
export INFMAX_DATA_DIR ?= $(if $(wildcard $(SHARED_DATA)),$(SHARED_DATA),)

.PHONY: demo test bench lint clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)

# core install: numpy, scipy, numba, networkx
$(VENV)/.core: $(VENV)/bin/activate pyproject.toml
	$(PIP) install -q -e .
	touch $@

# every extra; torch first, pinned, so nothing pulls the CUDA build
$(VENV)/.all: $(VENV)/bin/activate pyproject.toml
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e ".[all,dev]"
	touch $@ $(VENV)/.core

demo: $(VENV)/.core
	$(VENV)/bin/infmax demo --output out/infmax-demo.json

# layer contracts ([tool.importlinter] in pyproject.toml), lint (docstrings and annotations of
# the public modules included: [tool.ruff] in pyproject.toml), then the tests
test: $(VENV)/.all
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff check src tests benchmarks
	$(PY) -m pytest -n 2 -q

# the four speed rows of issue 14 (INFMAX_IMM_REFERENCE=path adds the reference C++ IMM);
# the other tables: make bench BENCH="speed mc ris org bopim"
BENCH ?= speed
bench: $(VENV)/.all
	$(PIP) install -q -r benchmarks/requirements.txt || echo "some peer codes did not install; the table says which"
	$(PY) benchmarks/run.py $(BENCH)

lint: $(VENV)/.all
	$(VENV)/bin/ruff check src tests benchmarks

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
