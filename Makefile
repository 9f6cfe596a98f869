# companion — two commands do everything: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# Debian packages the project needs at run or test time (installed when missing; root on CI).
APT_PACKAGES ?= fonts-dejavu-core espeak-ng

.PHONY: help setup sysdeps demo test lint typecheck unit i18n bench bench-quick clean

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

sysdeps: ## install missing Debian packages (apt-get; needs root)
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi; \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	@echo "installing Python packages into $(VENV) (log: $(VENV)/install.log)"
	@$(PY) -m pip install -q --upgrade pip > $(VENV)/install.log 2>&1 || (cat $(VENV)/install.log; exit 1)
	@$(PY) -m pip install -q -e ".[all,dev]" >> $(VENV)/install.log 2>&1 || (cat $(VENV)/install.log; exit 1)
	@touch $(STAMP)

setup: sysdeps $(STAMP) ## create the virtualenv, install everything, compile catalogs
	$(PY) -m companion i18n compile --quiet

demo: setup ## set up, then run the demo on embedded SQLite with fictitious data
	$(PY) -m companion demo

lint: setup ## ruff + mypy
	$(VENV)/bin/ruff check companion bots tui tests bench
	$(VENV)/bin/ruff format --check companion bots tui tests bench
	$(VENV)/bin/mypy companion bots tui

test: setup lint ## set up, lint, type-check, then run the whole test suite
	$(PY) -m companion flows check
	$(PY) -m companion i18n check
	$(PY) -m pytest -q

bench: setup ## run every benchmark and rewrite docs/benchmarks.md
	$(PY) -m bench.all --write docs/benchmarks.md

bench-quick: setup
	$(PY) -m bench.all --quick

clean:
	rm -rf $(VENV) build *.egg-info
