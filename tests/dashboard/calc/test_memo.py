"""memo.per_frames: results kept per identity of the frames, without keeping old frames."""

from __future__ import annotations

import gc
import weakref
from datetime import date

import pandas as pd

from dashboard.calc import memo


def test_results_are_kept_per_frame_identity_and_argument_value():
    calls = []

    @memo.per_frames
    def total(frame, day):
        calls.append(day)
        return int(frame["x"].sum())

    a = pd.DataFrame({"x": [1, 2]})
    assert total(a, date(2026, 1, 1)) == 3
    assert total(a, date(2026, 1, 1)) == 3  # same frame, equal date: kept
    assert total(a, date(2026, 1, 2)) == 3  # another day: computed
    b = a.copy()  # equal content, another object: computed
    assert total(b, date(2026, 1, 1)) == 3
    assert calls == [date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 1)]


def test_old_frames_are_not_kept_alive_and_never_answer():
    @memo.per_frames
    def rows(frame):
        return len(frame)

    old = pd.DataFrame({"x": range(5)})
    gone = weakref.ref(old)
    assert rows(old) == 5
    del old
    gc.collect()
    assert gone() is None  # the entry held it weakly only
    new = pd.DataFrame({"x": range(7)})  # may even get the old id
    assert rows(new) == 7


def test_at_most_size_entries():
    frames = [pd.DataFrame({"x": range(i)}) for i in range(memo.SIZE + 3)]
    calls = []

    @memo.per_frames
    def probe(frame):
        calls.append(1)
        return len(frame)

    for f in frames:
        probe(f)
    probe(frames[-1])
    probe(frames[0])  # evicted: computed again
    assert len(calls) == len(frames) + 1
