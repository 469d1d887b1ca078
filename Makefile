# One Makefile, used the same way on a laptop and in CI.
#   make book       create .venv from the lock file if needed, then build the HTML book
#   make test       lint, then every test (unit, data, bad input, notebooks, strict build, browser)
#   make test-fast  every test except the whole-book builds and the browser checks
#   make lint       ruff: the bug-catching rules and the one code layout (both test targets run it first)
#   make screenshots
#                   every page as Chromium draws it at 390, 768 and 1280 px, full length, in test-artifacts/
#   make pdf        the PDF edition of the whole book, _build/html/book.pdf (Chromium printing)
#   make lab        open the chapters in JupyterLab, in the book's environment (LAB_ARGS=--no-browser on a server)
#   make serve      serve the built book on http://127.0.0.1:8000 (PORT=8001 for another port)
#   make repository URL=https://github.com/owner/name
#                   set the repository address in _config.yml and write it wherever it is copied
# Python: any version from 3.11 on. The first of python3.13, python3.12, python3.11,
# python3 that runs and is recent enough is used; or name one: make PYTHON=/path/to/python3.12
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
MIN_PY := 3.11
PY_OK  := import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
            "$$p" -c '$(PY_OK)' >/dev/null 2>&1 && { echo "$$p"; break; }; done)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK=1
# Python keeps what it compiles in __pycache__ (ignored by git), as on any ordinary machine. Where a
# container sets PYTHONDONTWRITEBYTECODE, nothing would ever be kept: every kernel of a build would parse
# pandas, Altair and src/oilroutes from source (2.7 s instead of 1.0 s for the book's imports), and every
# pytest worker would rewrite the assertions of every test module again (collecting the tests: 6.5 s
# instead of 3.1 s a process). So what the book and its tests import is compiled the first time it is
# imported, and only that: compiling the whole environment as it was installed took 16 s of a fresh
# clone's 50 s on 2 cores.
unexport PYTHONDONTWRITEBYTECODE
export PYDEVD_DISABLE_FILE_VALIDATION=1

.PHONY: book test test-fast lint screenshots serve lab pdf repository clean lock chromium bench venv-reset

# A .venv made by a Python older than 3.11, or left half-made (no stamp, or a
# python that no longer runs), is removed and made again.
VENV_OK := $(shell [ -f $(STAMP) ] && $(BIN)/python -c '$(PY_OK)' >/dev/null 2>&1 && echo yes)
ifneq ($(VENV_OK),yes)
$(STAMP): venv-reset
endif

venv-reset:
	@if [ -d $(VENV) ]; then echo "Removing $(VENV): half-made, or its Python is missing, broken or older than $(MIN_PY)"; rm -rf $(VENV); fi

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || { \
	  if [ -z "$(PYTHON)" ] || ! "$(PYTHON)" -c '$(PY_OK)' >/dev/null 2>&1; then \
	    echo "No suitable Python found: the book needs Python $(MIN_PY) or newer (3.11, 3.12 or 3.13)." >&2; \
	    echo "Tried: $(or $(PYTHON),python3.13 python3.12 python3.11 python3). Point make at one, e.g." >&2; \
	    echo "  make book PYTHON=/usr/bin/python3.12   (or pyenv: PYTHON=\$$(pyenv root)/versions/3.12.1/bin/python)" >&2; \
	    exit 1; fi; \
	  echo "Creating $(VENV) with $$("$(PYTHON)" -c 'import sys; print(sys.executable, sys.version.split()[0])')"; \
	  "$(PYTHON)" -m venv $(VENV); }
	@# uv (its version and hashes taken from the lock) installs the locked set in seconds, checking
	@# every hash (it compiles nothing ahead: see PYTHONDONTWRITEBYTECODE above); where uv cannot
	@# reach the index, pip installs the same lock file.
	@awk '/^uv==/{p=1;print;next} p&&/^ /{print;next} {p=0}' requirements.lock > $(VENV)/uv-requirement.txt
	@$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(VENV)/uv-requirement.txt 2>&1 | { grep -v "is ignored: it is neither" || true; }
	@if $(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock \
	   && $(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps --no-build-isolation -e .; then \
	  echo "Installed requirements.lock with uv"; else \
	  echo "uv could not install the lock file; installing it with pip (slower)"; \
	  $(BIN)/python -m pip install --quiet --no-warn-script-location -r requirements.lock 2>&1 | { grep -v "is ignored: it is neither" || true; }; \
	  $(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e . 2>&1 | { grep -v "is ignored: it is neither" || true; }; fi
	$(BIN)/python -c "import oilroutes, jupyter_book, geopandas, folium, altair, frictionless"
	@touch $@

# oilroutes.build fetches the pinned JS libraries, drops stale execution caches
# (by content hash: jupyter-cache only sees notebook text) and builds strictly (-W -n).
book: $(STAMP)
	$(BIN)/python -m oilroutes.build

# pytest-xdist spreads the test files over one worker more than there are cores, since the browser
# tests spend part of their time waiting on Chromium (pyproject.toml keeps a file on one worker, so a
# module's fixtures run once; tests/conftest.py orders the files). PYTEST_ARGS= runs them in one process.
JOBS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))
PYTEST_ARGS ?= -n $(JOBS)

test: lint chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# ruff: the rules that catch bugs (pyproject.toml), and one layout for the code.
lint: $(STAMP)
	$(BIN)/ruff check --quiet .
	$(BIN)/ruff format --check --quiet .

# The layout and page checks, keeping a full-page screenshot of every page at every width
# (without this, only a page that fails a check leaves one).
screenshots: $(STAMP) chromium
	OILROUTES_SCREENSHOTS=1 $(BIN)/python -m pytest $(PYTEST_ARGS) tests/test_layout.py tests/test_book.py -k "fits_the_screen or draws_everything"
	@echo "Screenshots: $(CURDIR)/test-artifacts/layout/ (each width) and test-artifacts/ (1280 px)"

# Unit, data, bad-input and rule tests plus the chapters under nbval; no book build, no browser.
test-fast: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS) -m "not book and not browser"

# The browser checks drive Debian's Chromium through Playwright (no browser download).
chromium:
	@{ command -v chromium && command -v pdftotext; } >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium (browser checks, PDF) and poppler-utils (PDF checks)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; export DEBIAN_FRONTEND=noninteractive; \
	  $$SUDO apt-get install -y -q chromium poppler-utils >/dev/null 2>&1 || { $$SUDO apt-get update -q >/dev/null && $$SUDO apt-get install -y -q chromium poppler-utils >/dev/null; }; }

# A benchmark against the budgets in the book's design (reports, never fails).
bench: $(STAMP) chromium
	$(BIN)/python -m oilroutes.bench

pdf: book chromium
	$(BIN)/python -m oilroutes.pdf

# JupyterLab comes from the lock file; the chapters' kernel is the same .venv.
# (In a container running as root, JupyterLab needs --allow-root.)
lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir="$(CURDIR)" $$([ "$$(id -u)" = 0 ] && echo --allow-root) $(LAB_ARGS) chapters/00_introduction.ipynb

# The address lives in _config.yml (repository.url); the chapters' install cells and CITATION.cff get a
# copy, because Colab and citation tools read them without the configuration. Without URL: rewrite the copies.
repository: $(STAMP)
	$(BIN)/python -m oilroutes.repository $(URL)

serve: book
	$(BIN)/python -m oilroutes.serve --port $(PORT)

lock: $(STAMP)
	$(BIN)/uv pip compile requirements.in --python-version 3.11 --generate-hashes -o requirements.lock

clean:
	rm -rf _build
