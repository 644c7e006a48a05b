"""Typing one candidate run: gazetteer forms first, then cues, then a guess.

:func:`classify_run` walks a capitalised run from its first token: the longest
gazetteer form starting there wins (it may run past the run: ``Union
européenne``); leading titles, demonyms, connectors and sentence-initial common
words are skipped; a person after a job title (``Foreign Minister Sergei
Lavrov``) or before ``of`` + an organisation (``Sue Black of the University of
...``) is cut out; what is left is typed by :func:`.guess.label_unknown` and may
take trailing French adjectives (``Parti communiste chinois``).
"""

from __future__ import annotations

from .cues import (
    ADJ_END_RE,
    CODE_RE,
    CUE,
    DETERMINERS,
    FR_ARTICLES_AFTER_DE,
    FR_OF,
    GAZ,
    NAME_END_ABBREV,
    NO_RANK,
    ORDINAL_RE,
    WEAK,
    Span,
)
from .gazetteer import Entry
from .guess import french_head_end, label_unknown, tail_label, title_before
from .model import Label, fold, make_key
from .tokens import Tokens


def _gazetteer_form(t: Tokens, a: int, limit: int) -> tuple[Label | None, int]:
    """Label and end of the longest gazetteer form starting at token ``a``
    (ending by ``limit``), or ``(None, a)``."""
    if not t.lex.may_start(t.words[a]):
        return None, a
    for b in range(min(limit, a + t.lex.max_tokens), a, -1):
        entry = t.lex.lookup(t.form_of(a, b))
        if entry is not None:
            return entry[0], b
    return None, a


def _gazetteer_label(t: Tokens, a: int, limit: int) -> Label | None:
    """Label of the longest gazetteer form starting at token ``a`` (before ``limit``)."""
    return _gazetteer_form(t, a, limit)[0]


def _of_complement_end(t: Tokens, j: int, limit: int) -> int:
    """End of a French organisation name continued by "de" and a known place or
    organisation after its adjectives: "Comité international | de la Croix-Rouge",
    "Banque centrale | de Russie"; else ``j``."""
    words = t.words
    if not t.french or j >= limit or words[j] not in FR_OF:
        return j
    k = j + 1
    if words[j] == "de" and k < limit and words[k] in FR_ARTICLES_AFTER_DE:
        k += 1
    if k >= limit or not t.caps[k]:
        return j
    label, end = _gazetteer_form(t, k, limit)
    return end if label in ("LOC", "ORG") else j


def _is_code(t: Tokens, a: int) -> bool:
    """Whether token ``a`` is a code or part of one: "A320", "737 MAX 9",
    "RTS,S", "R21/Matrix-M" (not a known name such as "G7")."""
    w = t.words[a]
    if t.lex.gaz.exact.get(w) is not None:
        return False
    if CODE_RE.match(w):
        return True
    if not w.isupper():
        return False
    if a + 1 < t.n and t.words[a + 1].isdigit() and len(t.words[a + 1]) <= 3:
        return True  # a model or an index: "737 MAX 9", "CAC 40"; not "549 NHL games"
    glued = a + 2 < t.n and t.ends[a] == t.starts[a + 1] and t.ends[a + 1] == t.starts[a + 2]
    return glued and t.words[a + 1] in (",", "/") and t.words[a + 2][:1].isalnum()


def _named_after(t: Tokens, a: int, j: int, limit: int) -> bool:
    """Whether ``words[a:j]`` reads "<noun> de <complement>" and names an
    institution or a site: a frequent common noun first ("Bourse de Chicago"),
    or any word that is no first name before a known place ("Azovstal de
    Marioupol")."""
    lex, words = t.lex, t.words
    if french_head_end(lex, words, a, j, t.common_rank):
        return True
    k = french_head_end(lex, words, a, j)
    return k > 0 and _gazetteer_label(t, k, limit) == "LOC"


#: a first word less frequent than this may be an unknown first name ("Brando")
_PERSON_FIRST_RANK = 5_000


def _rank(t: Tokens, word: str) -> int:
    return t.common_rank.get(fold(word), NO_RANK)


def _person_of_place(t: Tokens, a: int, k: int, j: int) -> bool:
    """Whether ``words[a:j]`` reads "First Last of <known place>" with "of" at ``k``."""
    words, lex = t.words, t.lex
    return (
        words[k] == "of"
        and tail_label(lex, words, a, k) is None
        # a first name and a surname, not common words: "Boy Scouts of America"
        and (words[a] in lex.firstnames or _rank(t, words[a]) >= _PERSON_FIRST_RANK)
        and (words[k - 1] in lex.surnames or _rank(t, words[k - 1]) >= lex.heading_max_rank)
        and _gazetteer_label(t, k + 1, j) == "LOC"
    )


def _adjectives_end(t: Tokens, j: int, limit: int) -> int:
    """End of up to three lowercase adjectives after token ``j - 1``."""
    k = j
    while (
        k < limit
        and k - j < 3
        and t.words[k][:1].islower()
        and (t.words[k] in t.lex.demonyms or ADJ_END_RE.search(t.words[k]))
        and t.words[k] not in t.lex.connectors
    ):
        k += 1
    return k


def _noun_like(t: Tokens, a: int) -> bool:
    """Whether token ``a`` is a capitalised organisation or event head noun
    ("Programme", "Fonds"), not an acronym."""
    w = t.words[a]
    return not w.isupper() and (w in t.lex.org_head or w in t.lex.misc_head)


def classify_run(t: Tokens, i: int, j: int, limit: int, spans: list[Span]) -> int:
    """Type the run ``t.words[i:j]`` into ``spans``; gazetteer forms may extend
    it up to ``limit``. Returns the index after the last token consumed."""
    lex, words, form_of = t.lex, t.words, t.form_of
    a = i
    per_cue = False
    while a < j:
        # gazetteer: longest form starting at a (may run past j: "Union européenne")
        best = 0
        entry: Entry | None = None
        for b in range(min(limit, a + lex.max_tokens), a, -1) if lex.may_start(words[a]) else ():
            e = lex.lookup(form_of(a, b))
            if e is not None:
                best, entry = b, e
                break
        initial = t.sentence_initial(a)
        if entry is not None:
            single_common = best == a + 1 and initial and t.is_common_initial(a)
            if not single_common and fold(form_of(a, best)) not in lex.suppress:
                label, key = entry
                # a longer capitalised run: "Pittsburgh Pirates", "Ben Stoloff"
                longer = best < j and not (
                    words[best] in lex.titles or words[best] in lex.firstnames
                )
                if longer and (
                    label == "LOC"
                    or (label == "PER" and best == a + 1)
                    or words[a] in lex.firstnames
                ):
                    break
                if per_cue and label == "LOC" and best >= j and best == a + 1:
                    label, key = "PER", make_key("PER", form_of(a, best))
                spans.append(Span(a, best, label, key, GAZ))
                a = best
                j = max(j, best)
                per_cue = False
                continue
        wa = words[a]
        if t.french and not initial:
            k = french_head_end(lex, words, a, j)
            rest = _gazetteer_label(t, k, limit) if k else None
            if rest == "ORG" or rest == "MISC":
                a = k  # "Énergie de l'Union européenne": the organisation only
                per_cue = False
                continue
        if wa in lex.titles:
            per_cue = True
            a += 1
            continue
        if wa in lex.demonyms and tail_label(lex, words, a, j) is None:
            if lex.demonyms_misc(t.lang) and not (initial and t.is_common_initial(a)):
                spans.append(Span(a, a + 1, "MISC", make_key("MISC", wa), CUE))
            a += 1
            continue
        if initial and t.is_common_initial(a):
            a += 1
            continue
        if wa in lex.connectors or wa in ("d'", "d’", "l'", "l’", ".", "&"):
            a += 1
            per_cue = False
            continue
        break
    if a >= j:
        return j
    while j > a and (words[j - 1] in lex.connectors or words[j - 1] in (".", "&")):
        if words[j - 1] == "." and j - 2 > a and words[j - 2] in NAME_END_ABBREV:
            break
        j -= 1
    # "Sue Black of the University of Westminster": a person, then an
    # organisation; "Dragoș Tudorache of Romania": a person, then a place
    for k in range(a + 1, j - 1):
        org = words[k + 1] in lex.org_head
        if words[k] in lex.connectors and (org or _person_of_place(t, a, k, j)):
            if k - a >= 2 and (words[a] in lex.firstnames or not org):
                classify_run(t, a, k, k, spans)
                a = k + 1
                while a < j and words[a] in lex.connectors:
                    a += 1
            break
    # "Foreign Minister Sergei Lavrov", "Secretary of State Antony Blinken"
    for k in range(a + 1, j - 1):
        known = lex.lookup(form_of(k, j)) if lex.may_start(words[k]) else None
        if known is not None and known[0] == "PER":
            spans.append(Span(k, j, "PER", known[1], GAZ))
            return j
        if words[k] in lex.firstnames and words[k - 1] not in lex.connectors:
            if per_cue or any(w in lex.titles for w in words[a:k]):
                spans.append(Span(k, j, "PER", make_key("PER", form_of(k, j)), CUE))
                return j
            break
    form = form_of(a, j)
    if fold(form) in lex.suppress:
        return j
    if j - a == 1:
        wa = words[a]
        if wa in lex.institutions and a > 0 and words[a - 1].lower() in DETERMINERS:
            # "le Conseil", "the Senate": the institution of the context
            spans.append(Span(a, j, "ORG", make_key("ORG", form), CUE))
            return j
        if wa in lex.never or wa.lower() in lex.titles:
            return j
    if j - a == 1 and len(form) > 5 and form.endswith("ism") and lex.demonyms_misc(t.lang):
        spans.append(Span(a, j, "MISC", make_key("MISC", form), CUE))
        return j  # "Catholicism", "Judaism": MISC with the demonyms (CoNLL)
    place_prefix = lex.may_start(words[a]) and any(
        (e := lex.lookup(form_of(a, b))) is not None and e[0] == "LOC"
        for b in range(min(j - 1, a + 4), a, -1)
    )
    label, strength = label_unknown(
        lex,
        words,
        a,
        j,
        per_cue or title_before(lex, words, a),
        t.sentence_initial(a),
        place_prefix,
        t.common_rank,
        t.english,
        code=j - a == 1 and _is_code(t, a),
        common_head=t.french and _named_after(t, a, j, limit),
    )
    after = _adjectives_end(t, j, limit)
    named = after > j and j - a == 1 and strength < CUE and t.french and _noun_like(t, a)
    if named:
        # "Programme alimentaire mondial", "Fonds monétaire"
        label, strength = ("MISC" if words[a] in lex.misc_head else "ORG"), WEAK
    if after > j and (named or (label in ("ORG", "MISC") and strength >= CUE)):
        # French names close with adjectives: "Parti communiste chinois", "Djihad islamique"
        j = _of_complement_end(t, after, limit) if label == "ORG" else after
        form = form_of(a, j)
    if (
        label == "ORG"
        and strength >= CUE
        and a > 0
        and ORDINAL_RE.match(words[a - 1])
        and (not spans or spans[-1].end < a)
    ):
        a -= 1  # "65th Air Division"
        form = form_of(a, j)
    spans.append(Span(a, j, label, make_key(label, form), strength))
    return j
