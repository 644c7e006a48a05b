"""Tokens of one text and the questions the rules ask about them.

:func:`tokenise` cuts a text into word and punctuation tokens with their
character offsets, splitting French elisions (``l'``, ``qu'``, the shared
:mod:`reader.core.articles.elision`) and English possessives (``'s``) off so
they stay outside names. :class:`Tokens` holds one text's tokens and answers:
is this token capitalised, does it start a sentence, is it a common word there,
what is the surface form of tokens ``a:b``.
"""

from __future__ import annotations

import re

from ..articles.elision import elision_length
from .cues import (
    ARABIC_PREFIX_RE,
    CALL_SIGN_RE,
    EN_INFLECTED_RE,
    MONTH_WORDS,
    OPENERS,
    SENT_END,
)
from .lexicon import Lexicon
from .model import fold

_TOKEN_RE = re.compile(r"(?:[^\W\d_]\.){2,}|\w+(?:[-'’]\w+)*|\S")
_POSSESSIVE_RE = re.compile(r"['’][sS]$")


def tokenise(text: str) -> tuple[list[int], list[int], list[str]]:
    """Start offsets, end offsets and texts of the tokens of ``text``."""
    starts: list[int] = []
    ends: list[int] = []
    words: list[str] = []
    for m in _TOKEN_RE.finditer(text):
        s, e = m.span()
        word = m.group()
        if len(word) > 2 and ("'" in word or "’" in word):
            cut = elision_length(word)
            if cut:
                starts.append(s)
                ends.append(s + cut)
                words.append(word[:cut])
                s += cut
                word = text[s:e]
            if _POSSESSIVE_RE.search(word) and len(word) > 2:
                starts.append(s)
                ends.append(e - 2)
                words.append(word[:-2])
                s = e - 2
                word = text[s:e]
        starts.append(s)
        ends.append(e)
        words.append(word)
    return starts, ends, words


def is_cap(word: str) -> bool:
    """Whether ``word`` can be part of a name: capitalised (not a month name, not
    an elided ``L'``), a radio call sign (``6PR``) or ``al-``/``ben-`` + name."""
    c = word[0]
    if c.isdigit():
        return CALL_SIGN_RE.match(word) is not None
    if c.isupper():
        if word[-1] in "'’" or (len(word) == 1 and not word.isalpha()):
            return False
        return word not in MONTH_WORDS
    return "-" in word and ARABIC_PREFIX_RE.match(word) is not None


class Tokens:
    """The tokens of one text in one language, with the recogniser's lexicon."""

    def __init__(self, text: str, lang: str, lex: Lexicon) -> None:
        self.text = text
        self.lang = lang
        self.lex = lex
        self.starts, self.ends, self.words = tokenise(text)
        self.n = len(self.words)
        self.used = [False] * self.n
        # a lower-case word without a hyphen is never part of a name (is_cap)
        self.caps = [is_cap(w) if "-" in w or not w[0].islower() else False for w in self.words]
        self.english = lang.startswith("en")
        self.french = lang.startswith("fr")
        self.common_rank = lex.common_rank(lang)
        # "M." is a French title but an English initial ("Philip M. Drew")
        self.dot_titles = lex.titles if self.french else lex.word_titles
        self._lower_words: set[str] | None = None

    def newline_between(self, a: int, b: int) -> bool:
        """Whether a line break separates tokens ``a`` and ``b``."""
        return "\n" in self.text[self.ends[a] : self.starts[b]]

    def form_of(self, a: int, b: int) -> str:
        """The surface form of tokens ``a:b``, spaces collapsed."""
        return " ".join(self.text[self.starts[a] : self.ends[b - 1]].split())

    def sentence_initial(self, i: int) -> bool:
        """Whether token ``i`` starts a sentence, a line or a quotation."""
        words = self.words
        k = i - 1
        while k >= 0 and words[k] in OPENERS and not self.newline_between(k, k + 1):
            k -= 1
        if k < 0 or self.newline_between(k, k + 1 if k + 1 < self.n else k):
            return True
        if words[k] == "." and k > 0 and (words[k - 1] + ".") in self.dot_titles:
            return False  # "M. Da Costa"
        return words[k] in SENT_END

    def is_common_initial(self, i: int) -> bool:
        """Whether the capitalised token ``i``, at a sentence start, is a common word."""
        lex = self.lex
        w = self.words[i]
        if len(w) > 1 and w.isupper() and w in lex.gaz.exact:
            return False  # a known acronym is no common word: "WHO recommends", "UN says"
        f = fold(w)
        if f in lex.common_fold:
            return True
        rank = self.common_rank.get(f)
        if rank is not None and w not in lex.firstnames:
            # "Selon", "Pendant", "Besides"; before another name only the
            # most frequent words: "Blanche Maupas", "Lucien Bodard"
            joined = i + 1 < self.n and self.caps[i + 1]
            if rank < (lex.initial_max_rank_joined if joined else lex.initial_max_rank):
                return True
        if self.english and len(w) > 5 and EN_INFLECTED_RE.search(w):
            return True  # "Attended James High School", "Basically, ..."
        if self._lower_words is None:
            self._lower_words = {x for x in self.words if x[:1].islower()}
        return w.lower() in self._lower_words
