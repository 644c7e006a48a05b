"""French elision: the one definition of the elided words (``l'``, ``qu'``, ``jusqu'``...).

A French elided word ends in an apostrophe and is glued to the next word
(``l’Ukraine``, ``jusqu’ici``). The tokeniser of the entity recogniser splits
it off so it stays outside names, the spaCy adapter trims it from span starts,
and language detection counts it as a French cue. Straight (``'``), typographic
(``’``) and modifier-letter (``ʼ``) apostrophes are all accepted.
"""

from __future__ import annotations

import re
from typing import Final

#: The words French elides before a vowel, longest first.
ELIDED_WORDS: Final[tuple[str, ...]] = (
    "jusqu",
    "lorsqu",
    "puisqu",
    "presqu",
    "quelqu",
    "qu",
    "c",
    "d",
    "j",
    "l",
    "m",
    "n",
    "s",
    "t",
)

#: The elided words that can stand before a name: the articles, ``de`` and
#: ``que`` with its compounds (``l'OTAN``, ``d'Ukraine``, ``jusqu'Odessa``).
#: The others elide before verbs and pronouns (``n'est``, ``s'il``), so a
#: capital after them belongs to a name: ``N'Djamena``, ``N'Golo Kanté``.
BEFORE_NAMES: Final[tuple[str, ...]] = ("jusqu", "lorsqu", "puisqu", "qu", "d", "l")

#: Characters written as the apostrophe of an elision.
APOSTROPHES: Final[str] = "'’ʼ"


def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{'|'.join(words)})[{APOSTROPHES}]", re.IGNORECASE)


#: An elided word and its apostrophe at the start of a word, any case
#: (``l'`` of ``l'OTAN``, ``qu’`` of ``qu’il``; not the ``d'`` inside
#: ``aujourd'hui``). Use ``.match`` on a token or ``.finditer`` on a text.
ELISION_RE: Final[re.Pattern[str]] = _pattern(ELIDED_WORDS)

#: The same for :data:`BEFORE_NAMES` only: what to cut from the start of a name.
NAME_ELISION_RE: Final[re.Pattern[str]] = _pattern(BEFORE_NAMES)


def elision_length(word: str) -> int:
    """Length of the elided word and apostrophe that start ``word`` (0 if none):
    3 for ``qu'il``, 2 for ``L’Ukraine``, 0 for ``Paris``."""
    match = ELISION_RE.match(word)
    return match.end() if match else 0
