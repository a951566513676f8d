"""Chapter 1 — designing a network: layer sizes, parameter counts, building the model.

Keras is imported inside the functions that need it, so ``import dlnotes`` stays light.
"""

from __future__ import annotations

__all__: list[str] = []
