# Two commands a newcomer needs: `make run` and `make test`. Both are idempotent: the virtualenv is
# rebuilt only when a requirements file changes, system packages only when missing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
export MINYI_DB ?= data/minyi.duckdb

.PHONY: run test test-fast demo system-deps browser-deps pdf-tools lint

run: $(VENV)/.runtime-installed font-deps
	@test -f "$(MINYI_DB)" || $(PY) -m demo --db "$(MINYI_DB)"
	$(PY) -m etl migrate --db "$(MINYI_DB)"
	$(PY) -m streamlit run app.py --server.port $(PORT) --server.headless true \
		--browser.gatherUsageStats false

test: $(VENV)/.test-installed font-deps browser-deps pdf-tools lint
	$(PY) -m pytest -q --playwright

# Quick local loop: everything but the real browser.
test-fast: $(VENV)/.test-installed
	$(PY) -m pytest -q -x

demo: $(VENV)/.runtime-installed
	$(PY) -m demo --db "$(MINYI_DB)"

# Part of `make test`; `make lint` alone is the quick check before a commit.
lint: $(VENV)/.test-installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.test-installed: requirements.txt tests/requirements.txt $(VENV)/.runtime-installed
	$(PY) -m pip install -q -r tests/requirements.txt
	touch $@

# Word clouds need a CJK font (Noto Sans CJK, OFL). Installed from Debian where apt is available;
# elsewhere set MINYI_CJK_FONT to a CJK .ttf/.otf/.ttc (the keyword page says so if none is found).
font-deps:
	@fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || ls /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc >/dev/null 2>&1 || \
	{ command -v apt-get >/dev/null && (apt-get update -qq && apt-get install -y -qq fonts-noto-cjk) >/dev/null 2>&1 \
	  && echo "installed fonts-noto-cjk"; } || echo "no CJK font installed: set MINYI_CJK_FONT (see README)"

# The browser tests drive Debian's chromium (Playwright's own browser download is not used).
browser-deps:
	@test -x /usr/bin/chromium || { command -v apt-get >/dev/null && \
	  (apt-get update -qq && apt-get install -y -qq chromium) >/dev/null 2>&1 && echo "installed chromium"; } || \
	  { echo "chromium is missing and apt-get is unavailable: install chromium to run the browser tests"; exit 1; }

# The briefing tests read the PDFs they make: pdffonts, pdftoppm and pdftotext (Debian poppler-utils).
pdf-tools:
	@command -v pdftoppm >/dev/null || { command -v apt-get >/dev/null && \
	  (apt-get update -qq && apt-get install -y -qq poppler-utils) >/dev/null 2>&1 && echo "installed poppler-utils"; } || \
	  { echo "poppler-utils is missing and apt-get is unavailable: install it to run the briefing tests"; exit 1; }
