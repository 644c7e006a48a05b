"""Reading-state filters that compose with the search query language.

``is:unread``, ``is:read``, ``is:starred`` and ``is:unstarred`` may appear
anywhere in a query (outside quotes). They are taken out before the rest goes
to the search engine, and narrow the list or the results to the articles in
that state. A query of filters only lists every article that passes them.
"""

from __future__ import annotations

from dataclasses import dataclass

from reader.core.search.query import STATES

FILTER_WORDS = STATES
_QUOTES = '"“”«»'


@dataclass(frozen=True, slots=True)
class Filters:
    """Which reading states an article must have; all False = no filter."""

    unread: bool = False
    read: bool = False
    starred: bool = False
    unstarred: bool = False

    @property
    def active(self) -> bool:
        return self.unread or self.read or self.starred or self.unstarred

    def accepts(self, *, read: bool, starred: bool) -> bool:
        """True when an article with this state passes every filter."""
        if self.unread and read:
            return False
        if self.read and not read:
            return False
        if self.starred and not starred:
            return False
        return not (self.unstarred and starred)

    def describe(self) -> str:
        """``"unread, starred"`` for the header."""
        return ", ".join(word for word in FILTER_WORDS if getattr(self, word))


def split_filters(query: str) -> tuple[str, Filters]:
    """Take ``is:…`` filters out of ``query``: the rest and the filters.

    Words inside quotes are left alone; an unknown ``is:`` value stays in
    the query as text; a trailing space is kept (it tells the search that the
    last word is finished, not a prefix).
    """
    kept: list[str] = []
    found: dict[str, bool] = {}
    word: list[str] = []
    in_quote = False

    def flush() -> None:
        if not word:
            return
        token = "".join(word)
        word.clear()
        name, colon, value = token.partition(":")
        if colon and name.lower() == "is" and value.lower() in FILTER_WORDS:
            found[value.lower()] = True
        else:
            kept.append(token)

    for char in query:
        if char in _QUOTES:
            in_quote = not in_quote
            word.append(char)
        elif char.isspace() and not in_quote:
            flush()
        else:
            word.append(char)
    flush()
    rest = " ".join(kept)
    if rest and query[-1:].isspace():
        rest += " "  # a finished last word is not a prefix while typing
    return rest, Filters(**found)
