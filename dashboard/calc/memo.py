"""Results kept for the frames at hand: a filter change must not recompute what does not
depend on the filter.

The cached frames (dashboard.data) and the configuration (dashboard.planning) stay the same
objects until the warehouse or the plan changes, so a result is keyed on the *identity* of
those arguments (and the value of hashable ones, like a date). The arguments are kept with
the result, so their ids cannot be reused by other objects while the entry lives. Callers
must not modify what they get back.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

SIZE = 8  # entries per function: a few warehouse versions, plan versions and days


def _key(args: tuple) -> tuple:
    return tuple(a if isinstance(a, Hashable) and not _by_identity(a) else id(a) for a in args)


def _by_identity(value) -> bool:
    """Frames and configurations: compared by identity (hashing them costs more than the
    work saved, and frames are not hashable)."""
    return not isinstance(value, str | int | float | bool | tuple | frozenset | type(None)) and (
        type(value).__module__.split(".")[0] != "datetime"
    )


def per_frames(fn: Callable) -> Callable:
    """Memoize ``fn`` (positional arguments only) on the identity of its frame and
    configuration arguments and the value of the others; the last :data:`SIZE` results."""
    entries: OrderedDict[tuple, tuple[tuple, object]] = OrderedDict()
    lock = threading.Lock()

    @functools.wraps(fn)
    def cached(*args):
        key = _key(args)
        with lock:
            hit = entries.get(key)
            if hit is not None:
                entries.move_to_end(key)
                return hit[1]
        value = fn(*args)
        with lock:
            entries[key] = (args, value)  # args keep their ids from being reused
            while len(entries) > SIZE:
                entries.popitem(last=False)
        return value

    cached.cache_clear = entries.clear  # type: ignore[attr-defined]
    return cached
