# Two entry points for a fresh machine (see README): `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test setup setup-test lint system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Installed once: the stamp is newer than pyproject.toml until the dependencies change, so a
# second `make run` starts at once, without pip's (English) warnings.
STAMP := $(VENV)/.goedwerk-installed

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e . >$(VENV)/pip-install.log 2>&1 \
	  || { cat $(VENV)/pip-install.log >&2; exit 1; }
	touch $@

setup: $(STAMP)

setup-test: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"

run: setup
	@HF_HUB_OFFLINE=1 $(BIN)/goedwerk serve

lint: setup-test
	$(BIN)/ruff check assistant tests bench
	$(BIN)/ruff format --check assistant tests bench
	$(BIN)/mypy

# Where a network namespace can be made (root, as on CI) the suite runs without any route off
# this machine, so nothing in it can depend on the network or leak to it. Installing stays
# outside (lint, system-deps).
test: lint system-deps
	@if unshare -n true 2>/dev/null && command -v ip >/dev/null; then \
	  echo "pytest in a network namespace without outside routes (unshare -n)"; \
	  unshare -n sh -c 'ip link set lo up && HF_HUB_OFFLINE=1 $(BIN)/python -m pytest'; \
	else \
	  echo "warning: no network namespace (unshare -n needs root, ip needs iproute2);" \
	    "the tests run with network access" >&2; \
	  HF_HUB_OFFLINE=1 $(BIN)/python -m pytest; \
	fi

# Debian packages the browser and PDF tests use (root on CI; sudo elsewhere).
system-deps:
	@command -v chromium >/dev/null && command -v pdfinfo >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  $$SUDO apt-get install -y -qq --no-install-recommends chromium poppler-utils >/dev/null; }
