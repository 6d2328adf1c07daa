# Two commands on a fresh machine: `make run` and `make test`. Both create .venv first.
# uv is used when it is on PATH (never downloading a Python); otherwise python3 -m venv + pip.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
SCENARIO ?= scenarios/baseline.yaml
OUT ?= runs/baseline

.PHONY: setup run test bench app clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@if command -v uv >/dev/null 2>&1; then \
		UV_PYTHON_DOWNLOADS=never uv venv --allow-existing --python "$$(command -v $(PYTHON))" $(VENV) && \
		uv pip install --python $(PY) -c constraints.txt -e '.[dev]'; \
	else \
		$(PYTHON) -m venv $(VENV) && \
		$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'; \
	fi
	@touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/carebench simulate $(SCENARIO) --out $(OUT)

test: $(STAMP)
	$(PY) -m pytest -n auto -q

bench: $(STAMP)
	$(PY) benchmarks/bench_mmn.py

app: $(STAMP)
	$(VENV)/bin/carebench app

clean:
	rm -rf $(VENV) runs .pytest_cache
