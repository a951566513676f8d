"""Test set-up shared by every test module.

Matplotlib draws off-screen, every test closes its figures, and Hypothesis is deterministic (a fixed
profile, no example database in the repository).

The run against an installed wheel:
``make test-oldest`` and ``make test-middle`` (both part of ``make test``) build the dlnotes wheel,
install it into another environment, with the oldest supported TensorFlow (``requirements-oldest.txt``)
or a middle one (``requirements-middle.txt``), and run these tests and the package's doctests there,
from a directory outside the source tree, with ``DLNOTES_INSTALLED_WHEEL=1`` and ``DLNOTES_TEST_ENV``
naming the environment. Then:

- the session refuses to start unless ``import dlnotes`` resolves to that environment's
  ``site-packages`` (not to this source tree), so the wheel is what is tested;
- the tests of the book itself, which need the book's pinned environment (its build, its browser
  check, its strict-nbval harness), are skipped with the reason below, never silently passed.
"""

from __future__ import annotations

import os
import sysconfig
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
INSTALLED_WHEEL = os.environ.get("DLNOTES_INSTALLED_WHEEL") == "1"

BOOK_ENVIRONMENT_ONLY = {
    "test_browser.py": "opens the built HTML book, which is built in the book's pinned environment only",
    "test_harness.py": "drives strict nbval, which runs the notebooks in the book's pinned environment only",
    "test_pdf.py": "reads the PDF of the book, which is built in the book's pinned environment only",
    "test_scripts.py": "tests the book's build scripts and its strict-nbval sanitiser, in the book's environment only",
    "test_tensorboard.py": "starts `make tensorboard` from the book's environment and opens it in the book's Chromium",
    "test_the_book_nbval_run_fails_a_cell_that_prints_a_number_on_a_rounding_boundary": (
        "drives strict nbval, which runs the notebooks in the book's pinned environment only"
    ),
}

# Test modules that cannot even be imported there (they need Sphinx or Babel, the book's tools).
NOT_IMPORTABLE_THERE = {
    "test_browser_ko.py": "opens the built Korean edition (Sphinx extension), book environment only",
    "test_bilingual.py": "builds with the Korean edition's bilingual Sphinx extension, book environment only",
    "test_korean_edition.py": "tests the Korean edition's Sphinx extension, which needs the book's Sphinx",
    "test_translations.py": "reads the Korean catalogues with Babel, part of the book's environment only",
}


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if INSTALLED_WHEEL and collection_path.name in NOT_IMPORTABLE_THERE:
        return True
    return None


def dlnotes_location() -> Path:
    import dlnotes

    return Path(dlnotes.__file__).resolve().parent


def pytest_sessionstart(session: pytest.Session) -> None:
    if not INSTALLED_WHEEL:
        return
    location = dlnotes_location()
    site_packages = Path(sysconfig.get_paths()["purelib"]).resolve()
    if location == ROOT / "dlnotes" or not location.is_relative_to(site_packages):
        raise pytest.UsageError(
            f"DLNOTES_INSTALLED_WHEEL=1 but dlnotes was imported from {location}, not from "
            f"the installed wheel in {site_packages}; run pytest from outside the source tree"
        )


def pytest_report_header(config: pytest.Config) -> list[str]:
    if not INSTALLED_WHEEL:
        return []
    import numpy

    from dlnotes._backend import import_keras, import_tensorflow

    keras, tensorflow = import_keras(), import_tensorflow()

    return [
        *(f"not collected here: {name}: {why}" for name, why in NOT_IMPORTABLE_THERE.items()),
        f"dlnotes from the installed wheel: {dlnotes_location()}, "
        f"environment {os.environ.get('DLNOTES_TEST_ENV', '(DLNOTES_TEST_ENV not set)')}",
        f"tensorflow {tensorflow.__version__}, keras {keras.__version__}, numpy {numpy.__version__}",
    ]


# Test modules that need the built book or run notebooks: marked `book`, so that `make check`
# (`-m "not book"`) runs the package's tests alone; `make test` runs them all.
BOOK_TESTS = {
    "test_browser.py",
    "test_browser_ko.py",
    "test_pdf.py",
    "test_harness.py",
    "test_scripts.py",
    "test_tensorboard.py",
}


# Tests that start processes or a whole book build, or train for seconds: make test runs them, make
# check leaves them out to stay an everyday loop (issue 23: under 2 minutes on the 2-core machine).
SLOW_TESTS = {
    "test_summary_listing_prints_what_the_page_shows",  # the summary's listing, in a fresh interpreter
    "test_run_multiworker_trains_on_the_callers_data_and_deletes_its_file",  # two worker processes
    "test_two_logical_cpus_train_like_one_device_or_an_older_keras_is_refused",
    "test_processes_that_ignore_sigterm_are_killed_and_reaped",
    "test_the_timeout_stops_everything_including_grandchildren",
    "test_grid_search_of_six_configurations_prints_no_retracing_warning",  # six trainings
    "test_the_book_nbval_run_fails_a_cell_that_prints_a_number_on_a_rounding_boundary",  # nbval
    "test_book_build_stops_on_a_notebook_with_an_error",  # a jupyter-book build
    "test_seed_everything_freezes_what_importing_tensorflow_made",  # imports TensorFlow afresh
    "test_quiet_import_prints_nothing_on_stderr",  # imports TensorFlow afresh
    # build a wheel, or a wheel and an sdist, in a subprocess
    "test_wheel_holds_the_package_only",
    "test_release_builds_a_wheel_and_an_sdist_that_pass_its_checks",
    "test_release_checks_fail_on_a_wrong_version_a_missing_licence_and_an_empty_readme",
}


# Chapter markers, as minitorch marks its tests by task: `pytest -m ch3` runs what chapter 3 rests on.
# A test module is marked with the chapters whose code it tests (the chapter map of CONTRIBUTING.md);
# the notebooks are marked by the top-level conftest.py.
CHAPTERS = {
    "test_models.py": (1,),
    "test_scratch.py": (2,),
    "test_metrics.py": (3,),
    "test_training.py": (1, 4, 5),
    "test_search.py": (6,),
    "test_distributed.py": (7,),
    "test_data.py": (1, 2, 3, 4, 5, 6, 7),
    "test_plots.py": (1, 2, 3, 4, 5, 6, 7),
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name in BOOK_TESTS or item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.book)
        if getattr(item, "originalname", item.name) in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)
        for chapter in CHAPTERS.get(item.path.name, ()):
            item.add_marker(getattr(pytest.mark, f"ch{chapter}"))
    if not INSTALLED_WHEEL:
        return
    for item in items:
        reason = BOOK_ENVIRONMENT_ONLY.get(item.path.name) or BOOK_ENVIRONMENT_ONLY.get(
            getattr(item, "originalname", "")
        )
        if reason:
            item.add_marker(pytest.mark.skip(reason=f"installed-wheel run: {reason}"))


# Property-based tests (tests/test_properties.py) run the same examples on every machine: derandomised,
# a bounded number of examples, and no example database written into the repository.
settings.register_profile(
    "dlnotes",
    derandomize=True,
    database=None,
    max_examples=60,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# HYPOTHESIS_PROFILE=explore draws new examples on every run (still no database, no deadline): for a
# developer hunting what the fixed examples miss, never for CI.
settings.register_profile("explore", parent=settings.get_profile("dlnotes"), derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dlnotes"))


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every figure a test made, so hundreds of plotting tests do not pile up figures."""
    yield
    plt.close("all")


# --- the browser tests' fixtures (helpers in tests/_browser.py) -----------------------------------


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, launched once per test session by Playwright (headless, offline)."""
    from _browser import LAUNCH_ARGS, chromium_path, require_build

    require_build()
    executable = chromium_path()
    if executable is None:
        message = "Chromium is not installed; install it with `sudo apt-get install chromium` (Debian/Ubuntu)"
        if os.environ.get("CI"):
            pytest.fail(message + " — CI must install it (.ci/run does)", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def reader(browser):
    """One tab at 1366x900 in light mode, shared by the tests of a module."""
    from _browser import Reader

    tab = Reader(browser)
    yield tab
    tab.close()
