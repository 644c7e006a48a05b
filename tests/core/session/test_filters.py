"""is: filters are split from the query and compose with it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.core.session.filters import Filters, split_filters


@pytest.mark.parametrize(
    ("query", "rest", "filters"),
    [
        ("otan", "otan", Filters()),
        ("is:unread", "", Filters(unread=True)),
        ("otan is:starred macron", "otan macron", Filters(starred=True)),
        ("IS:Unread is:starred", "", Filters(unread=True, starred=True)),
        ('"is:unread" otan', '"is:unread" otan', Filters()),
        ("is:nothing otan", "is:nothing otan", Filters()),
        ("is:read", "", Filters(read=True)),
        ("-is:unread", "-is:unread", Filters()),
        ("le la les ", "le la les ", Filters()),
        ("otan is:unread ", "otan ", Filters(unread=True)),
    ],
)
def test_split(query: str, rest: str, filters: Filters) -> None:
    assert split_filters(query) == (rest, filters)


@pytest.mark.parametrize(
    ("filters", "read", "starred", "expected"),
    [
        (Filters(), True, True, True),
        (Filters(unread=True), False, False, True),
        (Filters(unread=True), True, False, False),
        (Filters(starred=True), True, True, True),
        (Filters(starred=True), False, False, False),
        (Filters(unread=True, starred=True), False, True, True),
        (Filters(unstarred=True), False, True, False),
    ],
)
def test_accepts(filters: Filters, read: bool, starred: bool, expected: bool) -> None:
    assert filters.accepts(read=read, starred=starred) is expected


@given(st.text(max_size=200))
def test_never_raises(query: str) -> None:
    rest, filters = split_filters(query)
    assert isinstance(rest, str) and isinstance(filters, Filters)
