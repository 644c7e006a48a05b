"""Plain data shared by the entity recognisers: labels, mentions, keys.

The labels themselves (:data:`Label`, :data:`LABELS`, :func:`as_label`) are
defined once in :mod:`reader.core.articles.labels` and re-exported here.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from typing import Protocol

from ..articles.labels import LABELS, NAME_LABELS, Label, as_label

__all__ = [
    "LABELS",
    "NAME_LABELS",
    "Label",
    "Mention",
    "Recogniser",
    "as_label",
    "fold",
    "make_key",
    "relabel_key",
]


@dataclass(frozen=True, slots=True)
class Mention:
    """One recognised entity mention.

    ``text == source[start:end]``; ``key`` is the canonical entity key
    (``"per:vladimir poutine"``): label prefix plus the case- and accent-folded
    canonical name, the same across articles and languages where the alias table
    knows the entity.
    """

    start: int
    end: int
    label: Label
    text: str
    key: str

    def __reduce__(self) -> tuple[type[Mention], tuple[int, int, Label, str, str]]:
        # Worker processes send tens of thousands of mentions: by value, this
        # pickles three times faster than a slotted dataclass's state methods.
        return (Mention, (self.start, self.end, self.label, self.text, self.key))


class Recogniser(Protocol):
    """Anything that finds entity mentions in a text."""

    name: str
    version: str

    def recognise(self, text: str, lang: str) -> list[Mention]:
        """Sorted, non-overlapping, in-bounds mentions of ``text``."""
        ...


_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "\u00a0": " "})


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Case- and accent-folded form of ``text`` with spaces collapsed
    (memoised: the rules fold the same words hundreds of times an article)."""
    text = text.translate(_APOSTROPHES)
    if not text.isascii():
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
    return " ".join(text.casefold().split())


def make_key(label: str, name: str) -> str:
    """The canonical key of an entity called ``name`` with ``label``."""
    return f"{label.lower()}:{fold(name)}"


def relabel_key(key: str, label: str) -> str:
    """``key`` with its label prefix replaced by ``label``."""
    return f"{label.lower()}:{key.partition(':')[2]}"
