# The two quickstart commands:
#   make run   set up the virtualenv, build the catalogue and run discovery
#   make test  set up the virtualenv with test dependencies and run every test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/sonocat init
	$(BIN)/sonocat discover || echo "discovery did not fully succeed (exit $$?): see the report above; offline? try: $(BIN)/sonocat --db demo.db discover --replay demo"
	$(BIN)/sonocat catalogue stats

test: $(STAMP)
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) build *.egg-info
