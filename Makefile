# One Makefile, used the same way on a laptop and in CI.
#   make book   create .venv from the lock file if needed, then build the HTML book
#   make test   run every test (unit, data, bad input, notebooks, strict build, browser)
#   make serve  serve the built book on http://127.0.0.1:8000
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export PIP_DISABLE_PIP_VERSION_CHECK=1
export PYDEVD_DISABLE_FILE_VALIDATION=1

.PHONY: book test serve clean lock chromium bench

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-warn-script-location -r requirements.lock 2>&1 | { grep -v "is ignored: it is neither" || true; }
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e . 2>&1 | { grep -v "is ignored: it is neither" || true; }
	$(BIN)/python -c "import oilroutes, jupyter_book, geopandas, folium, altair, frictionless"
	@touch $@

# oilroutes.build fetches the pinned JS libraries, drops stale execution caches
# (jupyter-cache only sees notebook text) and builds strictly (-W -n).
book: $(STAMP)
	$(BIN)/python -m oilroutes.build

test: $(STAMP) chromium
	$(BIN)/python -m pytest

# The browser checks drive Debian's Chromium through Playwright (no browser download).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser checks"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; export DEBIAN_FRONTEND=noninteractive; \
	  $$SUDO apt-get install -y -q chromium >/dev/null 2>&1 || { $$SUDO apt-get update -q >/dev/null && $$SUDO apt-get install -y -q chromium >/dev/null; }; }

# A benchmark against the budgets in the book's design (reports, never fails).
bench: $(STAMP)
	$(BIN)/python -m oilroutes.bench

serve: book
	$(BIN)/python -m http.server --directory _build/html --bind 127.0.0.1 8000

lock:
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile requirements.in --python-version 3.11 --generate-hashes -o requirements.lock

clean:
	rm -rf _build
