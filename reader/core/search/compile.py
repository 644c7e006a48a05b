"""From a query tree to a tantivy query, and the :class:`Matcher` of it.

Each query word becomes the disjunction of its forms over the fields it
targets (see :mod:`reader.core.search.schema`):

* **exact**: its stem per query language in ``title_<lang>``/``body_<lang>``
  and its folded form in ``title``/``body``, ``author`` and ``tag``, and the
  keys of the entities whose names hold it (``ekey``), each BM25-scored and
  boosted: title 3, entity names 2, author and tags 1.5, body 1;
* **prefix** (``souver*``, or the word being typed): completions of the
  *folded surface as typed* in the folded fields, expanded by the term
  dictionary's automaton (a regex of the escaped prefix);
* **typos** (not for an explicit prefix): the folded form within
  :func:`~reader.core.search.fuzzy.allowed_edits` edits in the folded
  fields (Levenshtein automaton, transpositions cost one; two edits are
  looked for in the body only, as the automaton is costly to build).

A word matched exactly or by prefix adds :data:`BONUS` to the score, a
typo-only match does not, so an article with fewer typo-only words always
ranks first. A word found as it is in at least :data:`COMMON` of the
articles is spelt right: its typo forms are not searched (they would be
other common words, and cost the most); a word found at all gets one edit
at most. AND by default, ``OR``, ``-x`` and groups map to boolean
clauses; phrases to phrase queries (all stems or all folded terms); ``lang:``
and ``date:`` to filters. Stop words are dropped from bag-of-words queries,
never from phrases, field values (``title:EU``) or acronyms (``UN``, ``WHO``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import tantivy

from reader.core.search import analysis, query
from reader.core.search.fuzzy import allowed_edits
from reader.core.search.matcher import Form, Matcher, PhraseRule, WordRule
from reader.core.search.names import ENTITY_FIELDS, LABEL_OF_FIELD, lookup_keys
from reader.core.search.schema import META_FIELDS

BONUS = 1000.0
#: A word found in this share of the articles is not looked up with typos.
COMMON = 0.01
PREFIX_WEIGHT = 0.7
TYPO_WEIGHT = 0.5
WEIGHTS = {"title": 3.0, "body": 1.0, "author": 1.5, "tag": 1.5, "source": 1.0, "ekey": 2.0}
WEIGHTS["acro"] = 2.0
_SHOULD, _MUST, _NOT = tantivy.Occur.Should, tantivy.Occur.Must, tantivy.Occur.MustNot
#: Fields searched for typo forms, by number of edits: each field costs one
#: automaton, and a two-edit one about a millisecond to build.
_TYPO_FIELDS = {1: ("title", "body"), 2: ("body",)}
_REGEX_SPECIAL = re.compile(r"([\\.+*?()|\[\]{}^$#&\-~ ])")


def prefix_pattern(prefix: str) -> str:
    """The term-dictionary regex of the completions of ``prefix`` (escaped:
    query text is never read as a regex)."""
    return _REGEX_SPECIAL.sub(r"\\\1", prefix) + ".*" if prefix else ""


Cached = tuple[set[str], set[str]] | int
"""What a compiler keeps per commit: entity keys of names, word counts."""


@dataclass(slots=True)
class Compiled:
    """A query ready to run: ``query`` is None when there is nothing to
    search; ``scoring`` is False for filters only (ranked by date)."""

    query: tantivy.Query | None
    matcher: Matcher
    scoring: bool


@dataclass(slots=True)
class _Forms:
    """The tantivy clauses of one word, by kind."""

    exact: list[tantivy.Query] = field(default_factory=list)
    prefix: list[tantivy.Query] = field(default_factory=list)
    typo: list[tantivy.Query] = field(default_factory=list)


def query_langs(node: query.Node | None, present: Sequence[str]) -> list[str]:
    """Stemming languages for a query: its positive ``lang:`` filters, else
    every language present."""
    asked: list[str] = []
    stack: list[tuple[query.Node, bool]] = [(node, False)] if node is not None else []
    while stack:
        current, negated = stack.pop()
        if isinstance(current, query.Not):
            stack.append((current.child, True))
        elif isinstance(current, query.And | query.Or):
            stack.extend((child, negated) for child in current.children)
        elif isinstance(current, query.Lang) and not negated:
            code = analysis.lang_key(current.code)
            if code:
                asked.append(code)
    return sorted(set(asked)) if asked else sorted(set(present))


def is_acronym(surface: str) -> bool:
    """``EU``, ``UN``, ``WHO``: written in capitals, never a stop word."""
    return len(surface) >= 2 and surface.isupper()


class Compiler:
    """Compiles one query tree against an index (``names``: a searcher of
    its entity names, None when there is no index, as for :func:`highlight`)."""

    def __init__(
        self,
        schema: tantivy.Schema,
        names: tuple[tantivy.Schema, tantivy.Searcher] | None,
        langs: Sequence[str],
        cache: dict[tuple[object, ...], Cached] | None = None,
        searcher: tantivy.Searcher | None = None,
    ) -> None:
        self.schema = schema
        self.names = names
        self.searcher = searcher
        # entity-name lookups of this searcher (the index keeps one per commit)
        self.cache = cache if cache is not None else {}
        self.langs = [lang for lang in langs if lang]
        self.words: list[WordRule] = []
        self.phrases: list[PhraseRule] = []
        self.keys: set[tuple[str | None, str]] = set()
        self.scoring = False

    def compile(self, tree: query.Node | None) -> Compiled:
        compiled = self._node(tree, True) if tree is not None else None
        top = compiled[0] if compiled is not None and not compiled[1] else None
        matcher = Matcher(tuple(self.words), tuple(self.phrases), frozenset(self.keys))
        return Compiled(top, matcher, self.scoring)

    # -- tree ----------------------------------------------------------------

    def _node(self, node: query.Node, positive: bool) -> tuple[tantivy.Query, bool] | None:
        """(query, negated) or None when the node has nothing to search."""
        if isinstance(node, query.Word):
            found = self._word(node, positive)
        elif isinstance(node, query.Phrase):
            surfaces = analysis.query_tokens(node.text)
            found = self._phrase(surfaces, node.field, positive) if surfaces else None
        elif isinstance(node, query.Lang):
            code = node.code.split("-")[0].lower()
            found = tantivy.Query.term_query(self.schema, "lang", code)
        elif isinstance(node, query.DateRange):
            found = self._date(node)
        elif isinstance(node, query.Not):
            child = self._node(node.child, False)
            return None if child is None or child[1] else (child[0], True)
        else:
            return self._group(node, positive)
        return None if found is None else (found, False)

    def _group(
        self, node: query.And | query.Or, positive: bool
    ) -> tuple[tantivy.Query, bool] | None:
        parts = [p for p in (self._node(child, positive) for child in node.children) if p]
        positives = [q for q, negated in parts if not negated]
        if not positives:
            return None
        if isinstance(node, query.Or):
            if len(positives) == 1:
                return positives[0], False
            return tantivy.Query.boolean_query([(_SHOULD, q) for q in positives]), False
        negatives = [q for q, negated in parts if negated]
        if len(positives) == 1 and not negatives:
            return positives[0], False
        clauses = [(_MUST, q) for q in positives] + [(_NOT, q) for q in negatives]
        return tantivy.Query.boolean_query(clauses), False

    def _date(self, span: query.DateRange) -> tantivy.Query:
        try:
            low = _bound(span.start, upper=False) if span.start else None
            high = _bound(span.end, upper=True) if span.end else None
        except ValueError:
            return tantivy.Query.empty_query()
        if low is None and high is None:
            return tantivy.Query.empty_query()
        return tantivy.Query.range_query(
            self.schema,
            "date",
            tantivy.FieldType.Date,
            low,
            high,
            include_upper=high is None,
        )

    # -- words and phrases -----------------------------------------------------

    def _form(self, surface: str) -> Form:
        stems = tuple((lang, analysis.stem(surface, lang)) for lang in self.langs)
        return Form(analysis.fold(surface), stems)

    def _word(self, node: query.Word, positive: bool) -> tantivy.Query | None:
        surfaces = analysis.query_tokens(node.text)
        # "l'OTAN", "jusqu'ici": drop leading elided stop words
        while len(surfaces) > 1 and analysis.is_stop_word(surfaces[0], self.langs):
            surfaces = surfaces[1:]
        if not surfaces:
            return None
        if len(surfaces) > 1:  # "États-Unis", "foo:bar": a phrase
            return self._phrase(surfaces, node.field, positive)
        surface = surfaces[0]
        stop = analysis.is_stop_word(surface, self.langs)
        # an acronym that is a stop word in lower case: only its capitals
        upper = stop and node.field is None and is_acronym(surface)
        if stop and not (upper or node.field) and not (node.prefix and len(surface) >= 3):
            return None
        form = self._form(surface)
        prefix = form.folded if node.prefix and not (stop and len(surface) < 3) else ""
        edits = allowed_edits(form.folded) if node.typing or not node.prefix else 0
        if edits:
            edits = self._typo_edits(form, edits)
        if positive:
            self.words.append(WordRule(form, node.field, prefix, edits, upper))
            self.scoring = True
        forms = _Forms()
        if upper:
            forms.exact.append(self._term("acro", form.folded, WEIGHTS["acro"]))
        for name in () if upper else self._targets(node.field):
            weight = WEIGHTS[name]
            if name in ("title", "body"):
                for lang, stemmed in form.stems:
                    forms.exact.append(self._term(f"{name}_{lang}", stemmed, weight))
            forms.exact.append(self._term(name, form.folded, weight))
            if prefix:
                forms.prefix.append(self._prefix(name, prefix, PREFIX_WEIGHT * weight))
            if edits and name in _TYPO_FIELDS[edits]:
                fuzzy = tantivy.Query.fuzzy_term_query(self.schema, name, form.folded, edits, True)
                forms.typo.append(tantivy.Query.const_score_query(fuzzy, TYPO_WEIGHT * weight))
        if node.field is None or node.field in ENTITY_FIELDS:
            self._entities(node.field, [form], prefix, edits, forms, positive)
        return _combine(forms)

    def _phrase(
        self, surfaces: list[str], where: str | None, positive: bool
    ) -> tantivy.Query | None:
        if len(surfaces) == 1:
            return self._word(query.Word(surfaces[0], where or None), positive)
        forms = [self._form(surface) for surface in surfaces]
        if positive:
            self.phrases.append(PhraseRule(tuple(forms), where))
            self.scoring = True
        found = _Forms()
        folded = [form.folded for form in forms]
        for name in self._targets(where):
            weight = WEIGHTS[name]
            if name in ("title", "body"):
                for i, lang in enumerate(self.langs):
                    stems = [form.stems[i][1] for form in forms]
                    found.exact.append(self._phrase_query(f"{name}_{lang}", stems, weight))
            found.exact.append(self._phrase_query(name, folded, weight))
        if where is None or where in ENTITY_FIELDS:
            self._entities(where, forms, "", 0, found, positive)
        return _combine(found)

    def _typo_edits(self, form: Form, edits: int) -> int:
        """The edits to search for a word allowed ``edits``: none when the
        word itself is in at least :data:`COMMON` of the articles (and 10):
        it is spelt right, and its typo forms would be other common words
        (*baisse* → *caisse*), costly and off topic; at most one when it is
        in the index at all (a two-edit automaton is the costliest part of a
        query, and is meant for words that are not there)."""
        if self.searcher is None:
            return edits
        searcher = self.searcher
        limit = max(10, COMMON * searcher.num_docs)
        terms = [("body", form.folded), ("title", form.folded)]
        terms += [(f"body_{lang}", stemmed) for lang, stemmed in form.stems]
        # document frequencies count deleted articles too: a bound first
        bound = sum(searcher.doc_freq(name, term) for name, term in terms)
        if bound < limit:
            return min(edits, 1) if bound else edits
        key = ("common", *terms)
        found = self.cache.get(key)
        if not isinstance(found, int):
            exact = tantivy.Query.boolean_query(
                [(_SHOULD, tantivy.Query.term_query(self.schema, n, t)) for n, t in terms]
            )
            found = self.cache[key] = int(searcher.search(exact, 1, count=True).count)  # type: ignore[attr-defined]
        if found >= limit:
            return 0
        return min(edits, 1) if found else edits

    def _targets(self, where: str | None) -> tuple[str, ...]:
        if where is None:
            return ("title", "body", "author", "tag")
        if where == "title" or where in META_FIELDS:
            return (where,)
        return ()

    def _term(self, name: str, term: str, weight: float) -> tantivy.Query:
        found = tantivy.Query.term_query(self.schema, name, term)
        return tantivy.Query.boost_query(found, weight) if weight != 1.0 else found

    def _prefix(self, name: str, prefix: str, weight: float) -> tantivy.Query:
        found = tantivy.Query.regex_query(self.schema, name, prefix_pattern(prefix))
        return tantivy.Query.const_score_query(found, weight)

    def _phrase_query(self, name: str, terms: list[str], weight: float) -> tantivy.Query:
        words: list[str | tuple[int, str]] = list(terms)
        found = tantivy.Query.phrase_query(self.schema, name, words)
        return tantivy.Query.boost_query(found, weight)

    # -- entities ----------------------------------------------------------------

    def _entities(
        self,
        where: str | None,
        forms: list[Form],
        prefix: str,
        edits: int,
        out: _Forms,
        positive: bool,
    ) -> None:
        """Add the entity keys whose names match to ``out``: names looked up
        in the names index, then articles by key."""
        if self.names is None:
            return
        label = LABEL_OF_FIELD.get(where) if where else None
        key = (label, tuple(form.folded for form in forms), prefix, edits)
        found = self.cache.get(key)
        if not isinstance(found, tuple):
            if len(self.cache) > 4096:
                self.cache.clear()
            names_schema, searcher = self.names
            folded = [form.folded for form in forms]
            found = self.cache[key] = lookup_keys(
                names_schema, searcher, label, folded, prefix_pattern(prefix), edits
            )
        good, typo = found
        for key_ in sorted(good):
            out.exact.append(self._term("ekey", key_, WEIGHTS["ekey"]))
        if typo:
            found_typo = tantivy.Query.term_set_query(self.schema, "ekey", sorted(typo))
            weight = TYPO_WEIGHT * WEIGHTS["ekey"]
            out.typo.append(tantivy.Query.const_score_query(found_typo, weight))
        if positive:
            self.keys.update((where, key_) for key_ in good | typo)


def _combine(forms: _Forms) -> tantivy.Query:
    """Exact and prefix forms scored plus :data:`BONUS`; typo forms below."""
    good = forms.exact + forms.prefix
    clauses: list[tantivy.Query] = []
    if good:
        either = (
            good[0] if len(good) == 1 else tantivy.Query.boolean_query([(_SHOULD, q) for q in good])
        )
        if not forms.typo:  # every match is exact: nothing to rank below
            return either
        clauses += [either, tantivy.Query.const_score_query(either, BONUS)]
    clauses += forms.typo
    if not clauses:
        return tantivy.Query.empty_query()
    return tantivy.Query.boolean_query([(_SHOULD, q) for q in clauses])


def _bound(value: str, *, upper: bool) -> datetime:
    """The first instant of an ISO date prefix, or the first one after it."""
    parts = [int(p) for p in value.split("-")]
    year, month, day = (parts + [1, 1])[:3]
    if not upper:
        return datetime(year, month, day)
    if len(parts) == 1:
        return datetime(year + 1, 1, 1)
    if len(parts) == 2:
        return datetime(year + month // 12, month % 12 + 1, 1)
    return datetime.fromordinal(datetime(year, month, day).toordinal() + 1)
