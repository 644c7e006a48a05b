"""From a query tree to terms: analysis, stop words, prefix and typo expansion.

The same planner serves the index (its vocabulary is the term dictionary)
and :func:`reader.core.search.highlight` (the vocabulary of one article), so
what is highlighted is exactly what was matched.

Weights (multiplied with the term's idf and impact):

* a form of the word itself (folded, or its stem in a query language): 1;
* a prefix expansion: :data:`PREFIX_WEIGHT`;
* a typo-tolerant form: :data:`FUZZY_WEIGHT` (and the hit counts as a typo,
  which ranks it below every hit without typos).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from reader.core.search import analysis, fuzzy, query
from reader.core.search.results import Matcher

PREFIX_WEIGHT = 0.7
FUZZY_WEIGHT = 0.5
#: At most this many prefix completions are used (the most frequent).
MAX_EXPANSIONS = 2000


class Vocabulary(Protocol):
    def has(self, term: str) -> bool: ...
    def sorted_terms(self) -> Sequence[str]: ...
    def frequency(self, term: str) -> int: ...


@dataclass(frozen=True, slots=True)
class Choice:
    term: str
    weight: float
    typo: bool = False


@dataclass(frozen=True, slots=True)
class PWord:
    """One query word: the terms it matches (maybe none)."""

    choices: tuple[Choice, ...]
    field: str | None
    text: str
    exact: bool  # some form of the word itself is in the vocabulary


@dataclass(frozen=True, slots=True)
class PPhrase:
    """Consecutive tokens; ``content`` indexes the non-stop-word slots."""

    slots: tuple[tuple[Choice, ...], ...]
    content: tuple[int, ...]
    field: str | None


@dataclass(frozen=True, slots=True)
class PNot:
    child: PNode


@dataclass(frozen=True, slots=True)
class PAnd:
    children: tuple[PNode, ...]


@dataclass(frozen=True, slots=True)
class POr:
    children: tuple[PNode, ...]


PNode = PWord | PPhrase | query.Lang | query.DateRange | PNot | PAnd | POr


def query_langs(node: query.Node | None, present: Sequence[str]) -> list[str]:
    """Stemming languages for a query: its positive ``lang:`` filters, else
    every language present."""
    asked = [analysis.lang_key(n.code) for n, negated in walk(node) if isinstance(n, query.Lang)]
    asked = [code for code in asked if code]
    return sorted(set(asked)) if asked else sorted(set(present))


def walk(node: query.Node | None) -> Iterator[tuple[query.Node, bool]]:
    """Every node with whether it is under a ``Not``, without recursion."""
    stack: list[tuple[query.Node, bool]] = [(node, False)] if node is not None else []
    while stack:
        current, negated = stack.pop()
        if isinstance(current, query.Not):
            stack.append((current.child, True))
            continue
        yield current, negated
        if isinstance(current, query.And | query.Or):
            stack.extend((child, negated) for child in reversed(current.children))


class Planner:
    def __init__(self, vocabulary: Vocabulary, langs: Sequence[str]) -> None:
        self.vocabulary = vocabulary
        self.langs = list(langs)

    def plan(self, node: query.Node | None) -> PNode | None:
        if node is None:
            return None
        if isinstance(node, query.Word):
            return self.word(node.text, node.field, node.prefix)
        if isinstance(node, query.Phrase):
            surfaces = analysis.query_tokens(node.text)
            return self.phrase(surfaces, node.field, prefix=False)
        if isinstance(node, query.Lang | query.DateRange):
            return node
        if isinstance(node, query.Not):
            child = self.plan(node.child)
            return PNot(child) if child is not None else None
        children = tuple(c for c in (self.plan(n) for n in node.children) if c is not None)
        if not children:
            return None
        if len(children) == 1:
            return children[0]
        return PAnd(children) if isinstance(node, query.And) else POr(children)

    def word(self, text: str, field: str | None, prefix: bool) -> PNode | None:
        surfaces = analysis.query_tokens(text)
        # "l'OTAN", "jusqu'ici": drop leading elided stop words
        while len(surfaces) > 1 and analysis.is_stop_word(surfaces[0], self.langs):
            surfaces = surfaces[1:]
        if not surfaces:
            return None
        if len(surfaces) > 1:  # "États-Unis", "foo:bar": a phrase
            return self.phrase(surfaces, field, prefix)
        surface = surfaces[0]
        if analysis.is_stop_word(surface, self.langs) and not (prefix and len(surface) >= 3):
            return None
        choices, exact = self.choices(surface, prefix, typos=True)
        return PWord(choices, field, text, exact)

    def phrase(self, surfaces: list[str], field: str | None, prefix: bool) -> PNode | None:
        if not surfaces:
            return None
        slots = []
        for i, surface in enumerate(surfaces):
            last = i == len(surfaces) - 1
            choices, _ = self.choices(surface, prefix and last, typos=False)
            slots.append(choices)
        content = tuple(
            i for i, s in enumerate(surfaces) if not analysis.is_stop_word(s, self.langs)
        ) or tuple(range(len(surfaces)))
        if len(slots) == 1:
            return PWord(slots[0], field, surfaces[0], bool(slots[0]))
        return PPhrase(tuple(slots), content, field)

    def choices(self, surface: str, prefix: bool, typos: bool) -> tuple[tuple[Choice, ...], bool]:
        vocabulary = self.vocabulary
        forms = analysis.variants(surface, self.langs)
        chosen: dict[str, Choice] = {}
        for form in forms:
            if vocabulary.has(form):
                chosen.setdefault(form, Choice(form, 1.0))
        exact = bool(chosen)
        if prefix:
            self._expand_prefix(forms, chosen)
        elif typos:
            limit = fuzzy.allowed_edits(forms[0])
            if limit:
                terms = vocabulary.sorted_terms()
                for i, form in enumerate(forms):
                    # two edits on the folded form only; one on the stems
                    edits = min(limit if i == 0 else 1, len(form) - 1)
                    for term, _ in fuzzy.close_terms(terms, vocabulary.has, form, edits):
                        if term not in chosen and vocabulary.has(term):
                            chosen[term] = Choice(term, FUZZY_WEIGHT, typo=True)
        return tuple(chosen.values()), exact

    def _expand_prefix(self, forms: list[str], chosen: dict[str, Choice]) -> None:
        terms = self.vocabulary.sorted_terms()
        found: set[str] = set()
        for form in forms:
            lo = bisect_left(terms, form)
            hi = bisect_left(terms, form + "\U0010ffff", lo)
            found.update(terms[lo:hi])
        found.difference_update(chosen)
        live = [t for t in found if self.vocabulary.has(t)]
        if len(live) > MAX_EXPANSIONS:
            live.sort(key=self.vocabulary.frequency, reverse=True)
            del live[MAX_EXPANSIONS:]
        for term in sorted(live):
            chosen[term] = Choice(term, PREFIX_WEIGHT)

    def suggest(self, surface: str) -> str | None:
        """The most frequent vocabulary term close to ``surface``."""
        folded = analysis.fold(surface)
        limit = 2 if len(folded) >= 5 else 1 if len(folded) >= 3 else 0
        if not limit:
            return None
        best: tuple[int, int, str] | None = None
        terms = self.vocabulary.sorted_terms()
        for form in analysis.variants(surface, self.langs):
            for term, dist in fuzzy.close_terms(terms, self.vocabulary.has, form, limit):
                if term == form or not self.vocabulary.has(term):
                    continue
                key = (dist, -self.vocabulary.frequency(term), term)
                if best is None or key < best:
                    best = key
        return best[2] if best else None


def matcher(plan: PNode | None) -> Matcher:
    """The words and phrases of the positive part of ``plan``."""
    words: list[tuple[frozenset[str], str | None]] = []
    phrases: list[tuple[tuple[frozenset[str], ...], str | None]] = []
    stack: list[PNode] = [plan] if plan is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, PWord):
            if node.choices:
                words.append((frozenset(c.term for c in node.choices), node.field))
        elif isinstance(node, PPhrase):
            slots = tuple(frozenset(c.term for c in slot) for slot in node.slots)
            phrases.append((slots, node.field))
        elif isinstance(node, PAnd | POr):
            stack.extend(node.children)
    return Matcher(tuple(words), tuple(phrases))
