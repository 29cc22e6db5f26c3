"""The app with the naive data access of :mod:`bench.naive` (``bench.baseline_app:server``).

Same pages, same callbacks, same figures; only ``dashboard.data.frames`` is replaced, so every
callback reads the fact tables into pandas again. The benchmark runs it as the baseline and
checks that its responses equal the real app's.
"""

from __future__ import annotations

from app import app, server  # noqa: F401
from bench import naive
from dashboard import data

data.frames = naive.frames
