"""The one analysis chain shared by indexing, querying and highlighting.

A token is a maximal run of letters and digits (plus combining marks) in the
*original* text, so its offsets slice the original text exactly, whatever
normalisation does to the term afterwards. Around that:

* apostrophes (``'`` and ``’``) and hyphens are separators: ``l’Élysée``
  gives the tokens ``l`` + ``Élysée`` (the elided ``l``, ``d``, ``qu``,
  ``jusqu``... are French stop words) and ``États-Unis`` gives ``États`` +
  ``Unis`` at consecutive positions, so a query ``États-Unis`` (read as a
  phrase), ``etats-unis`` and ``etats unis`` all find it;
* a number written with thousands separators (space, no-break space, thin
  space, narrow no-break space) is one token, ``150 000`` → ``150000``;
* the term of a token is: NFKC, case folding, Snowball stemming in the
  article's language (French, English and a few others), then accent folding
  (é→e, ç→c, œ→oe, æ→ae, ß→ss);
* **names are not stemmed**: in a body, a capitalised token that does not
  start a sentence (``Paris``, ``Élysée`` in ``l’Élysée``, ``OTAN``) keeps its
  folded form, so ``Paris`` is indexed as ``paris`` and the bet ``pari`` does
  not find it. A query word is looked up as its folded form *and* its stem in
  every language, so ``paris`` and ``élysée`` find both readings;
* **acronyms** (a token written in capitals, ``UN``, ``EU``, ``WHO``) are
  also listed apart (:func:`acronyms`), so that an acronym that is a stop
  word in lower case (*un*, *eu*, *who*) can still be searched.

The index is fed these terms (:func:`index_terms`), queries are analysed by
the same functions, and hits are located with :func:`spans`: one chain.

Nothing here compiles user text into a regular expression; the patterns are
fixed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

import Stemmer  # type: ignore[import-not-found,import-untyped,unused-ignore]

from reader.core.search.stopwords import BY_LANG as STOP_WORDS

#: ISO 639-1 code → Snowball algorithm. Other languages are not stemmed.
STEMMERS: dict[str, str] = {
    "fr": "french",
    "en": "english",
    "de": "german",
    "es": "spanish",
    "it": "italian",
    "pt": "portuguese",
    "nl": "dutch",
}

_WORDCH = r"[^\W_\u02bc]"
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_WORDCH_MARKS = rf"(?:[^\W_\u02bc]|[{_MARKS}])"
_SEP = "\u0020\u00a0\u2009\u202f"
_NUMBER = rf"\d{{1,3}}(?:[{_SEP}]\d{{3}})+(?!\d)"
# A token is preceded by an optional sentence boundary (group 1, one
# character): a capitalised token after one is a sentence start, not a name.
_BOUNDARY = r"(?:([.!?…\n«“\"(])[\"»”’)\s#>*+\-]*)?"


def _token_pattern(word: str) -> re.Pattern[str]:
    return re.compile(rf"{_BOUNDARY}({_NUMBER}|{word}+)")


def _key_pattern(word: str) -> re.Pattern[str]:
    # the same pattern without groups: ``findall`` returns one string per
    # token, the boundary (if any) glued in front of it
    boundary = _BOUNDARY.replace("([", "[", 1).replace("])", "]", 1)
    return re.compile(rf"{boundary}(?:{_NUMBER}|{word}+)")


#: Group 1: the sentence boundary before the token, if any; group 2: the token.
TOKEN_RE = _token_pattern(_WORDCH)
#: The same with combining marks inside words (used only when there are any).
TOKEN_MARKS_RE = _token_pattern(_WORDCH_MARKS)
HAS_MARKS_RE = re.compile(f"[{_MARKS}]")
#: :data:`TOKEN_RE` without groups (see :func:`raw_keys`).
KEY_RE = _key_pattern(_WORDCH)
KEY_MARKS_RE = _key_pattern(_WORDCH_MARKS)
#: The same with ``\w`` (faster), equal on texts without ``_`` and ``ʼ``.
KEY_W_RE = _key_pattern(r"\w")
_HAS_SEP_RE = re.compile(f"[{_SEP}]")
#: A token alone (the same spans as group 2 of :data:`TOKEN_RE`: the optional
#: boundary before a token never moves where it starts or ends).
SPAN_RE = re.compile(rf"{_NUMBER}|{_WORDCH}+")
SPAN_MARKS_RE = re.compile(rf"{_NUMBER}|{_WORDCH_MARKS}+")
SPAN_W_RE = re.compile(rf"{_NUMBER}|\w+")
#: The characters a sentence boundary starts with (never part of a token).
BOUNDARY_CHARS = frozenset('.!?…\n«“"(')
_SPACES = {ord(c): None for c in _SEP}
_SPECIAL = str.maketrans(
    {"œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ł": "l", "ı": "i", "ß": "ss"}
)

Key = tuple[str, str]
"""A raw token as ``findall`` returns it: (boundary before it or "", token)."""


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its term, where it is in the original text, its position."""

    term: str
    start: int
    end: int
    position: int


def lang_key(lang: str | None) -> str:
    """The stemming key for an article language: ``fr``, ``en``... or ``""``."""
    code = (lang or "").strip().lower()[:2]
    return code if code in STEMMERS else ""


def pattern_for(text: str) -> re.Pattern[str]:
    """The token pattern for ``text`` (the slower one only if it has marks)."""
    return TOKEN_MARKS_RE if HAS_MARKS_RE.search(text) else TOKEN_RE


@lru_cache(maxsize=32)
def _stemmer(lang: str) -> Stemmer.Stemmer:
    stemmer = Stemmer.Stemmer(STEMMERS[lang])
    stemmer.maxCacheSize = 100_000
    return stemmer


def strip_accents(text: str) -> str:
    """Remove combining marks and expand œ, æ, ß... (input already casefolded)."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.translate(_SPECIAL)


@lru_cache(maxsize=262_144)
def lower(surface: str) -> str:
    """NFKC + case folding, thousands separators removed; accents kept."""
    if surface.isascii():
        text = surface.lower()
    else:
        text = unicodedata.normalize("NFKC", surface).casefold()
    if not text.isalnum():
        text = text.translate(_SPACES)
    return text


#: Terms are cut to this many characters (the index's terms stay small).
MAX_TERM = 120


def finish(term: str) -> str:
    """A term as indexed: never empty, never longer than :data:`MAX_TERM`
    (the index is fed space-separated terms, one per token)."""
    return term[:MAX_TERM] or "_"


@lru_cache(maxsize=262_144)
def fold(surface: str) -> str:
    """The unstemmed term: NFKC, case folding and accent folding."""
    return finish(strip_accents(lower(surface)))


@lru_cache(maxsize=262_144)
def stem(surface: str, lang: str) -> str:
    """The stemmed term of ``surface`` in ``lang`` (a :func:`lang_key`)."""
    text = lower(surface)
    if lang and text.isalpha():
        text = _stemmer(lang).stemWord(text)
    return finish(strip_accents(text))


def key_term(key: Key, lang: str, names: bool) -> str:
    """The term of a raw ``findall`` token (see :data:`TOKEN_RE`)."""
    boundary, surface = key
    if names and not boundary and surface[:1].isupper():
        return fold(surface)
    return stem(surface, lang)


def keys(text: str) -> list[Key]:
    """The raw tokens of ``text`` (fast: no offsets); the first one is marked
    as starting a sentence."""
    found: list[Key] = pattern_for(text).findall(text)
    if found and not found[0][0]:
        found[0] = ("\n", found[0][1])
    return found


def raw_keys(text: str) -> list[str]:
    """The tokens of ``text`` as strings, each with the sentence boundary
    before it glued in front (``". Soldats"``, ``"soldats"``), the first one
    always marked as starting a sentence (``"\\n"`` in front).

    One C-level ``findall``: the bulk path of indexing, mapped to term ids
    through a dictionary keyed by these strings (:func:`raw_key_terms` gives
    the terms of unseen keys). Same tokens, in the same order, as
    :func:`tokens`.
    """
    if HAS_MARKS_RE.search(text):
        found: list[str] = KEY_MARKS_RE.findall(text)
    elif "_" in text or "\u02bc" in text:
        found = KEY_RE.findall(text)
    else:
        found = KEY_W_RE.findall(text)
    if found and found[0][0] not in BOUNDARY_CHARS:
        found[0] = "\n" + found[0]
    return found


def token_spans(text: str, positions: list[int]) -> list[tuple[int, int]]:
    """(start, end) of the tokens of ``text`` at the given ascending
    positions (the tokens of :func:`tokens`), without analysing any: the
    tokens in between are skipped at C level."""
    if HAS_MARKS_RE.search(text):
        pattern = SPAN_MARKS_RE
    elif "_" in text or "\u02bc" in text:
        pattern = SPAN_RE
    else:
        pattern = SPAN_W_RE
    found = pattern.finditer(text)
    out = []
    previous = -1
    for position in positions:
        match = next(islice(found, position - previous - 1, None))
        out.append(match.span())
        previous = position
    return out


def raw_key_terms(keys: list[str], lang: str, names: bool) -> list[tuple[str, str]]:
    """(term, folded term) of each :func:`raw_keys` string: the term
    :func:`key_term` gives and the :func:`fold` of the surface, with the
    normalisation and stemming done in a few bulk calls."""
    if not keys:
        return []
    parts = list(map(re.Match.groups, map(TOKEN_MARKS_RE.match, keys)))  # type: ignore[arg-type]
    joined = "\n".join([surface for _, surface in parts])
    if joined.isascii():
        joined = joined.lower()
    else:  # NFKC and case folding act on each line alone
        joined = unicodedata.normalize("NFKC", joined).casefold()
    if _HAS_SEP_RE.search(joined):
        joined = joined.translate(_SPACES)
    lowered = joined.split("\n")
    terms = lowered[:]
    if lang:
        todo = [
            i
            for i, (boundary, surface) in enumerate(parts)
            if (boundary or not names or not surface[:1].isupper()) and lowered[i].isalpha()
        ]
        if todo:
            stems = _stemmer(lang).stemWords([lowered[i] for i in todo])
            for i, value in zip(todo, stems, strict=True):
                terms[i] = value
    return list(
        zip(
            map(finish, map(strip_accents, terms)),
            map(finish, map(strip_accents, lowered)),
            strict=True,
        )
    )


_MAPS: dict[tuple[str, bool], tuple[dict[str, str], dict[str, str]]] = {}
_MAPS_MAX = 400_000


def term_lists(text: str, lang: str, *, names: bool) -> tuple[list[str], list[str]]:
    """The (stemmed, folded) term of every token of :func:`tokens`, in order.

    One C-level ``findall`` and dictionary mapping per text; raw tokens not
    seen before are analysed in one batch (:func:`raw_key_terms`)."""
    keys = raw_keys(text)
    maps = _MAPS.get((lang, names))
    if maps is None or len(maps[0]) > _MAPS_MAX:
        maps = _MAPS[(lang, names)] = ({}, {})
    stemmed, folded = maps
    new = list(set(keys).difference(stemmed))
    if new:
        for key, (term, folded_term) in zip(new, raw_key_terms(new, lang, names), strict=True):
            stemmed[key] = term
            folded[key] = folded_term
    return list(map(stemmed.__getitem__, keys)), list(map(folded.__getitem__, keys))


def index_terms(text: str, lang: str, *, names: bool) -> tuple[str, str]:
    """The terms of ``text`` as the index is fed them: (stemmed, folded),
    each the :func:`term_lists` joined by spaces (one term per token, so a
    term's position is its token's)."""
    stemmed, folded = term_lists(text, lang, names=names)
    return " ".join(stemmed), " ".join(folded)


def tokens(text: str, lang: str | None, *, names: bool = True) -> list[Token]:
    """Every token of ``text`` with its term, original offsets and position.

    ``names`` applies the "capitalised words inside a sentence are not
    stemmed" rule; it is on for bodies and off for titles and metadata.
    """
    key = lang_key(lang)
    out: list[Token] = []
    for position, match in enumerate(pattern_for(text).finditer(text)):
        boundary = "\n" if position == 0 else match.group(1) or ""
        term = key_term((boundary, match.group(2)), key, names)
        out.append(Token(term, match.start(2), match.end(2), position))
    return out


_ACRONYM_RE = re.compile(r"\b[A-ZÀ-ÖØ-ÞŒ]{2,}\b")


def acronyms(text: str) -> list[str]:
    """The folded terms of the tokens of ``text`` written in capitals
    (``UN``, ``OTAN``; not ``États``)."""
    return [fold(word) for word in _ACRONYM_RE.findall(text)]


def query_tokens(text: str) -> list[str]:
    """The surfaces of the tokens of a piece of query text, in order."""
    return [surface for _, surface in keys(text)]


def is_stop_word(surface: str, langs: Iterable[str]) -> bool:
    """True when ``surface`` is a stop word in any language of ``langs``
    (in French or English when none of them has a list)."""
    folded = fold(surface)
    lists = [STOP_WORDS[lang] for lang in langs if lang in STOP_WORDS]
    if not lists:
        lists = list(STOP_WORDS.values())
    return any(folded in stop for stop in lists)
