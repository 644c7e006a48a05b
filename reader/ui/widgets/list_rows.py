"""Rows of the article list made when first needed.

:class:`LazyRows` is a mutable sequence of
:class:`~reader.ui.widgets.article_list.ListEntry` over any items (articles)
and the function that turns one into its row: a row is made the first time
it is read (drawn, or under the cursor) and kept. The browse list of a
100k-article archive is handed over at once; only the visible rows are
made. Finding a row by key uses the items' keys, so nothing is made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, MutableSequence, Sequence
from typing import Generic, TypeVar, overload

from reader.ui.widgets.article_list import ListEntry

T = TypeVar("T")


class LazyRows(MutableSequence[ListEntry], Generic[T]):
    """``items`` as rows: ``make(item)`` on first read, ``key(item)`` to find one."""

    def __init__(
        self, items: Sequence[T], make: Callable[[T], ListEntry], key: Callable[[T], str]
    ) -> None:
        self._items = list(items)
        self._make = make
        self._key = key
        self._rows: list[ListEntry | None] = [None] * len(self._items)
        self._index: dict[str, int] | None = None
        self._edited = False  # a row was set or inserted: its key may differ

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> ListEntry: ...

    @overload
    def __getitem__(self, index: slice) -> list[ListEntry]: ...

    def __getitem__(self, index: int | slice) -> ListEntry | list[ListEntry]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._rows)))]
        row = self._rows[index]
        if row is None:
            row = self._rows[index] = self._make(self._items[index])
        return row

    def __iter__(self) -> Iterator[ListEntry]:
        for index in range(len(self._rows)):
            yield self[index]

    @overload
    def __setitem__(self, index: int, value: ListEntry) -> None: ...

    @overload
    def __setitem__(self, index: slice, value: Iterable[ListEntry]) -> None: ...

    def __setitem__(self, index: int | slice, value: ListEntry | Iterable[ListEntry]) -> None:
        if isinstance(index, slice) or not isinstance(value, ListEntry):
            raise TypeError("rows are replaced one at a time")
        self._rows[index] = value
        self._index = None
        self._edited = True

    def __delitem__(self, index: int | slice) -> None:
        raise TypeError("rows are not deleted from a lazy list")

    def insert(self, index: int, value: ListEntry) -> None:
        self._items.insert(index, value)  # type: ignore[arg-type]
        self._rows.insert(index, value)
        self._index = None
        self._edited = True

    def key_at(self, index: int) -> str:
        row = self._rows[index]
        return row.key if row is not None else self._key(self._items[index])

    def index_of(self, key: str) -> int | None:
        """The position of the row with ``key`` (no row is made)."""
        if self._index is None:
            if self._edited:
                keys = [self.key_at(position) for position in range(len(self._rows))]
            else:  # the rows are made from the items: their keys (one C-level map)
                keys = list(map(self._key, self._items))
            # from the end, so that the first of two equal keys wins
            self._index = dict(zip(reversed(keys), range(len(keys) - 1, -1, -1), strict=True))
        return self._index.get(key)
