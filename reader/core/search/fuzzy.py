"""Typo tolerance: how many edits a word allows, and the edit distance.

The index finds typo forms with tantivy's Levenshtein automaton
(transpositions cost one edit); :func:`distance` is the same measure
(optimal string alignment), used to mark those forms in a text and to pick
a suggestion.
"""

from __future__ import annotations


def allowed_edits(word: str) -> int:
    """Typo tolerance for a (folded) word: 1 edit from 5 letters, 2 from 9."""
    if len(word) >= 9:
        return 2
    if len(word) >= 5:
        return 1
    return 0


def distance(a: str, b: str, limit: int) -> int:
    """The OSA distance between ``a`` and ``b``, or ``limit + 1`` if larger."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if a == b:
        return 0
    prev: list[int] | None = None
    row = list(range(len(a) + 1))
    for t, char in enumerate(b):
        new = [t + 1]
        for k in range(1, len(a) + 1):
            value = min(row[k] + 1, new[k - 1] + 1, row[k - 1] + (a[k - 1] != char))
            if prev is not None and k > 1 and a[k - 1] == b[t - 1] and a[k - 2] == char:
                value = min(value, prev[k - 2] + 1)
            new.append(value)
        if min(new) > limit:
            return limit + 1
        prev, row = row, new
    return row[-1] if row[-1] <= limit else limit + 1
