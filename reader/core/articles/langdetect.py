"""A cheap, deterministic French/English detector.

It counts very frequent function words of each language in the first few
thousand characters (plus a small bonus for French accented letters and
elisions) and picks the language with the higher score. Short or ambiguous
texts give ``"und"`` (undetermined). No statistics are learnt at run time;
the same text always gets the same answer.
"""

from __future__ import annotations

import re

from reader.core.articles.elision import ELISION_RE

_FRENCH = frozenset(
    [
        "le",
        "la",
        "les",
        "un",
        "une",
        "des",
        "du",
        "de",
        "et",
        "est",
        "sont",
        "dans",
        "pour",
        "pas",
        "que",
        "qui",
        "sur",
        "avec",
        "par",
        "au",
        "aux",
        "ce",
        "cette",
        "ces",
        "il",
        "elle",
        "ils",
        "elles",
        "nous",
        "vous",
        "mais",
        "ou",
        "où",
        "donc",
        "ne",
        "plus",
        "été",
        "être",
        "avait",
        "a",
        "ont",
        "leur",
        "leurs",
        "son",
        "sa",
        "ses",
        "selon",
        "entre",
        "après",
        "comme",
        "aussi",
        "très",
    ]
)
_ENGLISH = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "is",
        "are",
        "was",
        "were",
        "in",
        "for",
        "not",
        "that",
        "which",
        "who",
        "on",
        "with",
        "by",
        "to",
        "of",
        "at",
        "this",
        "these",
        "it",
        "he",
        "she",
        "they",
        "we",
        "you",
        "but",
        "or",
        "so",
        "be",
        "been",
        "has",
        "have",
        "had",
        "their",
        "his",
        "her",
        "its",
        "from",
        "after",
        "as",
        "also",
        "very",
        "would",
        "will",
        "said",
    ]
)
_WORD = re.compile(r"[^\W\d_]+(?:[’'][^\W\d_]+)?")
_FRENCH_LETTERS = re.compile(r"[éèêàùâîôûçœ]")
SAMPLE = 4_000


def detect_language(text: str) -> str:
    """Return ``"fr"``, ``"en"`` or ``"und"`` for ``text``."""
    sample = text[:SAMPLE]
    fr = en = 0
    for match in _WORD.finditer(sample.lower()):
        word = match.group()
        if word in _FRENCH:
            fr += 1
        if word in _ENGLISH:
            en += 1
    fr += len(ELISION_RE.findall(sample))
    fr += len(_FRENCH_LETTERS.findall(sample.lower())) // 4
    if fr + en < 3 or fr == en:
        return "und"
    return "fr" if fr > en else "en"
