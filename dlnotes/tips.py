"""Chapter 4 — training tips as experiments: learning-rate sweeps, grid search, and their plots."""

from __future__ import annotations

__all__: list[str] = []
