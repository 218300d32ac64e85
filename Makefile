# Two commands a new user needs: `make verify` and `make test`. Both create .venv on first use.
PYTHON3 ?= python3
VENV    ?= .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
WORKERS ?=
SEED    ?= 0
OUT     ?= reports
BACKEND ?= numba
ARGS    := --out $(OUT) --seed $(SEED) --backend $(BACKEND) $(if $(WORKERS),--workers $(WORKERS))

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

# `make bench` takes about 15 minutes, most of it timing the full `make verify` twice (cold and
# warm Numba cache). BENCH_ARGS passes options: "--no-verify" skips that part, "--scale 0.05
# --no-verify" is a run of a minute or so; `python -m benchmarks --help` lists them.
BENCH_ARGS ?=
bench: $(STAMP)           ## speed ratios measured side by side, and the issue's speed targets (~15 min)
	$(PY) -m benchmarks --verify $(BENCH_ARGS)

clean:                    ## reports, test caches and the result cache
	rm -rf $(OUT)/*.png $(OUT)/*.html $(OUT)/results.json $(OUT)/counterexamples .pytest_cache .hypothesis .cache
