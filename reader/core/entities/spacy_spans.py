"""Offset-preserving text and span helpers for the spaCy adapter (no spaCy import).

Typographic apostrophes are made ASCII before parsing (same length, so offsets
hold); spaCy/OntoNotes labels map onto ours; a span is trimmed of leading
quotes, French elisions (``l'OTAN`` -> ``OTAN``) and trailing punctuation; long
texts are cut into chunks of whole paragraphs (spaCy's NER needs about 1 GB of
temporary memory per 100,000 characters).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..articles.elision import NAME_ELISION_RE
from .model import Label, as_label

# OntoNotes TIME is a clock time ("10 a.m."), not a date: dropped
_DROPPED_LABELS = frozenset({"TIME"})

# Same-length replacements only: offsets in the parsed text are offsets in the source.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'"})

_LEADING = frozenset(" \t\r\n\u00a0\u202f«‹\"“„‘'([{-–—•*")
_TRAILING = frozenset(" \t\r\n\u00a0\u202f»›\"”’'‘)]},;:!?.…-–—•*")
# a final "." that belongs to the name: initials and common abbreviations
_ABBREV_RE = re.compile(
    r"(?:\b(?:[^\W\d_]\.)+|\b(?:Jr|Sr|St|Ste|Mt|Dr|Inc|Ltd|Corp|Co|Bros|Cie|Ets|av|J\.-C)\.)$"
)

# spaCy needs about 1 GB of temporary memory per 100,000 characters for NER:
# texts are cut into chunks of whole paragraphs of at most this many characters.
CHUNK_CHARS = 20_000


def normalise_apostrophes(text: str) -> str:
    """``text`` with typographic apostrophes (’, ʼ) made ASCII; same length."""
    return text.translate(_APOSTROPHES)


def map_label(label: str) -> Label | None:
    """Our label for a spaCy label (WikiNER or OntoNotes), or ``None`` to drop it."""
    if label.strip().upper() in _DROPPED_LABELS:
        return None
    return as_label(label)


def trim_span(
    text: str, start: int, end: int, lang: str, keep: frozenset[str] | None = None
) -> tuple[int, int]:
    """Trim the span ``text[start:end]``: leading quotes/brackets, French elisions
    (``l'OTAN`` -> ``OTAN``, for ``lang`` ``fr``), trailing punctuation and
    whitespace. ``keep`` holds surface forms to leave whole (``L'Oréal``).
    Returns the new bounds; ``start >= end`` when nothing is left."""
    end = min(end, len(text))
    start = max(start, 0)
    for _ in range(3):
        before = (start, end)
        while start < end and text[start] in _LEADING:
            start += 1
        if lang.startswith("fr"):
            m = NAME_ELISION_RE.match(text, start, end)
            if m is not None and not (keep and text[start:end] in keep):
                start = m.end()
        while start < end and text[end - 1] in _TRAILING:
            if text[end - 1] == "." and _ABBREV_RE.search(text, start, end):
                break
            end -= 1
        if (start, end) == before:
            break
    return start, end


def split_chunks(text: str, limit: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """``(offset, chunk)`` pairs covering ``text``: whole paragraphs packed up
    to ``limit`` characters; a longer paragraph is cut at a line break, a
    sentence end or a space (or anywhere, as a last resort)."""
    n = len(text)
    if n <= limit:
        if text:
            yield 0, text
        return
    pos = 0
    while pos < n:
        if n - pos <= limit:
            yield pos, text[pos:]
            return
        window = text[pos : pos + limit]
        cut = -1
        for pattern in ("\n\n", "\n", ". ", " "):
            i = window.rfind(pattern)
            if i > 0:
                cut = i + len(pattern)
                break
        if cut <= 0:
            cut = limit
        yield pos, text[pos : pos + cut]
        pos += cut
