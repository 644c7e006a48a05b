"""Fixed word lists and patterns the rule recogniser reads, and its evidence scale.

These are the language facts that are not gazetteer data: which tokens end a
sentence or open a quote, which prepositions announce a place, which lowercase
French nouns head an organisation or an event (``ministère``, ``affaire``),
adjective endings that close French names, and the date patterns. The evidence
strengths rank how sure a label is; :mod:`.propagate` lets the strongest label
of a surface form win. :class:`Span` is a candidate mention in token indices.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from .model import Label

SENT_END: Final = frozenset(
    {
        *(".", "!", "?", "…", ":", ";", "«", "»", '"', "“", "”", "—", "–", "-"),
        *("(", "[", "•", "*", "#", "|", ">", "‹", "›", "„"),
    }
)
OPENERS: Final = frozenset({"«", '"', "“", "(", "[", "‹", "„", "'", "‘", "—", "–", "-", "*", "•"})
LOC_PREPS: Final = frozenset({"à", "en", "au", "aux", "in", "at", "from", "near", "vers", "À"})
#: before a lone unknown name: "the village of Aisby", "near Atwick"
LOC_PREPS_SINGLE: Final = frozenset({"of", "near", "outside", "towards", "across", "via"})
CUE_LINKS: Final = frozenset({"de", "du", "des", "d'", "d’", "of", "the"})
DETERMINERS: Final = frozenset({"le", "la", "l'", "l’", "du", "au", "the"})
NAME_END_ABBREV: Final = frozenset({"Jr", "Sr"})
INNER_ABBREV: Final = frozenset({"St", "Ste", "Mt", "Ft"})
#: French elided articles and prepositions as tokens
ELIDED_LINKS: Final = ("d'", "d’", "l'", "l’")
#: "de" and its forms between a French head noun and its complement
FR_OF: Final = frozenset({"de", "du", "des", "d'", "d’"})
FR_ARTICLES_AFTER_DE: Final = frozenset({"la", "l'", "l’"})

#: lowercase French (and English) nouns that head an organisation or an event
LOWER_HEADS: Final[dict[str, Label]] = {
    "ministère": "ORG",
    "secrétariat": "ORG",
    "ministry": "ORG",
    "mairie": "ORG",
    "comité": "ORG",
    "commission": "ORG",
    "cour": "ORG",
    "tribunal": "ORG",
    "affaire": "MISC",
    "traités": "MISC",
    "traité": "MISC",
    "convention": "MISC",
    "accords": "MISC",
    "contrat": "MISC",
    "guerre": "MISC",
    "bataille": "MISC",
    "procès": "MISC",
    "opération": "MISC",
}
AFFAIR_HEADS: Final = frozenset({"affaire", "Affaire", "scandale", "Scandale"})
#: words more frequent than this end "affaire des ...": "l'affaire des fiches est..."
AFFAIR_STOP_RANK: Final = 400

ADJ_END_RE: Final = re.compile(
    r"(?:é|ée|ées|és|ère|ères|al|ale|ales|aux|ique|iques|elle|elles|aire|aires|ienne|iennes|"
    r"ien|iens|ive|ives|if|ifs|eur|eure|eures|nel|nelle|nelles|ale|ales|ée)$"
)
EN_INFLECTED_RE: Final = re.compile(r"[a-z](?:ly|ed|ing)$")
ORDINAL_RE: Final = re.compile(r"\d+(?:st|nd|rd|th)$")
QUOTED_TITLE_RE: Final = re.compile(r'["“]([A-Z][^"“”.,!?;:\n]{1,60}[^"“”.,!?;:\s])["”]')
CALL_SIGN_RE: Final = re.compile(r"\d[A-Z]{2,3}$")  # radio "6PR", "3AW"
#: an alphanumeric code: a letter, then letters and digits ("A320", "R21", "COP27")
CODE_RE: Final = re.compile(r"(?=[^\W_]*\d)[^\W\d_][^\W_]*$")
MODEL_RE: Final = re.compile(r"[A-Z]{1,3}-\d+[A-Z]?$")  # "F-86 Sabre", "B-25 Mitchell"
HYPHEN_PLACE_RE: Final = re.compile(r"-(?:sur|sous|en|lès|lez|le|la|les|de|du|des|aux|au)-", re.I)
ARABIC_PREFIX_RE: Final = re.compile(
    r"(?:al|el|ad|ar|as|ash|at|az|ibn|bin|ben|abu|abou|bou|ould)-[^\W\d_]"
)

_FR_MONTHS = (
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|"
    "novembre|décembre|decembre"
)
_EN_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_FR_DAYS = "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
_EN_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
DATE_RE: Final = re.compile(
    rf"""(?ix)
    (?:\b(?:{_FR_DAYS})\s+)?\b(?:1er|\d{{1,2}})\s+(?:{_FR_MONTHS})\b(?:\s+\d{{4}}\b)?
    | (?:\b(?:{_EN_DAYS}),?\s+)?\b(?:{_EN_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}}\b)?
    | (?:\b(?:{_EN_DAYS}),?\s+)?\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_EN_MONTHS})\b(?:,?\s+\d{{4}}\b)?
    | \b(?:{_FR_MONTHS}|{_EN_MONTHS})\s+\d{{4}}\b
    | \b(?:{_FR_DAYS}|{_EN_DAYS})\b
    """
)
#: where a date can start: a digit, or the first three letters of a month or
#: weekday name, at a word boundary. :func:`find_dates` tries :data:`DATE_RE`
#: only there (``finditer`` alone tries its five branches at every character).
_STARTS = sorted({w[:3] for w in f"{_FR_MONTHS}|{_EN_MONTHS}|{_FR_DAYS}|{_EN_DAYS}".split("|")})
DATE_START_RE: Final = re.compile(
    # the lookahead's one class rejects most positions before the alternation
    rf"(?i)(?=[\d{''.join(sorted({w[0].lower() for w in _STARTS}))}])\b(?:\d|{'|'.join(_STARTS)})"
)


def find_dates(text: str) -> list[re.Match[str]]:
    """The matches of :data:`DATE_RE` in ``text``, as ``finditer`` finds them."""
    found: list[re.Match[str]] = []
    last = 0
    for anchor in DATE_START_RE.finditer(text):
        at = anchor.start()
        if at < last:
            continue
        m = DATE_RE.match(text, at)
        if m is not None and m.end() > at:
            found.append(m)
            last = m.end()
    return found


#: English month and weekday names: capitalised but never names
MONTH_WORDS: Final = frozenset(_EN_MONTHS.split("|")) | frozenset(_EN_DAYS.split("|"))

# strength of the evidence behind a label, used to unify labels per surface
GAZ, CUE, NAME, WEAK, MAYBE = 4, 3, 2, 1, 0
NO_RANK: Final = 1 << 30


@dataclass(slots=True)
class Span:
    """A candidate mention over tokens ``start:end`` with its evidence."""

    start: int  # token index
    end: int  # token index, exclusive
    label: Label
    key: str
    strength: int
