"""Date finding: anchored matching finds exactly what a full scan finds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.core.entities.cues import DATE_RE, find_dates

_WORDS = [
    "le",
    "lundi",
    "Lundi",
    "21",
    "1er",
    "février",
    "fevrier",
    "2022",
    "mars",
    "March",
    "Sunday,",
    "3rd",
    "of",
    "May",
    "mai",
    "août",
    "aout",
    "Dec",
    "décembre",
    "x21",
    "12th",
    "September",
    "Samedi",
    "samedis",
    "marsupial",
    "Mondays",
    "2",
    "1999",
    ",",
    "\n",
    "l'",
    "d’",
    "Jeudi",
    "JUIN",
    "ſeptember",
]


@given(st.lists(st.sampled_from(_WORDS), max_size=40), st.sampled_from([" ", "\u00a0", "  "]))
def test_find_dates_equals_a_full_scan(words: list[str], space: str) -> None:
    text = space.join(words)
    assert [m.span() for m in find_dates(text)] == [m.span() for m in DATE_RE.finditer(text)]


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("Le lundi 21 février 2022, à Paris.", ["lundi 21 février 2022"]),
        ("On Sunday, March 3rd, 2019 and in May 2020.", ["Sunday, March 3rd, 2019", "May 2020"]),
        ("le 1er mai et le 14 juillet", ["1er mai", "14 juillet"]),
        ("marsupial samedis 2022", []),
    ],
)
def test_find_dates(text: str, dates: list[str]) -> None:
    assert [m.group() for m in find_dates(text)] == dates
