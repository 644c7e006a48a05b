"""Marks: what a person did to an archive — read, starred, reading positions,
sort order, search history, the last article selected.

:class:`Marks` keeps the read and starred sets in memory for fast list
filtering (``is:unread`` and friends are evaluated here, before any limit, so
totals are exact) and writes through to the archive's
:class:`~reader.core.store.state.ReadingState` when one is remembered. Every
method is thread-safe: the UI thread marks, a worker saves.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from reader.core.articles.article import Article, Problem
from reader.core.articles.sanitize import display_path
from reader.core.session.filters import Filters
from reader.core.session.grouping import GROUPINGS
from reader.core.store.identity import default_state_dir, state_path
from reader.core.store.state import ReadingState

#: Sort orders, in the order ``o`` cycles through them. A leading ``-``
#: reverses one (see :func:`sort_articles`).
SORTS = ("file", "date", "title", "source")


def sort_articles(articles: Sequence[Article], order: str) -> list[Article]:
    """``articles`` in ``order``: file order, newest first, title, source.

    ``-`` before the name reverses it (``-date`` is oldest first). Undated
    articles always come last in a date order.
    """
    reverse = order.startswith("-")
    name = order.removeprefix("-")
    items = list(articles)
    if name == "date":
        dated = sorted((a for a in items if a.date), key=lambda a: a.date or "")
        undated = [a for a in items if not a.date]
        return (dated if reverse else dated[::-1]) + undated
    if name == "title":
        items.sort(key=lambda a: a.title.casefold())
    elif name == "source":
        items.sort(key=lambda a: ((a.source or "\uffff").casefold(), a.title.casefold()))
    return items[::-1] if reverse else items


def next_sort(order: str) -> str:
    """The order after ``order`` in :data:`SORTS` (keeping its direction)."""
    reverse = order.startswith("-")
    name = order.removeprefix("-")
    following = SORTS[(SORTS.index(name) + 1) % len(SORTS)] if name in SORTS else SORTS[0]
    return ("-" if reverse else "") + following


def reversed_sort(order: str) -> str:
    """``order`` in the other direction."""
    return order.removeprefix("-") if order.startswith("-") else "-" + order


def describe_sort(order: str) -> str:
    """``"date, oldest first"`` for the header."""
    name = order.removeprefix("-")
    reverse = order.startswith("-")
    words = {
        "file": ("file order", "file order, reversed"),
        "date": ("date, newest first", "date, oldest first"),
        "title": ("title, A to Z", "title, Z to A"),
        "source": ("source, A to Z", "source, Z to A"),
    }
    return words.get(name, (name, name))[1 if reverse else 0]


class Marks:
    """The marks of one archive. ``state`` None: nothing is remembered."""

    def __init__(self, state: ReadingState | None = None) -> None:
        self.state = state
        self._read_ids: set[str] = set()
        self._starred_ids: set[str] = set()
        self._later: Callable[[], Iterable[Article]] | None = None
        self._positions: dict[str, int] = {}
        self._sort = "file"
        self._group = "none"
        self._history: list[str] = []
        self._lock = threading.RLock()
        if state is not None:
            self._sort = state.preference("sort") or "file"
            self._group = state.preference("group") or "none"
            self._history = state.history

    @classmethod
    def load(
        cls, roots: Iterable[str], state_dir: Path | None, *, remember: bool = True
    ) -> tuple[Marks, list[Problem]]:
        """The marks of the archive made of ``roots``, and one problem line
        per warning of its state file (a damaged file is set aside)."""
        if not remember:
            return cls(None), []
        path = state_path(state_dir or default_state_dir(), list(roots))
        state, warnings = ReadingState.load(path)
        shown = display_path(str(path))
        return cls(state), [Problem(shown, warning) for warning in warnings]

    # Articles ------------------------------------------------------------

    def note_later(self, articles: Callable[[], Iterable[Article]]) -> None:
        """:meth:`note` ``articles()`` when a mark is first asked for (a
        library whose listing is deferred: a search without ``is:``
        filters never needs the marks, nor the list)."""
        with self._lock:
            self._later = articles

    @property
    def _read(self) -> set[str]:
        if self._later is not None:
            self._settle()
        return self._read_ids

    @property
    def _starred(self) -> set[str]:
        if self._later is not None:
            self._settle()
        return self._starred_ids

    def _settle(self) -> None:
        with self._lock:
            later, self._later = self._later, None
            if later is not None:
                self.note(later())

    def note(self, articles: Iterable[Article]) -> None:
        """Take the remembered marks of articles that arrived or changed."""
        with self._lock:
            if not (self._read or self._starred or self._positions) and (
                self.state is None or not self.state.has_marks()
            ):
                return  # nothing remembered: a fresh archive lists at once
            articles = list(articles)
            if self._read or self._starred or self._positions:
                ids = [article.id for article in articles]
                self._read.difference_update(ids)
                self._starred.difference_update(ids)
                for article_id in ids:
                    self._positions.pop(article_id, None)
            if self.state is not None:
                read, starred = self.state.marked(articles)
                self._read_ids |= read
                self._starred_ids |= starred

    def note_found(
        self, find: Callable[[set[str], set[str]], Iterable[Article]], *, at_most: int
    ) -> bool:
        """:meth:`note` a whole archive without going through it:
        ``find(ids, content_keys)`` gives its articles that have one of
        these ids or content keys, the only ones a read or starred mark can
        concern (a second start, before its 100k articles are listed).
        False, noting nothing, when there are more than ``at_most`` of them
        (finding them would cost more than going through the archive)."""
        with self._lock:
            if self.state is None:
                return True
            ids, content_keys = self.state.mark_keys()
            if len(ids) + len(content_keys) > at_most:
                return False
            if ids or content_keys:
                self.note(find(ids, content_keys))
            return True

    def is_read(self, article_id: str) -> bool:
        return article_id in self._read

    def is_starred(self, article_id: str) -> bool:
        return article_id in self._starred

    def set_read(self, article: Article, read: bool = True) -> bool:
        """Mark ``article`` read or unread; True when that changed anything."""
        with self._lock:
            if (article.id in self._read) == read:
                return False
            (self._read.add if read else self._read.discard)(article.id)
            if self.state is not None:
                self.state.set_read(article, read)
            return True

    def set_starred(self, article: Article, starred: bool = True) -> bool:
        """Star or unstar ``article``; True when that changed anything."""
        with self._lock:
            if (article.id in self._starred) == starred:
                return False
            (self._starred.add if starred else self._starred.discard)(article.id)
            if self.state is not None:
                self.state.set_starred(article, starred)
            return True

    def accepts(self, filters: Filters, article_id: str) -> bool:
        """True when the article passes the ``is:`` filters."""
        return filters.accepts(read=article_id in self._read, starred=article_id in self._starred)

    def unread_count(self, ids: Iterable[str]) -> int:
        return sum(1 for article_id in ids if article_id not in self._read)

    # Positions -----------------------------------------------------------

    def position(self, article: Article) -> int | None:
        """Where the reader left ``article`` (a first line), or None."""
        with self._lock:
            if article.id in self._positions:
                return self._positions[article.id]
            return self.state.position(article) if self.state is not None else None

    def set_position(self, article: Article, line: int) -> None:
        """Remember where ``article`` is scrolled to (saved with the rest)."""
        line = max(0, int(line))
        with self._lock:
            if self.position(article) == line:
                return
            self._positions[article.id] = line
            if self.state is not None:
                self.state.set_position(article, line)

    # Archive-wide --------------------------------------------------------

    @property
    def sort(self) -> str:
        return self._sort

    def set_sort(self, order: str) -> None:
        with self._lock:
            if order.removeprefix("-") not in SORTS:
                raise ValueError(f"no sort order {order!r}")
            self._sort = order
            if self.state is not None:
                self.state.set_preference("sort", order)

    @property
    def group(self) -> str:
        """How the browse list is grouped (see :mod:`reader.core.session.grouping`)."""
        return self._group

    def set_group(self, by: str) -> None:
        with self._lock:
            if by not in GROUPINGS:
                raise ValueError(f"no grouping {by!r}")
            self._group = by
            if self.state is not None:
                self.state.set_preference("group", by)

    @property
    def history(self) -> list[str]:
        return list(self._history)

    def remember_query(self, query: str) -> None:
        with self._lock:
            query = query.strip()
            if not query:
                return
            if query in self._history:
                self._history.remove(query)
            self._history.append(query)
            if self.state is not None:
                self.state.remember_query(query)

    @property
    def last_selected(self) -> str | None:
        return self.state.last_selected if self.state is not None else None

    def set_last_selected(self, article_id: str) -> None:
        with self._lock:
            if self.state is not None:
                self.state.set_last_selected(article_id)

    # Saving ---------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        return self.state is not None and self.state.dirty

    def save(self) -> list[str]:
        """Write what changed (merging with other instances); warnings."""
        with self._lock:
            if self.state is None or not self.state.dirty:
                return []
            return self.state.save()
