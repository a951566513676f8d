"""Bad inputs of the package's top-level functions (collected by tests/test_api.py)."""

import dlnotes

BAD_INPUTS = [
    (dlnotes.seed_everything, (-1,), {}, ValueError, r"seed must be >= 0, got -1"),
    (dlnotes.seed_everything, (2**32,), {}, ValueError, r"seed must be <= 4294967295"),
    (dlnotes.seed_everything, (1.5,), {}, TypeError, r"seed must be an integer, got 1\.5 \(float\)"),
    (dlnotes.seed_everything, (True,), {}, TypeError, r"seed must be an integer, got True"),
    (dlnotes.seed_everything, ("42",), {}, TypeError, r"seed must be an integer, got '42'"),
    (dlnotes.seed_everything, (None,), {}, TypeError, r"seed must be an integer, got None"),
]
