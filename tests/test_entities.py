"""Entity recogniser: spans, keys, propagation, overrides."""

from __future__ import annotations

from itertools import pairwise

import pytest

from reader.core.entities import Mention, default_recogniser


def spans(text: str, lang: str) -> list[tuple[str, str]]:
    return [(m.text, m.label) for m in default_recogniser().recognise(text, lang)]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "Le président russe Vladimir Poutine a parlé à Moscou.",
            "fr",
            [("Vladimir Poutine", "PER"), ("Moscou", "LOC")],
        ),
        ("Il critique l’OTAN et l'ONU.", "fr", [("OTAN", "ORG"), ("ONU", "ORG")]),
    ],
)
def test_spans(text: str, lang: str, expected: list[tuple[str, str]]) -> None:
    assert spans(text, lang) == expected


def test_mentions_are_sorted_in_bounds() -> None:
    text = "Poutine et Biden. M. Macron à Paris."
    ms = default_recogniser().recognise(text, "fr")
    assert all(isinstance(m, Mention) and text[m.start : m.end] == m.text for m in ms)
    assert all(a.end <= b.start for a, b in pairwise(ms))
