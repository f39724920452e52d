# The two commands of the README: `make report` and `make test`.
# Both create a virtual environment in .venv on first use and install ina into it.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: report test lint benchmark clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e ".[test]"
	$(VENV)/bin/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

report: $(STAMP)
	$(VENV)/bin/ina build

test: $(STAMP)
	$(VENV)/bin/python -m pytest
	$(VENV)/bin/ruff check src tests benchmarks

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks

benchmark: $(STAMP)
	$(VENV)/bin/python benchmarks/build_stages.py
	$(VENV)/bin/python benchmarks/stats_engine.py

clean:
	rm -rf build .ina-cache
