# The two set-up commands of the README are `make run` and `make test`; the rest are their parts.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test assets browser lint ci clean

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

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Cài Chromium của Debian cho kiểm thử trình duyệt…"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation2) >/dev/null \
	  || echo "Không cài được chromium: các kiểm thử trình duyệt sẽ báo lỗi."; }

run: install assets
	CCHC_DEMO=1 CCHC_DEBUG=$${CCHC_DEBUG:-1} $(BIN)/cchc migrate --no-input -v 0
	CCHC_DEMO=1 $(BIN)/cchc demo
	CCHC_DEMO=1 $(BIN)/cchc collectstatic --no-input -v 0
	@echo "cchc đang chạy tại http://$(HOST):$(PORT)/  (Ctrl+C để dừng)"
	CCHC_DEMO=1 CCHC_DEBUG=$${CCHC_DEBUG:-1} $(BIN)/cchc runserver $(HOST):$(PORT)

test: install-test assets browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules cchc/static/vendor var
