"""Shared test set-up: Matplotlib draws off-screen, every test closes its figures, Hypothesis is deterministic."""

from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

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
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dlnotes"))


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every figure a test made, so hundreds of plotting tests do not pile up figures."""
    yield
    plt.close("all")
