# Two commands a new user needs: `make verify` and `make test`. Both create .venv on first use.
PYTHON3 ?= python3
VENV    ?= .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
WORKERS ?=
SEED    ?= 0
OUT     ?= reports
ARGS    := --out $(OUT) --seed $(SEED) $(if $(WORKERS),--workers $(WORKERS))

.PHONY: install verify verify-quick test test-all bench clean

$(STAMP): pyproject.toml
	$(PYTHON3) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

verify: $(STAMP)          ## every claim of the catalogue on its full grid; report under reports/
	$(PY) -m verifiers $(ARGS)

verify-quick: $(STAMP)    ## every claim on its quick grid
	$(PY) -m verifiers --quick $(ARGS)

test: $(STAMP)            ## unit and property tests, and every claim on its quick grid
	$(PY) -m pytest -q -m "not slow"

test-all: $(STAMP)        ## the above plus the slow tests
	$(PY) -m pytest -q

bench: $(STAMP)           ## kernel speed against the NumPy twin, measured in the same run
	$(PY) -m benchmarks

clean:                    ## reports, test caches and the result cache
	rm -rf $(OUT)/*.png $(OUT)/*.html $(OUT)/results.json $(OUT)/counterexamples .pytest_cache .hypothesis .cache
