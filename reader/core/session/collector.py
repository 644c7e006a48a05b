"""Pausing Python's cyclic garbage collector while an archive is listed.

Listing 100k stored articles makes about a million objects in a burst, all
of which live as long as the archive. The cyclic collector runs a full pass
each time the long-lived objects grow by a quarter, walking every one of
them again: ~0.1–0.15 s of a 0.6 s listing, during which no other thread
runs (the UI's keys wait). :func:`collector_paused` turns it off for such a
burst; nested and concurrent uses keep it off until the last one ends, and
it comes back on only if it was on before the first.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic garbage collector off."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
