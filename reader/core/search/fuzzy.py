"""Edit distance (optimal string alignment: insert, delete, substitute,
swap two neighbours, each one edit) and a search of a sorted term list.

:func:`within` walks the sorted list as an implicit trie: the children of a
prefix are found by bisection, and a branch is dropped as soon as its
dynamic-programming row shows every completion is too far. It never looks
at the terms outside the surviving branches.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence

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
            left = row[0] + 1
            new = [left]
            low = left
            for k in range(1, n + 1):
                value = row[k - 1] + (word[k - 1] != char)
                up = row[k] + 1
                if up < value:
                    value = up
                if left + 1 < value:
                    value = left + 1
                if (
                    prev is not None
                    and k > 1
                    and word[k - 1] == prev_char
                    and word[k - 2] == char
                    and prev[k - 2] + 1 < value
                ):
                    value = prev[k - 2] + 1
                new.append(value)
                left = value
                if value < low:
                    low = value
            if low <= limit:
                stack.append((depth + 1, i, j, new, row, char))
            i = j
    return found


_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


def neighbours(word: str) -> set[str]:
    """Every string one edit from ``word`` (letters: a–z, digits and the
    word's own characters; terms are accent-folded)."""
    letters = set(_ALPHABET).union(word)
    out: set[str] = set()
    for i in range(len(word) + 1):
        head, tail = word[:i], word[i:]
        if tail:
            out.add(head + tail[1:])  # delete
            if len(tail) > 1:
                out.add(head + tail[1] + tail[0] + tail[2:])  # swap
            for c in letters:
                out.add(head + c + tail[1:])  # substitute
        for c in letters:
            out.add(head + c + tail)  # insert
    out.discard(word)
    return out


def close_terms(
    terms: Sequence[str], contains: Callable[[str], bool], word: str, limit: int
) -> list[tuple[str, int]]:
    """Terms within ``limit`` edits of ``word``: one edit anywhere (by
    generating the neighbours), two edits only past the first two letters (a
    walk of the terms sharing them), which keeps long-word typo search cheap."""
    if limit <= 0 or not word:
        return []
    found = {t: 1 for t in neighbours(word) if contains(t)}
    if limit >= 2 and len(word) > 2:
        head = word[:2]
        lo = bisect_left(terms, head)
        hi = bisect_left(terms, head + "\U0010ffff", lo)
        for term, dist in within(terms[lo:hi], word, limit):
            if dist and term not in found:
                found[term] = dist
    return sorted(found.items())
