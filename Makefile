# policybrief: `make brief` builds the brief, `make test` runs the tests; both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
SYSDEPS := $(VENV)/.system-deps

.DEFAULT_GOAL := help
.PHONY: help setup brief test lab bench clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(INSTALLED): pyproject.toml scripts/lab-overrides.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (policybrief)" >/dev/null
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp scripts/lab-overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	touch $@

$(SYSDEPS): scripts/system-deps.sh
	bash scripts/system-deps.sh
	@mkdir -p $(VENV) && touch $@

setup: $(INSTALLED) $(SYSDEPS) ## create .venv, install the package and check system packages

brief: setup ## build the tables, charts and the brief from seeds/ (report/brief.html, report/brief.pdf)
	$(BIN)/policybrief build

test: setup ## run the whole test suite
	$(BIN)/python -m pytest

# JupyterLab refuses to run as root unless told; news, update checks and the extension manager stay offline.
lab: setup ## start JupyterLab on 127.0.0.1 in notebooks/
	$(BIN)/jupyter lab --ip=127.0.0.1 --no-browser --notebook-dir=notebooks \
		--LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate \
		--LabApp.extension_manager=readonly $(if $(filter 0,$(shell id -u)),--allow-root)

bench: setup ## run the speed and memory benchmarks
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean: ## remove generated files (keeps .venv)
	find build figures report -mindepth 1 ! -name README.md -exec rm -rf {} +
