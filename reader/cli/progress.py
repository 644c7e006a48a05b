"""Progress on stderr while a command waits on long work.

A first read of a large archive, entities still to recognise, an index to
rebuild after an upgrade: minutes at 100k articles, which a command would
otherwise spend silent. :class:`Progress` draws one line on stderr
(``reader: reading the archive… 12,345 files``), redrawn at most four times a
second and erased when the work ends. Nothing is drawn during the first
second (a second start lists 100k articles in under one), nor when stderr is
not a terminal or the terminal is dumb: scripts, pipes and ``--json`` readers
see nothing. The text holds numbers only, never a file's name.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

_ERASE = "\r\x1b[K"


class Progress:
    """One redrawn line of progress on a terminal's stderr."""

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        delay: float = 1.0,
        every: float = 0.25,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        try:
            tty = self.stream.isatty()
        except (AttributeError, ValueError, OSError):
            tty = False
        self.enabled = tty and os.environ.get("TERM", "") != "dumb"
        self._clock = clock
        self._start = clock() + delay
        self._every = every
        self._last = float("-inf")
        self._shown = False
        self._files = 0

    def show(self, text: str) -> None:
        """Draw ``text`` (after the delay, and not more often than allowed)."""
        if not self.enabled:
            return
        now = self._clock()
        if now < self._start or now - self._last < self._every:
            return
        self._last = now
        self.stream.write(f"{_ERASE}reader: {text}")
        self.stream.flush()
        self._shown = True

    def reading(self, articles: list[Any], problems: list[Any], finished: bool) -> None:
        """A batch of a load (``Session.open``'s ``on_batch``)."""
        self._files += len(articles) + len(problems)
        self.show(f"reading the archive… {self._files:,} files")

    def updating(self, done: int, total: int) -> None:
        """A step of ``Session.analyse`` (the index, the folders, entities)."""
        self.show(f"updating the archive cache… {done:,} of {total:,}")

    def close(self) -> None:
        """Erase the line, if one was drawn."""
        if self._shown:
            self.stream.write(_ERASE)
            self.stream.flush()
            self._shown = False
