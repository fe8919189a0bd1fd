# Set-up on a fresh machine needs only python3 and make: each target creates .venv as needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv run test clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[speech,mqtt,test]'
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/assistant chat

# -n auto: one test process per core (pytest-xdist), handed one test at a time, the long ones first
# (tests/conftest.py); PYTEST_ARGS="-n 0 ..." runs in one process
test: $(STAMP)
	$(BIN)/python -m pytest -n auto --maxschedchunk 1 $(PYTEST_ARGS)

clean:
	rm -rf $(VENV)
