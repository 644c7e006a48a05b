"""Edit distance (optimal string alignment: insert, delete, substitute,
swap two neighbours, each one edit) and a search of a sorted term list.

:func:`within` walks the sorted list as an implicit trie: the children of a
prefix are found by bisection, and a branch is dropped as soon as its
dynamic-programming row shows every completion is too far. It never looks
at the terms outside the surviving branches.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

#: Guard against pathological inputs (each node costs one DP row).
MAX_NODES = 30_000


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


def within(terms: Sequence[str], word: str, limit: int) -> list[tuple[str, int]]:
    """Every term of the sorted ``terms`` within ``limit`` edits of ``word``,
    with its distance."""
    found: list[tuple[str, int]] = []
    if limit < 0 or not terms:
        return found
    n = len(word)
    # (depth, lo, hi, row, previous row, previous char)
    stack: list[tuple[int, int, int, list[int], list[int] | None, str]] = [
        (0, 0, len(terms), list(range(n + 1)), None, "")
    ]
    nodes = 0
    while stack and nodes < MAX_NODES:
        depth, lo, hi, row, prev, prev_char = stack.pop()
        i = lo
        if len(terms[i]) == depth:  # the prefix itself is a term (sorts first)
            if row[n] <= limit:
                found.append((terms[i], row[n]))
            i += 1
        while i < hi:
            nodes += 1
            term = terms[i]
            char = term[depth]
            j = bisect_left(terms, term[:depth] + chr(min(ord(char) + 1, 0x10FFFF)), i, hi)
            new = [row[0] + 1]
            for k in range(1, n + 1):
                value = min(row[k] + 1, new[k - 1] + 1, row[k - 1] + (word[k - 1] != char))
                if prev is not None and k > 1 and word[k - 1] == prev_char and word[k - 2] == char:
                    value = min(value, prev[k - 2] + 1)
                new.append(value)
            if min(new) <= limit:
                stack.append((depth + 1, i, j, new, row, char))
            i = j
    return found
