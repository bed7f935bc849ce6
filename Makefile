# handouts: two commands on a fresh machine.
#   make build   set everything up and build the default curriculum into output/
#   make test    set everything up and run lint, type checks and the whole test suite
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Fonts for Latin, Arabic, Devanagari, CJK...; harfbuzz-subset makes font subsetting fast.
DEBS_BUILD := fonts-noto-core fonts-noto-cjk libharfbuzz-subset0 fontconfig
# For tests: pdftoppm/pdffonts (poppler-utils), msgfmt (gettext), zbarimg (zbar-tools), a headless
# browser for the web edition (chromium, driven by Playwright) and npm for axe-core.
# (npm from Debian only where none is installed: a machine with Node.js of its own keeps it).
DEBS_TEST := poppler-utils gettext zbar-tools chromium $(if $(shell command -v npm),,npm)
# axe-core (the accessibility checker the browser tests run), pinned, from the npm registry.
AXE_VERSION := 4.14.1
AXE := .node/node_modules/axe-core/axe.min.js
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help setup build serve web test lint check locales bench fuzz clean

help: ## Show this help
	@echo "Usage: make TARGET"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

setup: $(STAMP) ## Create .venv, install Python and Debian packages (idempotent)
	@tools/ensure-debian-packages $(DEBS_BUILD)

build: setup ## Build the default curriculum into output/
	$(BIN)/handouts build

$(AXE):
	npm install --silent --no-audit --no-fund --prefix .node axe-core@$(AXE_VERSION)

SERVE_ARGS ?=
serve: setup ## Live preview at http://127.0.0.1:8000/, rebuilt on every edit (SERVE_ARGS="--locale en-US")
	@tools/ensure-debian-packages $(DEBS_BUILD)
	$(BIN)/handouts serve $(SERVE_ARGS)

web: setup ## Build the web edition (accessible HTML pages and output/index.html) into output/
	@tools/ensure-debian-packages $(DEBS_BUILD)
	$(BIN)/handouts build --format html

test: setup ## Lint, type-check and run the whole test suite (web pages in headless Chromium + axe-core)
	@tools/ensure-debian-packages $(DEBS_TEST)
	@$(MAKE) --no-print-directory $(AXE)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2

check: setup ## Validate the content without rendering
	$(BIN)/handouts check

# Full catalogs (es …) get every msgid (`handouts i18n`, which runs Babel's extract and update);
# regional English (en_*) holds only the strings that differ: tools/regional-english rewrites its
# spelling and checks the hand-written terms.
locales: setup ## Extract strings, update full catalogs and regional English (NEW_LANGUAGE=xx starts a new one)
	$(BIN)/handouts i18n update
	@if [ -n "$(NEW_LANGUAGE)" ]; then $(BIN)/handouts i18n init $(NEW_LANGUAGE); fi
	$(BIN)/python tools/regional-english

BENCH_ARGS ?=
bench: setup ## HEAD against a baseline commit: speed, memory, sizes (bench/README.md; BENCH_ARGS=--full)
	@tools/ensure-debian-packages $(DEBS_BUILD)
	$(BIN)/python bench/bench_build.py $(BENCH_ARGS)

FUZZ_SECONDS ?= 60
fuzz: setup ## Fuzz the YAML and PO loaders for FUZZ_SECONDS each (atheris if it installs)
	-$(BIN)/python -m pip install --quiet -e '.[fuzz]'
	$(BIN)/python tools/fuzz yaml $(FUZZ_SECONDS)
	$(BIN)/python tools/fuzz po $(FUZZ_SECONDS)

clean: ## Remove output/, the virtualenv and .node/
	rm -rf output $(VENV) .node
