# The two set-up commands of the README are `make run` and `make test`; the rest are their parts.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint install install-test assets system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-test: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

assets: node_modules/.package-lock.json
	$(BIN)/python scripts/build_assets.py

# Debian packages the tests use: Chromium for the browser tests (Playwright drives it; it never downloads a
# browser), LibreOffice to turn DOCX into PDF, poppler to read the PDF back, Liberation fonts for Times.
SYSTEM_PACKAGES := chromium libreoffice-writer-nogui fonts-liberation2 poppler-utils softhsm2 redis-server
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-writer-nogui"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v softhsm2-util >/dev/null 2>&1 || missing="$$missing softhsm2"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	[ -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || missing="$$missing fonts-liberation2"; \
	if [ -n "$$missing" ]; then \
	  echo "Cài gói Debian cho kiểm thử:$$missing"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing) \
	    >/dev/null || echo "Không cài được:$$missing — các kiểm thử cần chúng sẽ báo lỗi."; \
	fi

run: install assets
	CCHC_DEMO=1 CCHC_DEBUG=$${CCHC_DEBUG:-1} $(BIN)/cchc migrate --no-input -v 0
	CCHC_DEMO=1 $(BIN)/cchc demo
	CCHC_DEMO=1 $(BIN)/cchc collectstatic --no-input -v 0
	@echo "cchc đang chạy tại http://$(HOST):$(PORT)/  (Ctrl+C để dừng)"
	# The production server (gunicorn) with its background-job worker, as a commune PC runs it.
	CCHC_DEMO=1 CCHC_DEBUG=$${CCHC_DEBUG:-1} $(BIN)/cchc serve --bind $(HOST):$(PORT)

# Two test processes (pytest-xdist): the suite is CPU-bound and this machine kind has 2 cores; each worker
# has its own database, VAR_DIR, MEDIA_ROOT and Redis database (conftest.py). PYTEST_ARGS= runs it in one.
PYTEST_ARGS ?= -n 2

test: install-test assets system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# What every commit must pass (the pre-commit hook runs the same): ruff's rules (complexity included) and
# formatting, and the layering test (imports only point down; layers in docs/architecture.md).
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q -p no:cacheprovider cchc/core/tests/test_layers.py

clean:
	rm -rf $(VENV) node_modules cchc/static/vendor var
