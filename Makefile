# wfscore: every target installs into a local virtual environment (.venv) first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
YEAR   ?= 2011

.PHONY: venv test score bench data clean app

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[dev]'
	touch $@

## the main job: score data/$(YEAR) into reports/$(YEAR)/
score: venv
	$(BIN)/wfscore score data/$(YEAR) --out reports/$(YEAR)/results.csv --detail reports/$(YEAR)/detail.csv

## all tests
test: venv
	$(BIN)/python -m pytest

## speed measurements (prints tables of ratios)
bench: venv
	$(BIN)/python benchmarks/run.py

## regenerate the synthetic sample year's CSVs (fixed seed)
data: venv
	$(BIN)/python data/generate.py $(YEAR)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

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
