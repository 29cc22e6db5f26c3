"""How many robustness cases ran in this session (printed at the end of the run)."""

from __future__ import annotations

from collections import Counter

COUNTS: Counter[str] = Counter()


def count(kind: str, n: int = 1) -> None:
    COUNTS[kind] += n
