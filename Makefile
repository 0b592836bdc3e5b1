# Two entry points for a fresh machine (see README): `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test setup setup-test lint system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

setup: $(BIN)/python
	$(BIN)/pip install --quiet -e .

setup-test: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"

run: setup
	HF_HUB_OFFLINE=1 $(BIN)/goedwerk serve

lint: setup-test
	$(BIN)/ruff check assistant tests bench
	$(BIN)/ruff format --check assistant tests bench
	$(BIN)/mypy

test: lint system-deps
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest

# Debian packages the browser and PDF tests use (root on CI; sudo elsewhere).
system-deps:
	@command -v chromium >/dev/null && command -v pdfinfo >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  $$SUDO apt-get install -y -qq --no-install-recommends chromium poppler-utils >/dev/null; }
