"""One entity, one label, one key throughout a text.

After typing, a lone word that is the last word of a person's full name in
the same text takes that person's key (``Poutine`` after ``Vladimir Poutine``;
``Beaune`` near ``Clément Beaune`` is the man, not the town); a lone head
word takes the one longer name it heads (``les Jeux`` after ``les Jeux
olympiques``); every occurrence of a surface form takes the label of its
strongest occurrence; a lone sentence-initial word seen nowhere else
(strength ``MAYBE``) is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from .cues import CUE, GAZ, MAYBE, NAME, WEAK, Span
from .model import fold, relabel_key


def propagate(
    spans: list[Span],
    words: list[str],
    form_of: Callable[[int, int], str],
    heads: Collection[str] = (),
) -> list[Span]:
    """``spans`` with person aliases and labels unified per surface form;
    ``heads``: head words that stand for a longer name of the same text."""
    # person aliases: the last word of a multi-word person name; a name of
    # capitalised words only (no "de"/"of" inside) also wins over a place
    per_alias: dict[str, str] = {}
    sure_alias: dict[str, str] = {}
    best: dict[str, Span] = {}
    for sp in spans:
        if sp.label == "PER" and sp.end - sp.start >= 2 and sp.strength >= WEAK:
            last = words[sp.end - 1]
            if last[:1].isupper() and last not in per_alias:
                per_alias[last] = sp.key
            sure = all(w[:1].isupper() for w in words[sp.start : sp.end])
            if sure and last[:1].isupper() and last not in sure_alias:
                sure_alias[last] = sp.key
        f = fold(form_of(sp.start, sp.end))
        cur = best.get(f)
        if cur is None or sp.strength > cur.strength:
            best[f] = sp
    # head words: "les Jeux" after "les Jeux olympiques" (one such name only)
    head_alias: dict[str, Span | None] = {}
    for sp in spans:
        first = words[sp.start]
        strong = sp.label in ("ORG", "MISC") and sp.strength >= CUE
        if strong and sp.end - sp.start >= 2 and first in heads:
            seen = head_alias.setdefault(first, sp)
            if seen is not None and seen.key != sp.key:
                head_alias[first] = None
    out: list[Span] = []
    for sp in spans:
        named = head_alias.get(words[sp.start]) if sp.end - sp.start == 1 else None
        if named is not None and sp.strength < CUE and words[sp.start] not in per_alias:
            out.append(Span(sp.start, sp.end, named.label, named.key, NAME))
            continue
        if sp.end - sp.start == 1:
            if sp.strength < GAZ:
                alias = per_alias.get(words[sp.start])
            else:
                alias = sure_alias.get(words[sp.start]) if sp.label != "PER" else None
            if alias is not None:
                out.append(Span(sp.start, sp.end, "PER", alias, NAME))
                continue
        f = fold(form_of(sp.start, sp.end))
        top = best[f]
        if top.strength > sp.strength:
            out.append(Span(sp.start, sp.end, top.label, top.key, top.strength))
            continue
        if sp.strength == MAYBE:
            continue  # a lone capitalised word at a sentence start, seen nowhere else
        out.append(sp)
    for sp in out:
        if not sp.key.startswith(sp.label.lower() + ":"):
            sp.key = relabel_key(sp.key, sp.label)
    return out
