# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000
export PORT

.PHONY: run test lint typecheck pytest install clean

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

## make run: migrate, load the demo data into an empty database, start web server and worker
run: $(STAMP)
	DEBUG=$${DEBUG:-1} $(PY) manage.py setup_demo
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" DEBUG=$${DEBUG:-1} $(VENV)/bin/honcho -f Procfile start \
		|| [ $$? -eq 130 ]  # Ctrl-C is a normal way to stop

## make test: ruff, mypy, import contracts and the whole pytest suite
test: lint typecheck pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: $(STAMP)
	$(VENV)/bin/mypy lapor config bench

pytest: $(STAMP)
	$(VENV)/bin/pytest

clean:
	rm -rf var/*.sqlite3* var/static var/test-media
