"""Plain data shared by the entity recognisers: labels, mentions, keys."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal, Protocol, get_args

Label = Literal["PER", "LOC", "ORG", "MISC", "DATE"]
LABELS: frozenset[str] = frozenset(get_args(Label))


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


class Recogniser(Protocol):
    """Anything that finds entity mentions in a text."""

    name: str
    version: str

    def recognise(self, text: str, lang: str) -> list[Mention]:
        """Sorted, non-overlapping, in-bounds mentions of ``text``."""
        ...


_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "\u00a0": " "})


def fold(text: str) -> str:
    """Case- and accent-folded form of ``text`` with spaces collapsed."""
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


def as_label(value: object) -> Label | None:
    """``value`` as a :data:`Label` if it is one (case-insensitive), else ``None``."""
    if not isinstance(value, str):
        return None
    upper = value.strip().upper()
    aliases = {
        "PERSON": "PER",
        "PERS": "PER",
        "GPE": "LOC",
        "PLACE": "LOC",
        "ORGANISATION": "ORG",
        "ORGANIZATION": "ORG",
    }
    upper = aliases.get(upper, upper)
    if upper == "PER":
        return "PER"
    if upper == "LOC":
        return "LOC"
    if upper == "ORG":
        return "ORG"
    if upper == "MISC":
        return "MISC"
    if upper == "DATE":
        return "DATE"
    return None
