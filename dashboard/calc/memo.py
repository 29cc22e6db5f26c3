"""Results kept for the frames at hand: a filter change must not recompute what does not
depend on the filter.

The cached frames (dashboard.data) and the configuration (dashboard.planning) stay the same
objects until the warehouse or the plan changes, so a result is keyed on the *identity* of
those arguments (and the value of hashable ones, like a date). An entry holds weak
references to them: frames of an old warehouse version are not kept alive by it, and an
entry whose objects are gone (or whose ids were reused) never answers. Callers must not
modify what they get back.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable

SIZE = 8  # entries per function: a few warehouse versions, plan versions and days
_VALUES = (str, int, float, bool, tuple, frozenset, type(None))


def _by_identity(value) -> bool:
    """Frames and configurations: compared by identity (hashing them costs more than the
    work saved, and frames are not hashable); dates, numbers, strings and tuples by value."""
    return not isinstance(value, _VALUES) and type(value).__module__ != "datetime"


def _ref(value):
    try:
        return weakref.ref(value)
    except TypeError:  # not weakly referenceable: held (and compared) as it is
        return lambda: value


def per_frames(fn: Callable) -> Callable:
    """Memoize ``fn`` (positional arguments only) on the identity of its frame and
    configuration arguments and the value of the others; the last :data:`SIZE` results."""
    entries: OrderedDict[tuple, tuple[list, object]] = OrderedDict()
    lock = threading.Lock()

    @functools.wraps(fn)
    def cached(*args):
        objects = [a for a in args if _by_identity(a)]
        key = tuple(id(a) if _by_identity(a) else a for a in args)
        with lock:
            hit = entries.get(key)
            if hit is not None and all(r() is a for r, a in zip(hit[0], objects, strict=True)):
                entries.move_to_end(key)
                return hit[1]
        value = fn(*args)
        with lock:
            entries[key] = ([_ref(a) for a in objects], value)
            entries.move_to_end(key)
            while len(entries) > SIZE:
                entries.popitem(last=False)
        return value

    cached.cache_clear = entries.clear  # type: ignore[attr-defined]
    return cached
