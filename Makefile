# Testimony: `make run` sets everything up and starts the app; `make test` sets everything up and runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LOCALES := uk ru
MO := $(foreach l,$(LOCALES),testimony_app/_locale/$(l)/LC_MESSAGES/testimony.mo)

.PHONY: help run test lint typecheck pytest bench catalogs pot clean demo screenshots

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -e 's/:.*## /\t/' | sort

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

testimony_app/_locale/%/LC_MESSAGES/testimony.mo: translations/%/testimony.po $(STAMP)
	mkdir -p $(dir $@)
	$(VENV)/bin/pybabel compile --statistics -D testimony -i $< -o $@

catalogs: $(MO) ## Build the translation catalogs (.mo)

pot: $(STAMP) ## Re-extract translatable strings into translations/testimony.pot
	$(VENV)/bin/pybabel extract --no-location --sort-output -k N_ -k ngettext:1,2 -o translations/testimony.pot testimony_app
	for l in $(LOCALES); do $(VENV)/bin/pybabel update --no-fuzzy-matching -D testimony -i translations/testimony.pot -o translations/$$l/testimony.po -l $$l; done

run: $(STAMP) catalogs ## Set up (first time) and start the app
	$(PY) -m testimony_app

lint: $(STAMP) ## ruff
	$(VENV)/bin/ruff check testimony_app tests bench

typecheck: $(STAMP) ## mypy, strict on the core
	$(VENV)/bin/mypy

pytest: $(STAMP) catalogs
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

test: lint typecheck pytest ## Set up (first time), lint, type-check and run the whole test suite

bench: $(STAMP) catalogs ## Run the benchmarks in bench/ and print their results against the targets
	$(PY) -m bench

demo: $(STAMP) catalogs ## Open the app on a demo vault of fictional testimonies (made on first use)
	$(PY) -m testimony_app --demo

screenshots: $(STAMP) catalogs ## Render every screen in en, uk and ru to docs/screenshots/
	QT_QPA_PLATFORM=offscreen $(PY) -m testimony_app.ui.screenshots docs/screenshots

clean: ## Remove the virtual environment and built files
	rm -rf $(VENV) testimony_app/_locale build dist *.egg-info
