"""LazyRows: a list's rows made only when read."""

from __future__ import annotations

from reader.ui.widgets.article_list import ArticleList, ListEntry
from reader.ui.widgets.list_rows import LazyRows


def rows(n: int) -> tuple[LazyRows[str], list[str]]:
    made: list[str] = []

    def make(item: str) -> ListEntry:
        made.append(item)
        return ListEntry(key=item, title=item.upper(), detail="")

    return LazyRows([f"a{i}" for i in range(n)], make, lambda item: item), made


def test_rows_are_made_when_read_and_kept() -> None:
    lazy, made = rows(100_000)
    assert len(lazy) == 100_000 and made == []
    assert lazy[99_999].title == "A99999"
    assert lazy[99_999] is lazy[99_999]
    assert made == ["a99999"]
    assert [row.key for row in lazy[2:4]] == ["a2", "a3"]
    assert made == ["a99999", "a2", "a3"]


def test_finding_a_row_makes_none() -> None:
    lazy, made = rows(1000)
    assert lazy.index_of("a500") == 500
    assert lazy.index_of("missing") is None
    assert made == []


def test_a_replaced_row_stays_replaced() -> None:
    lazy, made = rows(3)
    lazy[1] = ListEntry(key="b", title="B", detail="")
    assert lazy[1].title == "B"
    assert lazy.index_of("b") == 1 and lazy.index_of("a1") is None
    assert made == []


def test_the_first_of_two_equal_keys_is_found_before_and_after_an_edit() -> None:
    def make(item: str) -> ListEntry:
        return ListEntry(key=item, title=item, detail="")

    lazy = LazyRows(["x", "y", "x", "z"], make, lambda item: item)
    assert lazy.index_of("x") == 0 and lazy.index_of("z") == 3
    lazy.insert(1, ListEntry(key="z", title="Z", detail=""))
    assert lazy.index_of("z") == 1 and lazy.index_of("x") == 0 and lazy.index_of("y") == 2
    lazy[0] = ListEntry(key="w", title="W", detail="")
    assert lazy.index_of("x") == 3 and lazy.index_of("w") == 0


def test_the_list_keeps_lazy_rows_and_appends_to_a_copy() -> None:
    widget = ArticleList()
    lazy, made = rows(10)
    widget.set_entries(lazy, cursor=4)
    assert widget.entries is lazy
    assert widget.index_of("a7") == 7
    assert made == ["a4"]  # only the row under the cursor
    widget.append_entries([ListEntry(key="z", title="Z", detail="")])
    assert [entry.key for entry in widget.entries][-2:] == ["a9", "z"]
