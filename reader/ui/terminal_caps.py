"""What the terminal can show, read from its terminfo entry.

Only what changes how the reader draws cues: italics. The Linux console
(``TERM=linux``) and ``TERM=screen`` have no italics, so an italic-only cue
would vanish there; :class:`~reader.ui.widgets.article_view.ArticleView`
swaps such cues for dim ones when :func:`terminal_has_italics` says no.
"""

from __future__ import annotations

import os
from functools import lru_cache


@lru_cache(maxsize=1)
def terminal_has_italics() -> bool:
    """Whether ``$TERM``'s terminfo entry can enter italics (``sitm``).

    An unknown terminal is trusted (True); ``dumb`` or no ``TERM`` is not.
    curses reads one terminal description per process, so the answer is
    computed once."""
    term = os.environ.get("TERM", "")
    if not term or term == "dumb":
        return False
    return _has_capability(term, "sitm")


def _has_capability(term: str, name: str) -> bool:
    try:
        import curses

        fd = os.open(os.devnull, os.O_WRONLY)
        try:
            curses.setupterm(term, fd)
        finally:
            os.close(fd)
        return curses.tigetstr(name) is not None
    except Exception:  # no curses, no terminfo entry: assume the common case
        return True
