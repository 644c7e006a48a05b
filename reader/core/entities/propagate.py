"""One entity, one label, one key throughout a text.

After typing, a lone word that is the last word of a person's full name in
the same text takes that person's key (``Poutine`` after ``Vladimir Poutine``);
every occurrence of a surface form takes the label of its strongest occurrence;
a lone sentence-initial word seen nowhere else (strength ``MAYBE``) is dropped.
"""

from __future__ import annotations

from collections.abc import Callable

from .cues import GAZ, MAYBE, NAME, WEAK, Span
from .model import fold, relabel_key


def propagate(
    spans: list[Span], words: list[str], form_of: Callable[[int, int], str]
) -> list[Span]:
    """``spans`` with person aliases and labels unified per surface form."""
    # person aliases: the last word of a multi-word person name
    per_alias: dict[str, str] = {}
    best: dict[str, Span] = {}
    for sp in spans:
        if sp.label == "PER" and sp.end - sp.start >= 2 and sp.strength >= WEAK:
            last = words[sp.end - 1]
            if last[:1].isupper() and last not in per_alias:
                per_alias[last] = sp.key
        f = fold(form_of(sp.start, sp.end))
        cur = best.get(f)
        if cur is None or sp.strength > cur.strength:
            best[f] = sp
    out: list[Span] = []
    for sp in spans:
        if sp.end - sp.start == 1 and sp.strength < GAZ:
            alias = per_alias.get(words[sp.start])
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
