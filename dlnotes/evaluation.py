"""Chapter 3 — evaluation: metrics from the confusion matrix and their plots."""

from __future__ import annotations

__all__: list[str] = []
