# Two commands do everything on a fresh machine (see README.md):
#   make book   set up .venv (Python >= 3.10), install requirements.txt and dlnotes, build the HTML book
#   make test   the same set-up and build, then every unit test and every notebook under strict nbval,
#               then the notebooks again on one CPU core and with oneDNN limited to AVX2
# Also: make refresh [NB=book/01_design.ipynb]  re-run notebooks in place after a deliberate change
#       make lab                                 open the book's notebooks in JupyterLab

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# Two pytest workers on the 2-core machines; nbval needs whole notebooks kept on one worker.
PYTEST_ARGS ?= -n 2 --dist loadfile

.PHONY: setup book test refresh lab clean translations

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

book: $(STAMP)
	$(VENV)/bin/jupyter-book build . -W -n --keep-going
	@echo "== the Korean edition (locales/ko), same notebooks and outputs, into _build/html/ko"
	$(PY) scripts/build_edition.py ko

# After an English change: re-extract the messages and merge them into locales/ko (changed ones become
# fuzzy, new ones empty); tests/test_translations.py fails until they are translated (TRANSLATING.md).
translations: $(STAMP)
	$(PY) scripts/build_edition.py gettext
	$(VENV)/bin/sphinx-intl update -p _build/gettext -l ko -d locales -w 0 -j 1

test: book
	$(PY) -m pytest $(PYTEST_ARGS)
	@echo "== the notebooks again, on a single core: outputs must not depend on the thread count"
	$(PY) scripts/one_core.py $(PY) -m pytest -p no:xdist -q book
	@echo "== the notebooks again, oneDNN limited to AVX2: outputs must not depend on the instruction set"
	ONEDNN_MAX_CPU_ISA=AVX2 $(PY) -m pytest $(PYTEST_ARGS) -q book

refresh: $(STAMP)
	$(PY) scripts/refresh_notebooks.py $(NB)

lab: $(STAMP)
	$(VENV)/bin/jupyter lab book/

clean:
	rm -rf _build
