# Two commands: `make run` (set up, build, start the dashboard) and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install build snapshot lint bench clean chromium lock axe

$(STAMP): pyproject.toml requirements.lock
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

build: install
	$(BIN)/python -m etl build

run: build
	$(BIN)/streamlit run serve.py --server.headless true --browser.gatherUsageStats false

# Re-derive data/snapshot from ../shared/data (maintainers; needs the raw sources).
snapshot: install
	$(BIN)/python -m etl snapshot

chromium:
	@command -v chromium >/dev/null 2>&1 || \
	  { if [ "$$(id -u)" = 0 ]; then (apt-get update -qq && apt-get install -y -qq chromium) \
	    || echo "could not install chromium: browser tests and static exports will skip"; \
	    else echo "chromium missing and not root: browser tests and static exports will skip"; fi; }

# axe-core (accessibility checks in the browser test), pinned by tests/browser/package-lock.json.
axe:
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix tests/browser --silent --no-audit --no-fund; \
	  else echo "npm missing: the accessibility checks of the browser test will skip"; fi

test: install chromium axe build
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python benchmarks/bench_etl.py
	$(BIN)/python benchmarks/bench_pages.py
	$(BIN)/python benchmarks/bench_export.py

# After changing pyproject.toml: resolve afresh and record every version (direct and transitive).
lock:
	rm -rf .venv-lock && $(PY) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet --upgrade pip
	.venv-lock/bin/pip install --quiet -e '.[dev]'
	{ sed -n '1,3p' requirements.lock; .venv-lock/bin/pip freeze --exclude-editable; } > requirements.lock.new
	mv requirements.lock.new requirements.lock && rm -rf .venv-lock

clean:
	rm -rf $(VENV) data/*.duckdb data/*.duckdb.*
