"""The label of a name the gazetteer does not know, from the words around it.

In order of trust: a tail or head word of the run (``... Institute``,
``Université de ...``, ``... Street``), a person title before it, a common
noun before it (``le village de``, ``the band``), a known first name or
surname, the shape of a lone word (acronym, ``Saint-``, after ``à``/``in``),
and the last resorts for runs of frequent words. Each answer carries the
strength of its evidence (:mod:`.cues`).
"""

from __future__ import annotations

from .cues import (
    ADJ_END_RE,
    CUE,
    CUE_LINKS,
    FR_ARTICLES_AFTER_DE,
    FR_OF,
    HYPHEN_PLACE_RE,
    LOC_PREPS,
    LOC_PREPS_SINGLE,
    MAYBE,
    MODEL_RE,
    NAME,
    NO_RANK,
    WEAK,
)
from .lexicon import Lexicon
from .model import Label, fold


def title_before(lex: Lexicon, words: list[str], i: int) -> bool:
    """Whether a person title precedes token ``i`` (``M.``, ``le président russe``)."""
    k = i - 1
    if k >= 0 and words[k] == "." and k - 1 >= 0 and (words[k - 1] + ".") in lex.titles:
        return True
    # skip adjectives/demonyms between the title and the name: "le président russe X"
    hops = 0
    while k >= 0 and hops < 3:
        wk = words[k]
        if wk in lex.titles:
            return True
        if wk in lex.demonyms or wk == ",":
            k -= 1
            hops += 1
            continue
        if wk[:1].islower() and ADJ_END_RE.search(wk) and hops < 2:
            k -= 1
            hops += 1
            continue
        return False
    return False


def noun_cue(lex: Lexicon, words: list[str], a: int) -> Label | None:
    """The type announced by a common noun before ``words[a]``: "le village de
    Souain", "le groupe pétrolier Elf", "the band Blues Traveler"; not an
    organisation through "de"/"of" ("l'organisation des Jeux")."""
    k = a - 1
    hops = 0
    linked = False
    while k >= 0 and hops < 3:
        wk = words[k]
        label = lex.noun_cues.get(wk.lower())
        if label is not None:
            # "l'organisation des Jeux", "the team of X": what an organisation
            # noun is *of* is not that organisation
            return None if label == "ORG" and linked else label
        if wk in CUE_LINKS:
            linked = linked or wk not in ("the",)
            k -= 1
            hops += 1
            continue
        if wk[:1].islower() and (wk in lex.demonyms or ADJ_END_RE.search(wk)):
            k -= 1
            hops += 1
            continue
        return None
    return None


def tail_label(lex: Lexicon, words: list[str], a: int, j: int) -> Label | None:
    """The label announced by the first or last word of the run ``words[a:j]``,
    or by an organisation word followed by a connector inside it."""
    first, last = words[a], words[j - 1]
    if j - a > 1 and (last in lex.misc_suffix or f"{words[j - 2]} {last}" in lex.misc_suffix):
        return "MISC"
    if MODEL_RE.match(first):
        return "MISC"
    if last in lex.org_suffix or (first in lex.org_head and j - a > 1):
        return "ORG"
    # an organisation word inside, before its complement: "Serum Institute of India"
    for k in range(a + 1, j - 1):
        if (words[k] in lex.org_suffix or words[k] in lex.org_head) and words[
            k + 1
        ] in lex.connectors:
            return "ORG"
    if last in lex.loc_suffix or (first in lex.loc_head and j - a > 1):
        return "LOC"
    if first in lex.misc_head and j - a > 1:
        return "MISC"
    return None


def french_head_end(
    lex: Lexicon, words: list[str], a: int, j: int, rank: dict[str, int] | None = None
) -> int:
    """Index after "Énergie de l'" when ``words[a]`` is a French common noun
    (not a head, title or name word; a frequent word if ``rank`` is given)
    followed by "de"/"du"/"des"/"de la" inside the run ``words[a:j]``, else 0."""
    w = words[a]
    if (
        a + 2 >= j
        or words[a + 1] not in FR_OF
        or (rank is not None and rank.get(fold(w), NO_RANK) >= lex.heading_max_rank)
        or any(w in group for group in lex.head_words)
        or w in lex.surnames
    ):
        return 0
    k = a + 2
    if words[a + 1] == "de" and words[k] in FR_ARTICLES_AFTER_DE:
        k += 1
    return k if k < j and words[k] not in lex.never else 0  # not "Secrétaire d'État"


def label_unknown(
    lex: Lexicon,
    words: list[str],
    a: int,
    j: int,
    per_cue: bool,
    initial: bool,
    place_prefix: bool,
    common_rank: dict[str, int],
    english: bool,
    code: bool = False,
    common_head: bool = False,
) -> tuple[Label, int]:
    """Label and strength of the unknown run ``words[a:j]``; ``per_cue``: a
    person title precedes it; ``initial``: it starts a sentence;
    ``place_prefix``: it starts with a known place ("Boston Bruins"); ``code``:
    it is a code or a model designation ("A320", "737 MAX 9"); ``common_head``:
    a French common noun and "de" start it ("Bourse de Chicago")."""
    tail = tail_label(lex, words, a, j)
    if tail is not None:
        return tail, CUE
    if per_cue:
        return "PER", CUE
    first = words[a]
    n_tok = j - a
    noun = noun_cue(lex, words, a)
    if noun is not None and (n_tok == 1 or noun != "PER"):
        return noun, WEAK
    if code:
        return "ORG", MAYBE  # a code is no organisation without other evidence
    if common_head:
        return "ORG", WEAK  # an institution named after its place or field
    if n_tok >= 2 and (first in lex.firstnames or (len(first) == 1 and first.isupper())):
        return "PER", NAME
    if n_tok >= 2 and words[j - 1] in lex.surnames:
        return "PER", NAME
    if n_tok == 1:
        if first.startswith(("Saint-", "Sainte-")) or HYPHEN_PLACE_RE.search(first):
            return "LOC", CUE
        if first.isupper() and len(first) >= 2:
            return "ORG", WEAK
        if a > 0 and (words[a - 1] in LOC_PREPS or words[a - 1] in LOC_PREPS_SINGLE):
            return "LOC", WEAK
        if first in lex.firstnames:
            return "PER", WEAK
        if initial:
            return "MISC", MAYBE
        return lex.single_default, lex.single_strength
    if a > 0 and words[a - 1] in LOC_PREPS:
        return "LOC", WEAK
    if common_rank and all(
        w in lex.connectors or common_rank.get(fold(w), NO_RANK) < lex.heading_max_rank
        for w in words[a:j]
    ):
        # only frequent words and no cue: a title-case heading in French
        # ("Special Events"), a band or a venue more often in English
        return lex.multi_common_default, (WEAK if english else lex.heading_strength)
    if place_prefix and words[j - 1] not in lex.surnames:
        return "ORG", WEAK  # "Boston Bruins", "Perth Glory", "Houston Chronicle"
    if any(fold(w) in lex.common_fold for w in words[a:j] if w not in lex.connectors):
        return lex.multi_common_default, WEAK
    if any(w.isupper() and len(w) >= 2 for w in words[a:j]):
        return "ORG", WEAK  # "Thomson CSF", "HLM des Hauts-de-Seine"
    return "PER", WEAK
