"""Starting multiprocessing's resource tracker when ``sys.stderr`` has no descriptor.

A spawned worker pool first starts the resource tracker process, handing it
``sys.stderr.fileno()``. A program that replaced ``sys.stderr`` with an
object whose ``fileno()`` is -1 — a Textual app captures stderr that way
while it runs — makes that start fail (``bad value(s) in fds_to_keep``), so
the pool never starts. :func:`ensure_resource_tracker` starts the tracker
with ``sys.stderr`` briefly pointing at ``os.devnull`` in that case, and does
nothing otherwise (the pool starts it itself).
"""

from __future__ import annotations

import os
import sys
import threading
from multiprocessing import resource_tracker

_LOCK = threading.Lock()


def stderr_has_descriptor() -> bool:
    """Whether ``sys.stderr`` is backed by an open file descriptor."""
    try:
        return sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        return False


def ensure_resource_tracker() -> None:
    """Make sure the resource tracker runs before a spawned pool starts."""
    if stderr_has_descriptor():
        return
    with _LOCK, open(os.devnull, "w", encoding="utf-8") as sink:
        previous = sys.stderr
        sys.stderr = sink
        try:
            resource_tracker.ensure_running()
        finally:
            # Put back what was there, unless someone replaced it meanwhile
            # (an app ending restores its own).
            if sys.stderr is sink:
                sys.stderr = previous
