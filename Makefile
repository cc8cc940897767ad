# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export IPWH_HOME ?= $(CURDIR)/data
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export DO_NOT_TRACK := 1
SCALE ?= city
SEED ?= 42

.PHONY: run test setup demo refresh app lint bench clean

$(BIN)/ipwh: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade "pip>=24"
	$(BIN)/pip install -q -c constraints.txt -e ".[dev]"
	touch $@

setup: $(BIN)/ipwh

demo: setup
	$(BIN)/ipwh demo --scale $(SCALE) --seed $(SEED)

refresh: setup
	$(BIN)/ipwh refresh

app: setup
	$(BIN)/streamlit run app.py --server.port 8501  # address, toolbar, telemetry: .streamlit/config.toml

run: demo refresh app

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint models macros tests/dbt

test: setup lint
	$(BIN)/pytest

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) data target logs dbt_packages
