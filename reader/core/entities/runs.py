"""Where candidate names start and end, before they are typed.

* a run of capitalised tokens on one line, joined by connectors (``de``,
  ``von``, ``of``, up to two: ``Pont de la Concorde``) and initials
  (``John C. Scheidt``), capped at :data:`MAX_RUN` tokens;
* a lowercase French head and its capitalised complement:
  ``ministère (russe) des Affaires étrangères``, ``traité de Lisbonne``;
* an affair: ``affaire des démons de Loudun``, ``Affaire des HLM de Paris``.
"""

from __future__ import annotations

from .cues import (
    ADJ_END_RE,
    AFFAIR_STOP_RANK,
    CODE_RE,
    ELIDED_LINKS,
    INNER_ABBREV,
    NAME_END_ABBREV,
    NO_RANK,
    SENT_END,
)
from .model import fold
from .tokens import Tokens

#: The longest run of capitalised tokens typed as one unit.
MAX_RUN = 24


def capital_run(t: Tokens, i: int) -> tuple[int, int]:
    """End of the capitalised run starting at token ``i``, and the limit up to
    which a gazetteer form may extend it (a few tokens, within the sentence).

    The run is capped: no name is longer, and an unbounded run makes typing
    quadratic on hostile text such as ``Paris Paris Paris ...``."""
    words, caps, used, n = t.words, t.caps, t.used, t.n
    connectors = t.lex.connectors
    j = i + 1
    while j < n and j - i < MAX_RUN and not used[j] and not t.newline_between(j - 1, j):
        wj = words[j]
        if caps[j]:
            if len(wj) == 1 and j + 1 < n and words[j + 1] == "." and (wj + ".") in t.dot_titles:
                break
            if CODE_RE.match(wj) and t.lex.gaz.exact.get(wj) is None:
                break  # "Airbus A320": a code is not part of a name
            j += 1
            continue
        if wj == "." and t.ends[j - 1] == t.starts[j]:
            prev = words[j - 1]
            if prev in NAME_END_ABBREV:
                j += 1  # "Clay Tice Jr."
                break
            if (
                (
                    (len(prev) == 1 and prev.isupper() and (prev + ".") not in t.dot_titles)
                    or prev in INNER_ABBREV
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
            and (words[k].lower() in connectors or words[k] in ELIDED_LINKS)
            and (k > j or words[k].lower() not in t.lex.second_connectors)
            and not t.newline_between(k - 1, k)
        ):
            k += 1
        if k > j and k < n and caps[k] and not used[k] and not t.newline_between(k - 1, k):
            j = k + 1
            continue
        break
    limit = j
    while (
        limit < n
        and limit < j + 4
        and not used[limit]
        and not t.newline_between(limit - 1, limit)
        and words[limit] not in SENT_END
    ):
        limit += 1
    return j, limit


def lower_head_end(t: Tokens, i: int, direct: bool) -> int:
    """End of ``ministère (russe) des Affaires étrangères``, ``affaire Elf``
    (``direct``: the name may follow the head without ``de``), or 0."""
    words, caps, used, n = t.words, t.caps, t.used, t.n
    demonyms = t.lex.demonyms
    j = i + 1
    if j < n and words[j] in demonyms:
        j += 1
    k = j
    while k < n and k - j < 2 and words[k] in ("de", "des", "du", "la", *ELIDED_LINKS):
        k += 1
    if (k == j and not direct) or k >= n or not caps[k] or used[k]:
        return 0
    if direct and k == j and words[k] in demonyms:
        return 0
    k += 1
    while k < n and caps[k] and not used[k]:
        k += 1
    extra = 0
    while (
        k < n
        and extra < 2
        and words[k][:1].islower()
        and ADJ_END_RE.search(words[k])
        and words[k] not in t.lex.connectors
    ):
        k += 1
        extra += 1
    return k


def affair_end(t: Tokens, i: int) -> int:
    """End of ``affaire des démons de Loudun``, ``affaire des fiches``,
    ``Affaire des HLM de Paris``, or 0."""
    words, caps, used, n = t.words, t.caps, t.used, t.n
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
        and t.common_rank.get(fold(words[k]), NO_RANK) >= AFFAIR_STOP_RANK
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
