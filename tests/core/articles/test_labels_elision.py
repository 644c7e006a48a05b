"""The shared entity labels and French elisions (one definition each)."""

from __future__ import annotations

import pytest

from reader.core.articles.elision import ELISION_RE, NAME_ELISION_RE, elision_length
from reader.core.articles.labels import LABELS, NAME_LABELS, as_label


def test_labels_in_display_order() -> None:
    assert LABELS == ("PER", "LOC", "ORG", "MISC", "DATE")
    assert LABELS[:4] == NAME_LABELS


@pytest.mark.parametrize(
    ("value", "label"),
    [
        ("PER", "PER"),
        (" per ", "PER"),
        ("PERSON", "PER"),
        ("GPE", "LOC"),
        ("FAC", "LOC"),
        ("place", "LOC"),
        ("Organisation", "ORG"),
        ("NORP", "MISC"),
        ("WORK_OF_ART", "MISC"),
        ("DATE", "DATE"),
        ("TIME", "DATE"),
        ("CARDINAL", None),
        ("", None),
        (None, None),
        (3, None),
    ],
)
def test_as_label(value: object, label: str | None) -> None:
    assert as_label(value) == label


@pytest.mark.parametrize(
    ("word", "length", "before_name"),
    [
        ("l'OTAN", 2, True),
        ("L’Ukraine", 2, True),
        ("dʼUkraine", 2, True),
        ("qu’Emmanuel", 3, True),
        ("Qu'il", 3, True),
        ("jusqu’Odessa", 6, True),
        ("lorsqu'Israël", 7, True),
        ("puisqu’Angela", 7, True),
        ("presqu'île", 7, False),
        ("quelqu'un", 7, False),
        ("n'est", 2, False),
        ("N'Djamena", 2, False),  # a name: not cut by the spaCy trimming
        ("s’il", 2, False),
        ("c'est", 2, False),
        ("aujourd'hui", 0, False),
        ("Paris", 0, False),
        ("O'Neill", 0, False),
    ],
)
def test_elisions(word: str, length: int, before_name: bool) -> None:
    assert elision_length(word) == length
    assert (NAME_ELISION_RE.match(word) is not None) == before_name


def test_elision_inside_a_word_is_not_one() -> None:
    text = "aujourd'hui, l'OTAN"
    assert [m.group() for m in ELISION_RE.finditer(text)] == ["l'"]
