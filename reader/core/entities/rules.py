"""The default recogniser: capitalisation rules, context cues and gazetteers.

Pure Python, no model. Steps for one text, each in its own module:

1. dates (weekdays, "21 février 2022", "February 21, 2022", "mars 2022") and,
   in English, titles of works in double quotes, by regex (:mod:`.cues`);
2. tokens, with French elisions and English possessives split off so they stay
   outside the spans (:mod:`.tokens`);
3. candidate names: runs of capitalised tokens joined by connectors and
   initials, lowercase heads (``ministère des Affaires étrangères``) and
   affairs (:mod:`.runs`);
4. each run is matched against the gazetteer (longest form first), stripped of
   leading titles, demonyms and sentence-initial common words, then typed by
   cues (:mod:`.classify`, :mod:`.guess`) with the word classes of
   :mod:`.lexicon`;
5. propagation: a later ``Poutine`` takes the key of an earlier ``Vladimir
   Poutine``; the same surface string gets one label throughout
   (:mod:`.propagate`).
"""

from __future__ import annotations

import bisect
from collections.abc import Collection

from .classify import classify_run
from .cues import AFFAIR_HEADS, CUE, LOWER_HEADS, QUOTED_TITLE_RE, Span, find_dates
from .gazetteer import Gazetteer, default_gazetteer
from .lexicon import DEMONYMS_AS_MISC_DEFAULT, Lexicon
from .model import Mention, make_key
from .propagate import propagate
from .runs import MAX_RUN, affair_end, capital_run, lower_head_end
from .tokens import Tokens

__all__ = ["DEMONYMS_AS_MISC_DEFAULT", "MAX_RUN", "RuleRecogniser"]


class RuleRecogniser:
    """Rules + gazetteer recogniser (see the module docstring)."""

    name = "rules"
    version = "1.3"

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
        self.gaz = gazetteer or default_gazetteer()
        self.lex = Lexicon(self.gaz, demonyms_as_misc)

    def recognise(self, text: str, lang: str) -> list[Mention]:
        """Sorted, non-overlapping mentions of ``text`` written in ``lang``."""
        if not text:
            return []
        t = Tokens(text, lang, self.lex)
        mentions = self._dates_and_titles(t)
        spans: list[Span] = []
        words, caps, used, n = t.words, t.caps, t.used, t.n
        i = 0
        while i < n:
            if used[i]:
                i += 1
                continue
            w = words[i]
            j = 0
            if t.french and w in AFFAIR_HEADS:
                j = affair_end(t, i)
                if j:
                    spans.append(Span(i, j, "MISC", make_key("MISC", t.form_of(i, j)), CUE))
            if not j and not caps[i]:
                head_label = LOWER_HEADS.get(w)
                if head_label is not None:
                    j = lower_head_end(t, i, head_label == "MISC")
                    if j:
                        name = " ".join(x for x in words[i:j] if x not in self.lex.demonyms)
                        spans.append(Span(i, j, head_label, make_key(head_label, name), CUE))
                if not j:
                    i += 1
                    continue
            if not j:
                if (
                    len(w) <= 3
                    and i + 1 < n
                    and words[i + 1] == "."
                    and (w + ".") in self.lex.titles
                ):
                    i += 2  # "M." / "Dr." before a name: a title, never part of it
                    continue
                j, limit = capital_run(t, i)
                j = classify_run(t, i, j, limit, spans)
            for k in range(i, j):
                used[k] = True
            i = j

        for sp in propagate(spans, words, t.form_of, self.lex.name_heads):
            s, e = t.starts[sp.start], t.ends[sp.end - 1]
            mentions.append(Mention(s, e, sp.label, text[s:e], sp.key))
        mentions.sort(key=lambda m: (m.start, -m.end))
        out: list[Mention] = []
        last_end = -1
        for m in mentions:
            if m.start >= last_end and m.end > m.start:
                out.append(m)
                last_end = m.end
        return out

    def _dates_and_titles(self, t: Tokens) -> list[Mention]:
        """Dates, and English titles of works in double quotes ("Big Week");
        their tokens are marked used."""
        text, starts, used, n = t.text, t.starts, t.used, t.n
        mentions: list[Mention] = []
        if "DATE" not in self.lex.suppress:
            for dm in find_dates(text):
                a = bisect.bisect_left(starts, dm.start())
                b = bisect.bisect_left(starts, dm.end())
                for k in range(a, min(b, n)):
                    used[k] = True
                date = dm.group()
                mentions.append(Mention(dm.start(), dm.end(), "DATE", date, make_key("DATE", date)))
        if t.english and ('"' in text or "“" in text):
            for qm in QUOTED_TITLE_RE.finditer(text):
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
        return mentions
