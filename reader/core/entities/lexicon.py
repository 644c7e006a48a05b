"""The word classes the rule recogniser reads from the gazetteer, and its settings.

Titles, first names, surnames, demonyms, connectors, organisation/place/event
head and tail words, noun cues (``le village de``), ``suppress`` and ``never``
lists come from ``lexicon.tsv``; name forms from ``entities.tsv``; the ranks of
frequent words from ``common_words.tsv``. The thresholds that decide when a
capitalised word is a common word or a heading live here too.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from .cues import MAYBE
from .gazetteer import Entry, Gazetteer
from .model import Label, fold

#: languages whose demonyms are MISC entities by default (CoNLL convention)
DEMONYMS_AS_MISC_DEFAULT: frozenset[str] = frozenset({"en"})
_LOOKUPS = 1 << 17  # memoised gazetteer lookups kept at most
#: the leading word of a form: letters and digits as the tokeniser's ``\w`` has them
_LEAD_RE = re.compile(r"[^\W_]*")


class Lexicon:
    """Word classes and thresholds of one recogniser (read-only once built)."""

    def __init__(
        self, gaz: Gazetteer, demonyms_as_misc: bool | Collection[str] = DEMONYMS_AS_MISC_DEFAULT
    ) -> None:
        self.gaz = gaz
        self._lookups: dict[str, Entry | None] = {}
        self._leads = frozenset(_LEAD_RE.match(form).group() for form in gaz.exact)  # type: ignore[union-attr]
        self._folded_leads = frozenset(
            lead[:end]
            for lead in {_LEAD_RE.match(form).group() for form in gaz.folded}  # type: ignore[union-attr]
            for end in range(1, len(lead) + 1)
        )
        w = gaz.words
        self.titles = w("title")
        self.word_titles = frozenset(t for t in self.titles if len(t) > 2)
        self.firstnames = w("firstname")
        self.surnames = w("surname")
        self.demonyms = w("demonym")
        self.common_fold = frozenset(fold(c) for c in w("common"))
        self.connectors = frozenset(c for c in w("connector") if " " not in c)
        # articles join two names only after another connector: "Pont de la Concorde"
        self.second_connectors = frozenset({"la", "le", "les", "the", "der", "den", "l'", "l’"})
        self.org_head = w("org_head")
        self.org_suffix = w("org_suffix")
        self.loc_head = w("loc_head")
        self.loc_suffix = w("loc_suffix")
        self.misc_head = w("misc_head")
        self.misc_suffix = w("misc_suffix")
        self.suppress = w("suppress")
        self.never = w("never")
        self.institutions = w("institution")
        #: words that announce a name of their own (a head, a title, a name)
        self.head_words = (
            self.org_head,
            self.loc_head,
            self.misc_head,
            self.titles,
            self.firstnames,
            self.institutions,
            self.demonyms,
        )
        #: head words a longer name of the same text can be shortened to ("les Jeux")
        self.name_heads = self.org_head | self.misc_head
        self.noun_cues: dict[str, Label] = {}
        cue_cats: tuple[tuple[str, Label], ...] = (
            ("per_noun", "PER"),
            ("loc_noun", "LOC"),
            ("org_noun", "ORG"),
        )
        for cat, cue_label in cue_cats:
            for word in w(cat):
                self.noun_cues[word] = cue_label
        self.single_default: Label = "ORG"
        self.single_strength = MAYBE
        # a sentence-initial capitalised word of this rank or better is a common word
        self.initial_max_rank = 40_000
        self.initial_max_rank_joined = 500
        # a run of frequent words only, with no cue, is a heading, not a name
        self.heading_max_rank = 30_000
        self.heading_strength = MAYBE
        self.multi_common_default: Label = "ORG"
        if isinstance(demonyms_as_misc, bool):
            self.demonym_langs: frozenset[str] | None = None if demonyms_as_misc else frozenset()
        else:
            self.demonym_langs = frozenset(x.lower() for x in demonyms_as_misc)
        self.max_tokens = min(gaz.max_tokens, 12)

    def demonyms_misc(self, lang: str) -> bool:
        """Whether demonyms are MISC mentions in texts of ``lang``."""
        langs = self.demonym_langs
        return langs is None or (bool(langs) and lang.split("-")[0].lower() in langs)

    def common_rank(self, lang: str) -> dict[str, int]:
        """Frequency rank of folded frequent words of ``lang`` (0 = most frequent)."""
        return self.gaz.common_rank.get(lang.split("-")[0].lower(), {})

    def may_start(self, word: str) -> bool:
        """False only when no gazetteer form can start with the token
        ``word``. A token of letters and digits is followed in the text by
        something else, so it is the whole leading word of any span that
        starts with it: such a span is a form only if ``word`` leads one, or
        its folding starts a folded form's leading word. Saves the lookups of
        every span starting at an unknown capitalised word."""
        if not word.isalnum():
            return True
        folded = fold(word)
        if not folded.isalnum():  # "½" folds to "1⁄2": not one word any more
            return True
        return word in self._leads or folded in self._folded_leads

    def lookup(self, form: str) -> Entry | None:
        """The gazetteer entry of ``form``: exact, else folded (not for short
        acronyms). Memoised: a text asks about the same candidate forms many
        times (every sub-run of every capitalised run)."""
        memo = self._lookups
        if form in memo:
            return memo[form]
        entry = self.gaz.exact.get(form)
        if entry is None and not (form.isupper() and len(form) <= 6):
            entry = self.gaz.folded.get(fold(form))
        if len(memo) >= _LOOKUPS:
            memo.clear()
        memo[form] = entry
        return entry
