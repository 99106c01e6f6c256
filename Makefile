# wfscore: every target installs into a local virtual environment (.venv) first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
YEAR   ?= 2011

.PHONY: venv test test-fast score bench data clean app lock test-lowest messages

venv: $(VENV)/.installed

## the package (editable) and its tools at the versions of requirements.lock: pyproject.toml says
## what is needed, the lock which versions were tested (rebuild a year's report with the same ones)
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[dev]' -c requirements.lock
	touch $@

## requirements.lock again from pyproject.toml, for every platform and Python 3.11+; the versions
## it already pins are kept where they still fit (LOCK_ARGS=--upgrade moves every one to the newest)
LOCK_ARGS ?=
lock:
	test -x $(BIN)/uv || { $(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install --quiet uv; }
	$(BIN)/uv pip compile --quiet --universal --python-version 3.11 --extra dev --annotation-style line \
		--custom-compile-command "make lock" $(LOCK_ARGS) pyproject.toml -o requirements.lock

## the lowest versions pyproject.toml allows (every direct dependency at its lower bound) in a
## scratch venv, .venv-lowest, then a smoke run: score, report and cards of data/$(YEAR) and a few
## quick tests. A failure here means a lower bound in pyproject.toml is too low.
LOWEST := .venv-lowest
LOWEST_TESTS ?= tests/engine/test_pipeline.py tests/inputs/test_loading.py tests/cli/test_sample.py \
	tests/inputs/test_year_folder.py
test-lowest: venv
	test -x $(LOWEST)/bin/python || $(PYTHON) -m venv $(LOWEST)
	$(BIN)/uv pip compile --quiet --no-header --resolution lowest-direct --extra dev \
		--python $(LOWEST)/bin/python pyproject.toml -o $(LOWEST)/lowest.txt
	$(BIN)/uv pip sync --quiet --python $(LOWEST)/bin/python $(LOWEST)/lowest.txt
	$(BIN)/uv pip install --quiet --no-deps --python $(LOWEST)/bin/python -e .
	rm -rf $(LOWEST)/smoke
	$(LOWEST)/bin/wfscore score data/$(YEAR) --out $(LOWEST)/smoke/results.csv --detail $(LOWEST)/smoke/detail.csv
	$(LOWEST)/bin/wfscore report data/$(YEAR) --out $(LOWEST)/smoke/report
	$(LOWEST)/bin/wfscore cards data/$(YEAR) --out $(LOWEST)/smoke/cards
	$(LOWEST)/bin/python -m pytest -q -p no:cacheprovider $(LOWEST_TESTS)

## the documentation site (docs/: Sphinx, MyST Markdown) into build/docs/, read afresh every time
## (-E: the API pages follow the code), warnings as errors, nothing fetched from the network
.PHONY: docs
docs: venv
	$(BIN)/python -m sphinx -E -W --keep-going -q -b html docs build/docs
	@echo "built build/docs/index.html"

## the main job: score data/$(YEAR) into reports/$(YEAR)/
score: venv
	$(BIN)/wfscore score data/$(YEAR) --out reports/$(YEAR)/results.csv --detail reports/$(YEAR)/detail.csv

## the gettext catalogues (wfscore/locale, README "Translations"): the message ids extracted from
## the source (babel.cfg, the keywords of wfscore.inputs.i18n), each .po updated (new ids come
## untranslated, ids gone are dropped), then compiled to its .mo (not committed; the wheel
## makes its own, hatch_build.py)
messages: venv
	mkdir -p build
	$(BIN)/pybabel -q extract -F babel.cfg --no-default-keywords --no-location --sort-output --width 100 \
		$$($(BIN)/python -c "from wfscore.inputs.i18n import KEYWORDS; print(' '.join('-k ' + k for k in KEYWORDS))") \
		--project wfscore -o build/wfscore.pot .
	$(BIN)/pybabel -q update -D wfscore -i build/wfscore.pot -d wfscore/locale --width 100 \
		--no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date
	$(BIN)/pybabel compile -D wfscore -d wfscore/locale --statistics

## all tests; then the portal's again on PostgreSQL (a throwaway server the tests start and stop:
## tests/portal/portaldb.py), wherever it is installed, and always in CI (CI=true)
test: venv
	$(BIN)/python -m pytest
	$(MAKE) test-postgresql

.PHONY: test-postgresql
test-postgresql: venv
	@if [ "$$CI" = true ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		WFSCORE_TEST_DB=postgresql $(BIN)/python -m pytest -p no:cacheprovider tests/portal; \
	else echo "PostgreSQL is not installed: the portal's tests ran on SQLite only"; fi

## the tests without the slow tiers (browser, LibreOffice, notebooks, subprocess runs of the
## command, long hypothesis runs, the wheel; markers in pyproject.toml): under 2 minutes, for
## the edit-test loop. `make test` runs them all.
FAST_TIERS := not (browser or libreoffice or notebooks or cli or hypothesis_long or slow)
test-fast: venv
	$(BIN)/python -m pytest tests -q -m "$(FAST_TIERS)"

## speed measurements (prints tables of ratios)
bench: venv
	$(BIN)/python benchmarks/run.py

## regenerate the synthetic sample year's CSVs (fixed seed)
data: venv
	$(BIN)/python data/generate.py $(YEAR)

clean:
	rm -rf $(VENV) $(LOWEST) .pytest_cache .hypothesis

## the what-if panel as a page for non-programmers (Voilà, code hidden), on 127.0.0.1, with a
## token printed once with the address (`wfscore app`, wfscore/panels/pages.py)
APP_PORT ?= 8866
app: venv
	$(BIN)/wfscore app data/$(YEAR) --port $(APP_PORT)

## robustness of the ranking (issue 5): Monte Carlo over weights and rule readings
SAMPLES ?= 10000
# 2011's disputed reading of the security-incident rule: only indicators 18–20 zeroed
SENSITIVITY_ARGS ?= --security-alternative 18,19,20
.PHONY: sensitivity
sensitivity: venv
	$(BIN)/wfscore sensitivity data/$(YEAR) --samples $(SAMPLES) $(SENSITIVITY_ARGS) \
		--out reports/$(YEAR)/robustness.csv --indices reports/$(YEAR)/sensitivity_indices.csv

.PHONY: report screenshots

## the annual report of data/$(YEAR): reports/$(YEAR)/report.html, report.ipynb, results.xlsx
report: venv
	$(BIN)/wfscore report data/$(YEAR)

## the README's screenshots of that report (Debian's chromium, driven by Playwright)
screenshots: report
	$(BIN)/python tools/screenshots.py reports/$(YEAR)/report.html docs/

## every year's report (issue 6): reports/<year>/ for each data/<year>/, then reports/trends/
.PHONY: reports screenshots-years
reports: venv
	$(BIN)/wfscore report --all data

## the README's pictures of years side by side (Debian's chromium, driven by Playwright)
screenshots-years: reports
	$(BIN)/python tools/years_screenshots.py reports docs/

## a feedback card per department of data/$(YEAR): reports/$(YEAR)/cards/ (HTML, PDF, index.html, cards.zip)
CARDS_ARGS ?=
.PHONY: cards
cards: venv
	$(BIN)/wfscore cards data/$(YEAR) $(CARDS_ARGS)

## the adjustments desk as a page for non-programmers (Voilà, code hidden, the same page template
## as `make app`), on 127.0.0.1
DESK_PORT ?= 8867
DESK_DIR ?= data/$(YEAR)
.PHONY: desk
desk: venv
	$(BIN)/wfscore desk $(DESK_DIR) --port $(DESK_PORT)

## a demo of the online collection system: a site from data/$(YEAR) in build/portal-demo (values
## empty, the deadline 30 days ahead), served on 127.0.0.1; the accounts file's place is printed
PORTAL_PORT ?= 8870
.PHONY: portal
portal: venv
	$(BIN)/wfscore portal demo data/$(YEAR) --site build/portal-demo --port $(PORTAL_PORT)
