# Two commands do everything on a fresh machine (see README.md):
#   make book   install Chromium and a Korean font where this machine lets it (Debian/Ubuntu as root or
#               with sudo: scripts/system_packages.sh), set up .venv (Python >= 3.11) from the lock file,
#               install dlnotes, build the HTML book of both editions and their PDFs
#               (_build/html/dlnotes.pdf, Korean: _build/html/ko/dlnotes.pdf); without a Chromium it
#               builds the HTML, says in one line how to get the PDFs, and exits 0
#   make test   the same set-up and build, then every unit test and every notebook under strict nbval,
#               then the notebooks twice more: each on one CPU core with oneDNN limited to SSE4.1 (one
#               run for both factors), and on TensorFlow's Eigen kernels (oneDNN off); then the dlnotes
#               wheel's unit tests and doctests under the oldest supported TensorFlow and a middle one
# Also: make check                               lint, types, unit tests and doctests (no book): the
#                                                everyday loop, under 2 minutes
#       make test-numerics                       every notebook in every floating-point variant, and
#                                                the margin report (_build/numerics/margins.md);
#                                                required when stored outputs change
#       make refresh [NB=book/01_design.ipynb]  re-run notebooks in place after a deliberate change
#       make lab                                 open the book's notebooks in JupyterLab (also as root)
#       make release [TAG=1]                     build the wheel and sdist into _build/dist and check them
#                                                (scripts/release.py); TAG=1 also tags v<version>
#       make lock                                re-lock after editing requirements*.txt (needs uv)
#       make pdf                                 the PDFs alone (after `make book`)
#       make screenshots                         the browser tests with their screenshots saved in
#                                                tests/screenshots/ (make test takes none)
#       make test-oldest                         the wheel under the oldest TensorFlow alone
#       make test-middle                         the wheel under a middle TensorFlow alone (2.18)
#       make test-env ENV=oldest|middle          the same two, by name
#       make tensorboard [TB_PORT=6006]           TensorBoard on the runs logged in _build/tensorboard,
#                                                served on 127.0.0.1 only (chapter 5c)
#
# Set-up uses uv (installed with pip into .venv when it is not on PATH): it installs the ~190 locked
# packages in seconds. `make book UV=` (or a machine where uv cannot be installed) uses plain pip.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
LOCK   := requirements-lock.txt
# Two pytest workers on the 2-core machines; nbval needs whole notebooks kept on one worker. The files
# go out in conftest.py's order, the longest first (LONGEST_FIRST), not xdist's most-tests-first.
PYTEST_ARGS ?= -n 2 --dist loadfile --no-loadscope-reorder

UV_VERSION := 0.13.8
# uv from PATH, else the one pip installs into the venv; `UV=` forces plain pip.
UV ?= $(or $(shell command -v uv 2>/dev/null),$(VENV)/bin/uv)

# The environments the wheel is tested in besides the book's own, each from requirements-ENV.txt, locked
# in requirements-ENV-lock.txt and installed into _build/venv-ENV: the oldest supported TensorFlow and a
# middle one (`make test-oldest`, `make test-middle`; `make test` runs both, in this order).
TEST_ENVS := oldest middle
ENV       ?= oldest
# inside the test-ENV recipe, $* is the environment's name
ENV_VENV   = _build/venv-$*
ENV_PY     = $(ENV_VENV)/bin/python
ENV_LOCK   = requirements-$*-lock.txt
DIST     := _build/dist
WHEEL_STAMP  := $(DIST)/.built
WHEEL_INPUTS := $(wildcard dlnotes/*.py dlnotes/*/*.py) pyproject.toml README.md LICENSE

.PHONY: setup book html pdf pdf-if-chromium screenshots system-packages test test-env $(addprefix test-,$(TEST_ENVS)) test-numerics wheel release lock \
	refresh lab clean translations lint check

# Packages beyond Python: Debian's chromium (the PDFs and the browser tests) and a Korean font. `make book`
# and `make test` install them where they can (scripts/system_packages.sh); `SYSTEM_PACKAGES=` skips it.
SYSTEM_PACKAGES ?= chromium fonts-nanum

$(STAMP): $(LOCK) pyproject.toml
	$(PYTHON) -m venv $(VENV)
ifneq ($(strip $(UV)),)
	@$(UV) --version >/dev/null 2>&1 || $(PY) -m pip install --quiet uv==$(UV_VERSION) \
	  || { echo "uv could not be installed: run 'make $(MAKECMDGOALS) UV=' to use plain pip"; exit 1; }
	$(UV) pip install --quiet --compile-bytecode --python $(PY) --require-hashes -r $(LOCK)
	$(UV) pip install --quiet --python $(PY) --no-deps -e .
else
	$(PY) -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
endif
	touch $(STAMP)

setup: $(STAMP)

# The PDFs are printed again only when a source of the book changed (a rebuild stays fast); the Korean
# one also when a Korean catalogue changed.
PDF    := _build/html/dlnotes.pdf
PDF_KO := _build/html/ko/dlnotes.pdf
BOOK_SOURCES := $(wildcard book/* dlnotes/*.py _static/* scripts/*.py) _config.yml _toc.yml
KO_SOURCES   := $(wildcard locales/ko/LC_MESSAGES/*.po locales/ko/LC_MESSAGES/book/*.po)

book: system-packages html pdf-if-chromium

system-packages:
	@bash scripts/system_packages.sh $(SYSTEM_PACKAGES)

# The PDFs when there is a Chromium to print them (scripts/make_pdf.py --check-chromium); else one line on
# how to get one, and `make book` still succeeds with the HTML of both editions. The two editions print at
# the same time (each its own Sphinx build and Chromium, half of each one's time is waiting): 103 s
# instead of 171 s on the 2-core machine (issue 30), each one's log kept together (-Otarget).
pdf-if-chromium: $(STAMP)
	@status=0; line=$$($(PY) scripts/make_pdf.py --check-chromium) || status=$$?; \
	if [ $$status -eq 0 ]; then $(MAKE) --no-print-directory -j2 -Otarget $(PDF) $(PDF_KO); \
	elif [ $$status -eq 3 ]; then echo "$$line"; \
	else echo "$$line"; exit $$status; fi

html: $(STAMP) $(WHEEL_STAMP)
	$(VENV)/bin/jupyter-book build . -W -n --keep-going
	@echo "== the Korean edition (locales/ko), same notebooks and outputs, into _build/html/ko"
	$(PY) scripts/build_edition.py ko

# After an English change: re-extract the messages and merge them into locales/ko (changed ones become
# fuzzy, new ones empty); tests/test_translations.py fails until they are translated (TRANSLATING.md).
translations: $(STAMP)
	$(PY) scripts/build_edition.py gettext
	$(VENV)/bin/sphinx-intl update -p _build/gettext -l ko -d locales -w 0 -j 1
	$(PY) scripts/drop_obsolete.py locales/ko

$(PDF): $(STAMP) $(BOOK_SOURCES)
	$(PY) scripts/make_pdf.py --lang en

$(PDF_KO): $(STAMP) $(BOOK_SOURCES) $(KO_SOURCES)
	$(PY) scripts/make_pdf.py --lang ko

pdf: $(STAMP)
	$(PY) scripts/make_pdf.py --lang en
	$(PY) scripts/make_pdf.py --lang ko

# The browser tests' screenshots, for a human to look at (tests/screenshots/, git-ignored): the same
# tests with DLNOTES_SCREENSHOTS=1. They check nothing, so make test takes none (issue 30's CI time: a
# full-page screenshot took 3-17 s a page).
screenshots: system-packages html
	DLNOTES_SCREENSHOTS=1 $(PY) -m pytest $(PYTEST_ARGS) -q tests/test_browser.py tests/test_browser_ko.py

# Style, format and types of the code (pyproject.toml: [tool.ruff], [tool.mypy]).
LINT_PATHS := dlnotes tests scripts benchmarks conftest.py
lint: $(STAMP)
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(VENV)/bin/ruff format --check $(LINT_PATHS)
	$(VENV)/bin/mypy

# The everyday loop: lint, types, the unit tests and the package's doctests; no book build, no
# notebooks (tests marked `book` or `slow` are left to make test; tests/conftest.py marks them).
check: lint
	$(PY) -m pytest $(PYTEST_ARGS) -q -o addopts= -p no:cacheprovider --doctest-modules -m "not book and not slow" tests dlnotes

# The notebooks run three times: as readers run them; on one core with oneDNN capped at SSE4.1 (two
# independent factors in one run, issue 30's CI time: one run fewer); on the Eigen kernels (oneDNN off,
# where an ISA cap means nothing). make test-numerics runs every variant alone.
test: lint book
	$(PY) -m pytest $(PYTEST_ARGS)
	@echo "== the notebooks again, each on a single core (one core per pytest worker) and with oneDNN limited to SSE4.1: outputs must depend neither on the thread count nor on the instruction set (a failure here names neither factor: make test-numerics runs each alone)"
	ONEDNN_MAX_CPU_ISA=SSE41 $(PY) scripts/one_core.py --each-worker $(PY) -m pytest $(PYTEST_ARGS) -q book
	@echo "== the notebooks again on TensorFlow's Eigen kernels (oneDNN off), the maths of builds without oneDNN (macOS on Apple silicon)"
	TF_ENABLE_ONEDNN_OPTS=0 $(PY) -m pytest $(PYTEST_ARGS) -q book
	@echo "== the dlnotes wheel, installed beside the oldest supported TensorFlow, then beside a middle one"
	$(MAKE) test-oldest
	$(MAKE) test-middle

# Every notebook under strict nbval in each floating-point variant (oneDNN capped at SSE4.1, AVX, AVX2,
# AVX-512 and uncapped; oneDNN off; one thread), then the margin report of every printed number:
# _build/numerics/variants.md and margins.md (scripts/test_numerics.py). About 7 x the notebooks' time.
test-numerics: $(STAMP)
	$(PY) scripts/test_numerics.py

# The package as a reader installs it: a wheel (package files only), built from this tree into _build/dist,
# again only when the package, its metadata or the README (its long description) changed. The HTML build
# serves this very file from the site's root (scripts/book_release.py; the intro and API pages link it),
# and `make test-oldest` and `make test-middle` install it beside the oldest and a middle TensorFlow.
wheel: $(WHEEL_STAMP)

$(WHEEL_STAMP): $(STAMP) $(WHEEL_INPUTS)
	rm -f $(DIST)/dlnotes-*.whl
ifneq ($(strip $(UV)),)
	$(UV) build --quiet --wheel --out-dir $(DIST) .
else
	$(PY) -m pip wheel --quiet --no-deps --wheel-dir $(DIST) .
endif
	touch $@

# A release: the wheel and the sdist built into _build/dist and checked (metadata, licence, README as
# the long description, the version against CHANGELOG.md); TAG=1 also makes the annotated tag
# v<version>, only from a clean tree whose CHANGELOG.md has a dated section for that version. Nothing is
# uploaded or pushed (scripts/release.py).
release: $(STAMP)
	$(PY) scripts/release.py --dist $(DIST) $(if $(strip $(TAG)),--tag) $(if $(strip $(UV)),--uv $(UV))

# An environment of the supported range besides the book's (TEST_ENVS above), made afresh from its lock,
# the wheel installed into it the way a reader would (`pip install dlnotes-*.whl`: its requirements must
# be met by what is there, or the installer would replace TensorFlow; `pip check` then finds nothing
# broken), then the unit tests and doctests, run from a directory outside the source tree so that
# `import dlnotes` is the installed wheel (tests/conftest.py checks it and skips the book's own tests
# with their reason; DLNOTES_TEST_ENV tells tests/test_packaging.py which pins to find there).
# --confcutdir keeps pytest from loading the notebooks' conftest.py at the top of the tree: importing it
# would put the source tree on sys.path, and `import dlnotes` would no longer be the wheel.
$(addprefix test-,$(TEST_ENVS)): test-%: $(WHEEL_STAMP)
	rm -rf $(ENV_VENV)
	$(PYTHON) -m venv $(ENV_VENV)
ifneq ($(strip $(UV)),)
	$(UV) pip install --quiet --compile-bytecode --python $(ENV_PY) --require-hashes -r $(ENV_LOCK)
	$(UV) pip install --python $(ENV_PY) $(DIST)/dlnotes-*.whl
else
	$(ENV_PY) -m pip install --quiet --require-hashes --no-deps -r $(ENV_LOCK)
	$(ENV_PY) -m pip install $(DIST)/dlnotes-*.whl
endif
	$(ENV_PY) -m pip check
	mkdir -p $(ENV_VENV)/run
	cd $(ENV_VENV)/run && DLNOTES_INSTALLED_WHEEL=1 DLNOTES_TEST_ENV=$* \
	  DLNOTES_WHEEL=$(abspath $(wildcard $(DIST)/dlnotes-*.whl)) \
	  $(abspath $(ENV_PY)) -m pytest -n 2 -q -rs -p no:cacheprovider -o addopts= --rootdir=. --confcutdir=$(CURDIR)/tests \
	  --doctest-modules --pyargs dlnotes $(CURDIR)/tests

# the same by name: make test-env ENV=oldest|middle
test-env:
	@case " $(TEST_ENVS) " in *" $(ENV) "*) ;; \
	  *) echo "make test-env: ENV=$(ENV) is not one of the test environments; use ENV=$(firstword $(TEST_ENVS)) or another of: $(TEST_ENVS)"; exit 2;; esac
	$(MAKE) --no-print-directory test-$(ENV)

# Re-lock after a change to requirements.txt or requirements-ENV.txt (the human-edited inputs): every
# package pinned with its hashes, for every platform of Python 3.11 and newer (the book's lock and each
# test environment's). uv keeps the pins already in a lock unless its input changed them. Review the
# diff; a changed pin may change the book's numbers.
LOCK_ARGS = --quiet --universal --python-version 3.11 --generate-hashes --custom-compile-command "make lock"
lock:
	$(UV) pip compile $(LOCK_ARGS) requirements.txt -o $(LOCK)
	for env in $(TEST_ENVS); do \
	  $(UV) pip compile $(LOCK_ARGS) requirements-$$env.txt -o requirements-$$env-lock.txt || exit 1; done

refresh: $(STAMP)
	$(PY) scripts/refresh_notebooks.py $(NB)

# JupyterLab refuses to start as root unless told (containers and hosted images run as root): --allow-root
# when the user id is 0. LAB_ARGS adds options, e.g. `make lab LAB_ARGS="--ip=0.0.0.0 --no-browser"` in a
# container whose port is published.
LAB_UID  ?= $(shell id -u)
LAB_ARGS ?=
lab: $(STAMP)
	@echo "== JupyterLab on book/ with the book's environment (.venv): open the http://localhost:8888/lab?token=... address it prints below; Ctrl-C twice stops it"
	$(VENV)/bin/jupyter lab book/ $(if $(filter 0,$(LAB_UID)),--allow-root) $(LAB_ARGS)

clean:
	rm -rf _build

# TensorBoard on the logs the reader keeps in _build/tensorboard (one sub-directory per run, see
# chapter 5c), served on this machine only: http://127.0.0.1:6006. Stop it with Ctrl-C.
TB_LOGDIR ?= _build/tensorboard
TB_PORT   ?= 6006
.PHONY: tensorboard
tensorboard: $(STAMP)
	mkdir -p $(TB_LOGDIR)
	$(VENV)/bin/tensorboard --logdir $(TB_LOGDIR) --host 127.0.0.1 --port $(TB_PORT)
