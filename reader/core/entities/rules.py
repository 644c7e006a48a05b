"""The default recogniser: capitalisation rules, context cues and gazetteers.

Pure Python, no model. Steps for one text:

1. dates (weekdays, "21 février 2022", "February 21, 2022", "mars 2022") by regex;
2. tokens, with French elisions (``l'``, ``d'``, ``qu'``...) and English
   possessives split off so they stay outside the spans;
3. candidate names: maximal runs of capitalised tokens on one line, joined by
   connectors (``de``, ``von``, ``of``, ``al-``...) and initials (``F.``), plus
   lowercase organisation heads (``ministère des Affaires étrangères``);
4. each run is matched against the gazetteer (longest form first), stripped
   of leading titles, demonyms and sentence-initial common words, then typed by
   cues: organisation/place/event head and tail words, person titles before it,
   known first names, acronyms, place prepositions;
5. propagation: a later ``Poutine`` takes the key of an earlier
   ``Vladimir Poutine``; the same surface string gets one label throughout.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass

from .gazetteer import Entry, Gazetteer, default_gazetteer
from .model import Label, Mention, fold, make_key, relabel_key

_TOKEN_RE = re.compile(r"(?:[^\W\d_]\.){2,}|\w+(?:[-'’]\w+)*|\S")
_ELISION_RE = re.compile(
    r"(?:[LlDdJjMmNnSsTtCc]|[Qq]u|[Jj]usqu|[Ll]orsqu|[Pp]uisqu|[Pp]resqu|[Qq]uelqu)['’](?=\w)"
)
_POSSESSIVE_RE = re.compile(r"['’][sS]$")
_ARABIC_PREFIX_RE = re.compile(
    r"(?:al|el|ad|ar|as|ash|at|az|ibn|bin|ben|abu|abou|bou|ould)-[^\W\d_]"
)
_SENT_END = frozenset(
    {
        ".",
        "!",
        "?",
        "…",
        ":",
        ";",
        "«",
        "»",
        '"',
        "“",
        "”",
        "—",
        "–",
        "-",
        "(",
        "[",
        "•",
        "*",
        "#",
        "|",
        ">",
        "‹",
        "›",
        "„",
    }
)
_OPENERS = frozenset({"«", '"', "“", "(", "[", "‹", "„", "'", "‘", "—", "–", "-", "*", "•"})
_LOC_PREPS = frozenset({"à", "en", "au", "aux", "in", "at", "from", "near", "vers", "À"})
_CUE_LINKS = frozenset({"de", "du", "des", "d'", "d’", "of", "the"})
_EN_INFLECTED_RE = re.compile(r"[a-z](?:ly|ed|ing)$")
_ORDINAL_RE = re.compile(r"\d+(?:st|nd|rd|th)$")
_QUOTED_TITLE_RE = re.compile(r'["“]([A-Z][^"“”.,!?;:\n]{1,60}[^"“”.,!?;:\s])["”]')
_DETERMINERS = frozenset({"le", "la", "l'", "l’", "du", "au", "the"})
_NAME_END_ABBREV = frozenset({"Jr", "Sr"})
_INNER_ABBREV = frozenset({"St", "Ste", "Mt", "Ft"})
# before a lone unknown name: "the village of Aisby", "near Atwick"
_LOC_PREPS_SINGLE = frozenset({"of", "near", "outside", "towards", "across", "via"})
_FR_LOWER_HEADS: dict[str, Label] = {
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
_ADJ_END_RE = re.compile(
    r"(?:é|ée|ées|és|ère|ères|al|ale|ales|aux|ique|iques|elle|elles|aire|aires|ienne|iennes|"
    r"ien|iens|ive|ives|if|ifs|eur|eure|eures|nel|nelle|nelles|ale|ales|ée)$"
)
_CALL_SIGN_RE = re.compile(r"\d[A-Z]{2,3}$")
_AFFAIR_HEADS = frozenset({"affaire", "Affaire", "scandale", "Scandale"})
# words more frequent than this end "affaire des ...": "l'affaire des fiches est..."
_AFFAIR_STOP_RANK = 400
_MODEL_RE = re.compile(r"[A-Z]{1,3}-\d+[A-Z]?$")  # "F-86 Sabre", "B-25 Mitchell"
_HYPHEN_PLACE_RE = re.compile(r"-(?:sur|sous|en|lès|lez|le|la|les|de|du|des|aux|au)-", re.I)

_FR_MONTHS = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
_EN_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_FR_DAYS = "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
_EN_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_DATE_RE = re.compile(
    rf"""(?ix)
    (?:\b(?:{_FR_DAYS})\s+)?\b(?:1er|\d{{1,2}})\s+(?:{_FR_MONTHS})\b(?:\s+\d{{4}}\b)?
    | (?:\b(?:{_EN_DAYS}),?\s+)?\b(?:{_EN_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}}\b)?
    | (?:\b(?:{_EN_DAYS}),?\s+)?\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_EN_MONTHS})\b(?:,?\s+\d{{4}}\b)?
    | \b(?:{_FR_MONTHS}|{_EN_MONTHS})\s+\d{{4}}\b
    | \b(?:{_FR_DAYS}|{_EN_DAYS})\b
    """
)
#: languages whose demonyms are MISC entities by default (CoNLL convention)
DEMONYMS_AS_MISC_DEFAULT: frozenset[str] = frozenset({"en"})

_MONTH_WORDS = frozenset(_EN_MONTHS.split("|")) | frozenset(_EN_DAYS.split("|"))

# strength of the evidence behind a label, used to unify labels per surface
_GAZ, _CUE, _NAME, _WEAK, _MAYBE = 4, 3, 2, 1, 0
_NO_RANK = 1 << 30


@dataclass(slots=True)
class _Span:
    start: int  # token index
    end: int  # token index, exclusive
    label: Label
    key: str
    strength: int


#: The longest run of capitalised tokens typed as one unit.
MAX_RUN = 24


class RuleRecogniser:
    """Rules + gazetteer recogniser (see the module docstring)."""

    name = "rules"
    version = "1.2"

    def __init__(
        self,
        gazetteer: Gazetteer | None = None,
        demonyms_as_misc: bool | Collection[str] = DEMONYMS_AS_MISC_DEFAULT,
    ) -> None:
        """``demonyms_as_misc``: mark nationality and religion words (*French*,
        *Dutch*, *Catholic*) as MISC, the CoNLL convention, for texts in these
        languages (``True``: all, ``False``: none). Default: English only
        (:data:`DEMONYMS_AS_MISC_DEFAULT`), where it is the evaluation
        convention; pass ``False`` for highlighting that leaves them out."""
        gaz = gazetteer or default_gazetteer()
        self.gaz = gaz
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
        self.single_strength = _MAYBE
        # a sentence-initial capitalised word of this rank or better is a common word
        self.initial_max_rank = 40_000
        self.initial_max_rank_joined = 500
        # a run of frequent words only, with no cue, is a heading, not a name
        self.heading_max_rank = 30_000
        self.heading_strength = _MAYBE
        self.multi_common_default: Label = "ORG"
        if isinstance(demonyms_as_misc, bool):
            self.demonym_langs: frozenset[str] | None = None if demonyms_as_misc else frozenset()
        else:
            self.demonym_langs = frozenset(x.lower() for x in demonyms_as_misc)
        self.max_tokens = min(gaz.max_tokens, 12)

    def _demonyms_misc(self, lang: str) -> bool:
        langs = self.demonym_langs
        return langs is None or (bool(langs) and lang.split("-")[0].lower() in langs)

    # ------------------------------------------------------------------ tokens
    def _tokenise(self, text: str) -> tuple[list[int], list[int], list[str]]:
        starts: list[int] = []
        ends: list[int] = []
        words: list[str] = []
        for m in _TOKEN_RE.finditer(text):
            s, e = m.span()
            word = m.group()
            if len(word) > 2 and ("'" in word or "’" in word):
                el = _ELISION_RE.match(word)
                if el:
                    cut = s + el.end()
                    starts.append(s)
                    ends.append(cut)
                    words.append(text[s:cut])
                    s = cut
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

    def _is_cap(self, word: str) -> bool:
        c = word[0]
        if c.isdigit():
            return _CALL_SIGN_RE.match(word) is not None  # radio "6PR", "3AW"
        if c.isupper():
            if word[-1] in "'’" or (len(word) == 1 and not word.isalpha()):
                return False
            return word not in _MONTH_WORDS
        return "-" in word and _ARABIC_PREFIX_RE.match(word) is not None

    # --------------------------------------------------------------- gazetteer
    def _lookup(self, form: str) -> Entry | None:
        entry = self.gaz.exact.get(form)
        if entry is None and not (form.isupper() and len(form) <= 6):
            entry = self.gaz.folded.get(fold(form))
        return entry

    # -------------------------------------------------------------- recognise
    def recognise(self, text: str, lang: str) -> list[Mention]:
        if not text:
            return []
        starts, ends, words = self._tokenise(text)
        n = len(words)
        used = [False] * n
        mentions: list[Mention] = []

        # 1. dates
        if "DATE" not in self.suppress:
            for dm in _DATE_RE.finditer(text):
                a = bisect.bisect_left(starts, dm.start())
                b = bisect.bisect_left(starts, dm.end())
                for k in range(a, min(b, n)):
                    used[k] = True
                mentions.append(
                    Mention(dm.start(), dm.end(), "DATE", dm.group(), make_key("DATE", dm.group()))
                )

        # titles of works in double quotes (English): "Change the Things", "Big Week"
        if lang.startswith("en") and ('"' in text or "“" in text):
            for qm in _QUOTED_TITLE_RE.finditer(text):
                a = bisect.bisect_left(starts, qm.start(1))
                b = bisect.bisect_left(starts, qm.end(1))
                if a >= b or any(used[a:b]) or not 2 <= b - a <= 8:
                    continue
                for k in range(a, b):
                    used[k] = True
                title = qm.group(1)
                mentions.append(
                    Mention(qm.start(1), qm.end(1), "MISC", title, make_key("MISC", title))
                )

        caps = [self._is_cap(w) for w in words]
        lower_words: set[str] | None = None

        def newline_between(a: int, b: int) -> bool:
            return "\n" in text[ends[a] : starts[b]]

        # "M." is a French title but an English initial ("Philip M. Drew")
        dot_titles = self.titles if lang.startswith("fr") else self.word_titles

        def sentence_initial(i: int) -> bool:
            k = i - 1
            while k >= 0 and words[k] in _OPENERS and not newline_between(k, k + 1):
                k -= 1
            if k < 0 or newline_between(k, k + 1 if k + 1 < n else k):
                return True
            if words[k] == "." and k > 0 and (words[k - 1] + ".") in dot_titles:
                return False  # "M. Da Costa"
            return words[k] in _SENT_END

        def form_of(a: int, b: int) -> str:
            return " ".join(text[starts[a] : ends[b - 1]].split())

        english = lang.startswith("en")
        french = lang.startswith("fr")
        common_rank = self.gaz.common_rank.get(lang.split("-")[0].lower(), {})

        def is_common_initial(i: int) -> bool:
            nonlocal lower_words
            w = words[i]
            f = fold(w)
            if f in self.common_fold:
                return True
            rank = common_rank.get(f)
            if rank is not None and w not in self.firstnames:
                # "Selon", "Pendant", "Besides"; before another name only the
                # most frequent words: "Blanche Maupas", "Lucien Bodard"
                joined = i + 1 < n and caps[i + 1]
                if rank < (self.initial_max_rank_joined if joined else self.initial_max_rank):
                    return True
            if english and len(w) > 5 and _EN_INFLECTED_RE.search(w):
                return True  # "Attended James High School", "Basically, ..."
            if lower_words is None:
                lower_words = {x for x in words if x[:1].islower()}
            return w.lower() in lower_words

        spans: list[_Span] = []
        i = 0
        while i < n:
            if used[i]:
                i += 1
                continue
            w = words[i]
            if french and w in _AFFAIR_HEADS:
                j = self._affair(i, words, caps, used, n, common_rank)
                if j:
                    spans.append(_Span(i, j, "MISC", make_key("MISC", form_of(i, j)), _CUE))
                    for k in range(i, j):
                        used[k] = True
                    i = j
                    continue
            if not caps[i]:
                head_label = _FR_LOWER_HEADS.get(w)
                if head_label is not None:
                    j = self._lower_org(i, words, caps, used, n, head_label == "MISC")
                    if j:
                        name = " ".join(x for x in words[i:j] if x not in self.demonyms)
                        spans.append(_Span(i, j, head_label, make_key(head_label, name), _CUE))
                        for k in range(i, j):
                            used[k] = True
                        i = j
                        continue
                i += 1
                continue
            if len(w) <= 3 and i + 1 < n and words[i + 1] == "." and (w + ".") in self.titles:
                i += 2  # "M." / "Dr." before a name: a title, never part of it
                continue
            # run of capitalised tokens with connectors and initials (capped:
            # no name is longer, and an unbounded run makes typing quadratic
            # on hostile text such as "Paris Paris Paris ...")
            j = i + 1
            while j < n and j - i < MAX_RUN and not used[j] and not newline_between(j - 1, j):
                wj = words[j]
                if caps[j]:
                    if (
                        len(wj) == 1
                        and j + 1 < n
                        and words[j + 1] == "."
                        and (wj + ".") in dot_titles
                    ):
                        break
                    j += 1
                    continue
                if wj == "." and ends[j - 1] == starts[j]:
                    prev = words[j - 1]
                    if prev in _NAME_END_ABBREV:
                        j += 1  # "Clay Tice Jr."
                        break
                    if (
                        (
                            (len(prev) == 1 and prev.isupper() and (prev + ".") not in dot_titles)
                            or prev in _INNER_ABBREV
                        )
                        and j + 1 < n
                        and caps[j + 1]
                    ):
                        j += 1  # "John C. Scheidt", "St. Louis Eagles"
                        continue
                # up to two connector words followed by a capitalised token
                k = j
                while (
                    k < n
                    and k - j < 2
                    and (
                        words[k].lower() in self.connectors or words[k] in ("d'", "d’", "l'", "l’")
                    )
                    and (k > j or words[k].lower() not in self.second_connectors)
                    and not newline_between(k - 1, k)
                ):
                    k += 1
                if k > j and k < n and caps[k] and not used[k] and not newline_between(k - 1, k):
                    j = k + 1
                    continue
                break
            limit = j
            while (
                limit < n
                and limit < j + 4
                and not used[limit]
                and not newline_between(limit - 1, limit)
                and words[limit] not in _SENT_END
            ):
                limit += 1
            j = self._classify_run(
                i, j, limit, lang, words, spans, sentence_initial, is_common_initial, form_of
            )
            for k in range(i, j):
                used[k] = True
            i = j

        spans = self._propagate(spans, words, form_of)
        for sp in spans:
            s, e = starts[sp.start], ends[sp.end - 1]
            mentions.append(Mention(s, e, sp.label, text[s:e], sp.key))
        mentions.sort(key=lambda m: (m.start, -m.end))
        out: list[Mention] = []
        last_end = -1
        for m in mentions:
            if m.start >= last_end and m.end > m.start:
                out.append(m)
                last_end = m.end
        return out

    def _lower_org(
        self,
        i: int,
        words: list[str],
        caps: list[bool],
        used: list[bool],
        n: int,
        direct: bool,
    ) -> int:
        """End of ``ministère (russe) des Affaires étrangères``, ``affaire Elf``, or 0."""
        j = i + 1
        if j < n and words[j] in self.demonyms:
            j += 1
        k = j
        while k < n and k - j < 2 and words[k] in ("de", "des", "du", "d'", "d’", "la", "l'", "l’"):
            k += 1
        if (k == j and not direct) or k >= n or not caps[k] or used[k]:
            return 0
        if direct and k == j and words[k] in self.demonyms:
            return 0
        k += 1
        while k < n and caps[k] and not used[k]:
            k += 1
        extra = 0
        while (
            k < n
            and extra < 2
            and words[k][:1].islower()
            and _ADJ_END_RE.search(words[k])
            and words[k] not in self.connectors
        ):
            k += 1
            extra += 1
        return k

    def _affair(
        self,
        i: int,
        words: list[str],
        caps: list[bool],
        used: list[bool],
        n: int,
        common_rank: dict[str, int],
    ) -> int:
        """End of ``affaire des démons de Loudun``, ``affaire des fiches``,
        ``Affaire des HLM de Paris``, or 0."""
        k = i + 1
        if k < n and words[k] in ("de", "du", "des"):
            k += 1
            if words[k - 1] == "de" and k < n and words[k] in ("la", "l'", "l’"):
                k += 1
        elif k < n and words[k] in ("d'", "d’"):
            k += 1
        else:
            return 0
        start = k
        while (
            k < n
            and k - start < 3
            and not used[k]
            and (words[k][:1].islower() or (caps[k] and words[k].isupper()))
            and words[k].replace("-", "").isalpha()
            and common_rank.get(fold(words[k]), _NO_RANK) >= _AFFAIR_STOP_RANK
        ):
            k += 1  # "démons", "emplois fictifs", "HLM"
        if k == start:
            return 0
        end = k
        m = k
        if m < n and words[m] in ("de", "du", "des", "d'", "d’", "au", "en", "à"):
            m += 1
            if m < n and words[m] in ("la", "l'", "l’"):
                m += 1
            if m < n and caps[m] and not used[m]:
                while m < n and caps[m] and not used[m]:
                    m += 1
                return m
        if end - start > 2:
            return 0
        return end

    def _title_before(self, i: int, words: list[str]) -> bool:
        k = i - 1
        if k >= 0 and words[k] == "." and k - 1 >= 0 and (words[k - 1] + ".") in self.titles:
            return True
        # skip adjectives/demonyms between the title and the name: "le président russe X"
        hops = 0
        while k >= 0 and hops < 3:
            wk = words[k]
            if wk in self.titles:
                return True
            if wk in self.demonyms or wk == ",":
                k -= 1
                hops += 1
                continue
            if wk[:1].islower() and _ADJ_END_RE.search(wk) and hops < 2:
                k -= 1
                hops += 1
                continue
            return False
        return False

    def _classify_run(
        self,
        i: int,
        j: int,
        limit: int,
        lang: str,
        words: list[str],
        spans: list[_Span],
        sentence_initial: Callable[[int], bool],
        is_common_initial: Callable[[int], bool],
        form_of: Callable[[int, int], str],
    ) -> int:
        """Type the run ``words[i:j]``; gazetteer forms may extend it up to
        ``limit``. Returns the index after the last token consumed."""
        a = i
        per_cue = False
        while a < j:
            # gazetteer: longest form starting at a (may run past j: "Union européenne")
            best = 0
            entry: Entry | None = None
            for b in range(min(limit, a + self.max_tokens), a, -1):
                e = self._lookup(form_of(a, b))
                if e is not None:
                    best, entry = b, e
                    break
            initial = sentence_initial(a)
            if entry is not None:
                single_common = best == a + 1 and initial and is_common_initial(a)
                if not single_common and fold(form_of(a, best)) not in self.suppress:
                    label, key = entry
                    # a longer capitalised run: "Pittsburgh Pirates", "Ben Stoloff"
                    longer = best < j and not (
                        words[best] in self.titles or words[best] in self.firstnames
                    )
                    if longer and (
                        label == "LOC"
                        or (label == "PER" and best == a + 1)
                        or words[a] in self.firstnames
                    ):
                        break
                    if per_cue and label == "LOC" and best >= j and best == a + 1:
                        label, key = "PER", make_key("PER", form_of(a, best))
                    spans.append(_Span(a, best, label, key, _GAZ))
                    a = best
                    j = max(j, best)
                    per_cue = False
                    continue
            wa = words[a]
            if wa in self.titles:
                per_cue = True
                a += 1
                continue
            if wa in self.demonyms and self._tail_label(words, a, j) is None:
                if self._demonyms_misc(lang) and not (initial and is_common_initial(a)):
                    spans.append(_Span(a, a + 1, "MISC", make_key("MISC", wa), _CUE))
                a += 1
                continue
            if initial and is_common_initial(a):
                a += 1
                continue
            if wa in self.connectors or wa in ("d'", "d’", "l'", "l’", ".", "&"):
                a += 1
                per_cue = False
                continue
            break
        if a >= j:
            return j
        while j > a and (words[j - 1] in self.connectors or words[j - 1] in (".", "&")):
            if words[j - 1] == "." and j - 2 > a and words[j - 2] in _NAME_END_ABBREV:
                break
            j -= 1
        # "Sue Black of the University of Westminster": a person, then an organisation
        for k in range(a + 1, j - 1):
            if words[k] in self.connectors and words[k + 1] in self.org_head:
                if words[a] in self.firstnames and k - a >= 2:
                    self._classify_run(
                        a, k, k, lang, words, spans, sentence_initial, is_common_initial, form_of
                    )
                    a = k + 1
                    while a < j and words[a] in self.connectors:
                        a += 1
                break
        # "Foreign Minister Sergei Lavrov", "Secretary of State Antony Blinken"
        for k in range(a + 1, j - 1):
            known = self._lookup(form_of(k, j))
            if known is not None and known[0] == "PER":
                spans.append(_Span(k, j, "PER", known[1], _GAZ))
                return j
            if words[k] in self.firstnames and words[k - 1] not in self.connectors:
                if per_cue or any(w in self.titles for w in words[a:k]):
                    spans.append(_Span(k, j, "PER", make_key("PER", form_of(k, j)), _CUE))
                    return j
                break
        form = form_of(a, j)
        if fold(form) in self.suppress:
            return j
        if j - a == 1:
            wa = words[a]
            if wa in self.institutions and a > 0 and words[a - 1].lower() in _DETERMINERS:
                # "le Conseil", "the Senate": the institution of the context
                spans.append(_Span(a, j, "ORG", make_key("ORG", form), _CUE))
                return j
            if wa in self.never or wa.lower() in self.titles:
                return j
        if j - a == 1 and len(form) > 5 and form.endswith("ism") and self._demonyms_misc(lang):
            spans.append(_Span(a, j, "MISC", make_key("MISC", form), _CUE))
            return j  # "Catholicism", "Judaism": MISC with the demonyms (CoNLL)
        place_prefix = any(
            (e := self._lookup(form_of(a, b))) is not None and e[0] == "LOC"
            for b in range(min(j - 1, a + 4), a, -1)
        )
        label, strength = self._label_unknown(
            a,
            j,
            words,
            per_cue or self._title_before(a, words),
            sentence_initial(a),
            place_prefix,
            self.gaz.common_rank.get(lang.split("-")[0].lower(), {}),
            lang.startswith("en"),
        )
        if label in ("ORG", "MISC") and strength >= _CUE:
            # French names close with adjectives: "Parti communiste chinois", "Djihad islamique"
            k = j
            while (
                k < limit
                and k - j < 3
                and words[k][:1].islower()
                and (words[k] in self.demonyms or _ADJ_END_RE.search(words[k]))
                and words[k] not in self.connectors
            ):
                k += 1
            if k > j:
                j = k
                form = form_of(a, j)
        if (
            label == "ORG"
            and strength >= _CUE
            and a > 0
            and _ORDINAL_RE.match(words[a - 1])
            and (not spans or spans[-1].end < a)
        ):
            a -= 1  # "65th Air Division"
            form = form_of(a, j)
        spans.append(_Span(a, j, label, make_key(label, form), strength))
        return j

    def _noun_cue(self, a: int, words: list[str]) -> Label | None:
        """The type announced by a common noun before ``words[a]``: "le village de
        Souain", "le groupe pétrolier Elf", "the band Blues Traveler"."""
        k = a - 1
        hops = 0
        while k >= 0 and hops < 3:
            wk = words[k]
            label = self.noun_cues.get(wk.lower())
            if label is not None:
                return label
            if wk in _CUE_LINKS or (
                wk[:1].islower() and (wk in self.demonyms or _ADJ_END_RE.search(wk))
            ):
                k -= 1
                hops += 1
                continue
            return None
        return None

    def _tail_label(self, words: list[str], a: int, j: int) -> Label | None:
        first, last = words[a], words[j - 1]
        if j - a > 1 and (last in self.misc_suffix or f"{words[j - 2]} {last}" in self.misc_suffix):
            return "MISC"
        if _MODEL_RE.match(first):
            return "MISC"
        if last in self.org_suffix or (first in self.org_head and j - a > 1):
            return "ORG"
        if last in self.loc_suffix or (first in self.loc_head and j - a > 1):
            return "LOC"
        if first in self.misc_head and j - a > 1:
            return "MISC"
        return None

    def _label_unknown(
        self,
        a: int,
        j: int,
        words: list[str],
        per_cue: bool,
        initial: bool,
        place_prefix: bool = False,
        common_rank: dict[str, int] | None = None,
        english: bool = False,
    ) -> tuple[Label, int]:
        """Label and strength of an unknown run; ``place_prefix``: the run starts
        with a known place ("Boston Bruins", "St. Louis Eagles")."""
        tail = self._tail_label(words, a, j)
        if tail is not None:
            return tail, _CUE
        if per_cue:
            return "PER", _CUE
        first = words[a]
        n_tok = j - a
        noun = self._noun_cue(a, words)
        if noun is not None and (n_tok == 1 or noun != "PER"):
            return noun, _WEAK
        if n_tok >= 2 and (first in self.firstnames or (len(first) == 1 and first.isupper())):
            return "PER", _NAME
        if n_tok >= 2 and words[j - 1] in self.surnames:
            return "PER", _NAME
        if n_tok == 1:
            if first.startswith(("Saint-", "Sainte-")) or _HYPHEN_PLACE_RE.search(first):
                return "LOC", _CUE
            if first.isupper() and len(first) >= 2:
                return "ORG", _WEAK
            if a > 0 and (words[a - 1] in _LOC_PREPS or words[a - 1] in _LOC_PREPS_SINGLE):
                return "LOC", _WEAK
            if first in self.firstnames:
                return "PER", _WEAK
            if initial:
                return "MISC", _MAYBE
            return self.single_default, self.single_strength
        if a > 0 and words[a - 1] in _LOC_PREPS:
            return "LOC", _WEAK
        if common_rank and all(
            w in self.connectors or common_rank.get(fold(w), _NO_RANK) < self.heading_max_rank
            for w in words[a:j]
        ):
            # only frequent words and no cue: a title-case heading in French
            # ("Special Events"), a band or a venue more often in English
            return self.multi_common_default, (_WEAK if english else self.heading_strength)
        if place_prefix and words[j - 1] not in self.surnames:
            return "ORG", _WEAK  # "Boston Bruins", "Perth Glory", "Houston Chronicle"
        if any(fold(w) in self.common_fold for w in words[a:j] if w not in self.connectors):
            return self.multi_common_default, _WEAK
        if any(w.isupper() and len(w) >= 2 for w in words[a:j]):
            return "ORG", _WEAK  # "Thomson CSF", "HLM des Hauts-de-Seine"
        return "PER", _WEAK

    def _propagate(
        self, spans: list[_Span], words: list[str], form_of: Callable[[int, int], str]
    ) -> list[_Span]:
        # person aliases: the last word of a multi-word person name
        per_alias: dict[str, str] = {}
        best: dict[str, _Span] = {}
        for sp in spans:
            if sp.label == "PER" and sp.end - sp.start >= 2 and sp.strength >= _WEAK:
                last = words[sp.end - 1]
                if last[:1].isupper() and last not in per_alias:
                    per_alias[last] = sp.key
            f = fold(form_of(sp.start, sp.end))
            cur = best.get(f)
            if cur is None or sp.strength > cur.strength:
                best[f] = sp
        out: list[_Span] = []
        for sp in spans:
            if sp.end - sp.start == 1 and sp.strength < _GAZ:
                alias = per_alias.get(words[sp.start])
                if alias is not None:
                    out.append(_Span(sp.start, sp.end, "PER", alias, _NAME))
                    continue
            elif sp.end - sp.start == 1 and sp.label == "PER" and sp.strength == _GAZ:
                pass
            f = fold(form_of(sp.start, sp.end))
            top = best[f]
            if top.strength > sp.strength:
                out.append(_Span(sp.start, sp.end, top.label, top.key, top.strength))
                continue
            if sp.strength == _MAYBE:
                continue  # a lone capitalised word at a sentence start, seen nowhere else
            out.append(sp)
        for sp in out:
            if not sp.key.startswith(sp.label.lower() + ":"):
                sp.key = relabel_key(sp.key, sp.label)
        return out
