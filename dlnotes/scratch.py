"""Chapter 2 — training from scratch in NumPy: forward pass, loss, backpropagation, update."""

from __future__ import annotations

__all__: list[str] = []
