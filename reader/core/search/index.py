"""The inverted index: BM25F with precomputed impacts and top-k pruning.

Scoring
-------
BM25F folds every field of an article into one term frequency before the
BM25 saturation::

    tf~(t, d) = Σ_fields  w_f · tf_f(t, d) / (1 − b_f + b_f · len_f(d) / pivot_f)
    impact(t, d) = tf~ / (tf~ + k1)                                  (0..1)
    score(d) = Σ_query words  max_forms  weight(form) · idf(form) · impact(form, d)

with k1 = 1.2 and these field weights (title > entity names > tags and
author > body; the source is a filter only):

=======  ======  ====  =====
field    w_f     b_f   pivot
=======  ======  ====  =====
title    3.0     0.5   10
person,  2.0     0     -
place,
org,
entity
tag      1.5     0     -
author   1.5     0     -
body     1.0     0.75  400
source   0       -     -
=======  ======  ====  =====

The length normalisation uses fixed pivots (typical title and news-body
lengths in tokens) rather than the corpus average, so an article's impacts
depend on the article alone: they are computed once, when it is added, and
quantised to one byte, and adding or removing other articles never touches
them (an incremental index equals a rebuilt one). ``idf`` uses the live
document frequencies at query time.

Layout
------
Each term has one ``array('I')`` of postings, ``document << 8 | impact``
(ascending, appended to; documents and impacts are split back with byte
slices, see :func:`_docs_of`), so document numbers have 24 bits
(:data:`MAX_DOCS`); block maxima over 128 postings are computed on demand and
cached. Each article keeps its token ids per field as ``bytes`` (machine
``uint32``), which gives phrase checks (one ``bytes.find`` per candidate),
hit offsets without re-analysing the text, matched fields and exact scoring
by lookup. The small fields (title, author, tag, source, entity fields) also
have per-field postings for ``title:`` and the like. A sorted copy of the
term dictionary serves prefix ranges (bisection) and typo search.

Indexing is bulk work per text (see :func:`analysis.raw_keys`): one regex
``findall``, a C-level dictionary mapping of the raw tokens to term ids, the
unseen ones analysed in one batch, ``Counter`` for the term frequencies and
one posting append per distinct term.

Removal marks the document number dead (postings are filtered at query time)
and is compacted away once dead documents outnumber live ones.

Query evaluation
----------------
The set of matching documents is computed exactly with set operations done
in C (union of a word's forms, intersection for AND, difference for
exclusions), so ``total`` is exact. Ranking then scores only what it must:
a small result set is scored exhaustively; a large one by block-max
pruning — blocks of all query terms are visited by decreasing upper bound,
each new matching document is scored exactly, and the visit stops as soon as
the k-th best score beats the sum of the best remaining bounds of each word
(typo-aware, see :meth:`SearchIndex._top_block`), so a common term does not
score every document. A one-word query reads the scores straight from the
visited blocks (:meth:`SearchIndex._top_one`).
"""

from __future__ import annotations

import heapq
import math
import sys
import threading
from array import array
from bisect import bisect_left, bisect_right, insort
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import partial
from itertools import accumulate, chain, compress, count, islice, repeat
from operator import attrgetter, ge, is_not, lt, mod, mul, not_
from typing import Any

from reader.core.articles.article import Article
from reader.core.search import analysis, query
from reader.core.search.plan import (
    Choice,
    Planner,
    PNode,
    PNot,
    POr,
    PPhrase,
    PWord,
    matcher,
    query_langs,
)
from reader.core.search.results import Hit, Matcher, SearchResults

FIELDS = ("title", "body", "author", "tag", "source", "person", "place", "org", "entity")
ENTITY_FIELDS = ("person", "place", "org", "entity")
_FIELD_INDEX = {name: i for i, name in enumerate(FIELDS)}
_TITLE, _BODY = 0, 1
_WEIGHT = (3.0, 1.0, 1.5, 1.5, 0.0, 2.0, 2.0, 2.0, 2.0)
_B = (0.5, 0.75, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
_PIVOT = (10.0, 400.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0)
K1 = 1.2
BLOCK = 128
#: Result sets up to this size are scored exhaustively.
EXHAUSTIVE = 1024
#: Each word matched only through a typo costs this much rank (more than
#: any score), so typo hits rank below exact ones.
TYPO_PENALTY = 1000.0
#: Wide groups (prefix completions) are scored by one walk of their postings
#: when they have at most this many, or at most :data:`MATERIALISE_PER_MATCH`
#: per matching document when the matches are scored exhaustively; otherwise
#: block-max pruning scores the few documents it visits one by one.
MATERIALISE_LIMIT = 20_000
MATERIALISE_PER_MATCH = 100
_GAP = 0  # token id between values of a multi-valued field
_KEY_CACHE_MAX = 400_000

EntityMap = Mapping[str, Sequence[str]]

_array_append = array.append


def _quantise(tfn: float) -> int:
    return max(1, min(255, round(255.0 * tfn / (tfn + K1))))


class _Doc:
    __slots__ = ("article", "date", "entities", "fields", "lang")

    def __init__(
        self,
        article: Article,
        fields: list[bytes | None],
        lang: str,
        entities: EntityMap | None,
    ) -> None:
        self.article = article
        self.fields = fields
        self.lang = lang
        self.entities = entities
        self.date = article.date if article.date_valid and article.date else ""


class _KeyMap(dict[str, int]):
    """Raw token (:func:`analysis.raw_keys`) → term id. An unseen key reads
    as 0 and is noted in ``pending`` (see :meth:`SearchIndex._text_ids`)."""

    __slots__ = ("lang", "names", "pending")

    def __init__(self, lang: str, names: bool) -> None:
        super().__init__()
        self.lang = lang
        self.names = names
        self.pending: list[str] = []

    def __missing__(self, key: str) -> int:
        self.pending.append(key)
        return 0


class _Group:
    """One scoring word: its term ids with weight and typo flag."""

    __slots__ = ("best", "exact", "required", "tids", "tidset", "typo", "weight")

    def __init__(self, tids: list[int], weight: dict[int, float], typo: set[int]) -> None:
        self.tids = tids
        # every match has a posting of the group (not under an OR)
        self.required = True
        self.tidset = frozenset(tids)
        self.weight = weight
        self.typo = typo
        self.best: dict[int, float] | None = None  # document → score, for wide groups
        self.exact: set[int] = set()  # documents matched without a typo (wide groups)


class _Eval:
    __slots__ = ("groups", "neg", "pos")

    def __init__(self, pos: set[int] | None, neg: set[int] | None, groups: list[_Group]) -> None:
        self.pos = pos
        self.neg = neg
        self.groups = groups


class SearchIndex:
    """A full-text index of articles, updated in place. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._clear()

    # -- state -------------------------------------------------------------

    def _clear(self) -> None:
        self._terms: list[str] = ["\x00"]
        self._surface: list[str] = [""]
        self._tid: dict[str, int] = {}
        self._post: list[array[int]] = [array("I")]
        self._dead: Counter[int] = Counter()
        self._filter_df: Counter[int] = Counter()  # documents per term in filter-only fields
        self._fpost: list[dict[int, array[int]]] = [{} for _ in FIELDS]
        self._docs: list[_Doc | None] = []
        self._bodies: list[bytes] = []  # the body of each document (b"" once removed)
        self._ids: dict[str, int] = {}
        self._deleted: set[int] = set()
        self._langs: dict[str, set[int]] = {}
        self._stem_langs: Counter[str] = Counter()
        self._dates: list[tuple[str, int]] = []
        self._dates_sorted = True
        self._building = False
        self._sorted: list[str] = []
        self._sorted_count = 1
        self._blockmax: dict[int, tuple[int, bytes]] = {}
        self._keymaps: dict[tuple[str, bool], _KeyMap] = {}
        # entities of the first documents as unpickled, still packed (see
        # __setstate__): (packed, number of documents they cover)
        self._packed_entities: tuple[Any, int] | None = None

    def _text_ids(self, keymap: _KeyMap, text: str) -> array[int]:
        """The term ids of the tokens of ``text``: one C-level mapping of the
        raw keys; the unseen ones are analysed in one batch, then patched in."""
        keys = analysis.raw_keys(text)
        ids = array("I", map(keymap.__getitem__, keys))
        if keymap.pending:
            new = list(dict.fromkeys(keymap.pending))
            keymap.pending.clear()
            tid_of, terms, surfaces = self._tid, self._terms, self._surface
            post = self._post
            for key, (term, lowered) in zip(
                new, analysis.raw_key_terms(new, keymap.lang, keymap.names), strict=True
            ):
                tid = tid_of.get(term)
                if tid is None:
                    tid = tid_of[term] = len(terms)
                    terms.append(term)
                    surfaces.append(lowered)
                    post.append(array("I"))
                keymap[key] = tid
            i = ids.index(0)
            while True:
                ids[i] = keymap[keys[i]]
                try:
                    i = ids.index(0, i + 1)
                except ValueError:
                    break
        return ids

    def _keymap(self, lang: str, names: bool) -> _KeyMap:
        keymap = self._keymaps.get((lang, names))
        if keymap is None:
            keymap = self._keymaps[(lang, names)] = _KeyMap(lang, names)
        return keymap

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._ids

    # -- updates -----------------------------------------------------------

    def add(self, article: Article, entities: EntityMap | None = None) -> None:
        """Index ``article`` (replacing an article with the same id).

        ``entities`` maps ``person``, ``place``, ``org`` and ``entity`` to the
        names found in the article; other keys are ignored.
        """
        with self._lock:
            if article.id in self._ids:
                self._remove(article.id)
            if len(self._docs) >= MAX_DOCS:
                self._compact()
            self._add(article, entities)

    def update(self, article: Article, entities: EntityMap | None = None) -> None:
        """Re-index a changed article (the same as :meth:`add`)."""
        self.add(article, entities)

    def remove(self, article_id: str) -> bool:
        """Drop an article; False if it was not indexed."""
        with self._lock:
            if article_id not in self._ids:
                return False
            self._remove(article_id)
            if len(self._deleted) > max(1024, len(self._ids)):
                self._compact()
            return True

    def build(
        self,
        articles: Iterable[Article],
        *,
        entities: Callable[[Article], EntityMap | None] | None = None,
        progress: Callable[[int, int], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> bool:
        """Replace the contents with ``articles``; safe to run in a thread.

        ``progress(done, total)`` is called every 256 articles and at the
        end; when ``cancel`` is set the build stops between two articles and
        returns False (the index then holds the articles done so far).
        Searches may run meanwhile and see a partial index.
        """
        items = list(articles)
        with self._lock:
            self._clear()
            self._building = True
        done = 0
        for start in range(0, len(items), 256):
            with self._lock:
                for article in items[start : start + 256]:
                    if cancel is not None and cancel.is_set():
                        self._finish_build()
                        return False
                    if article.id in self._ids:
                        self._remove(article.id)
                    self._add(article, entities(article) if entities else None)
                    done += 1
            if progress is not None:
                progress(done, len(items))
        with self._lock:
            self._finish_build()
        if progress is not None and not items:
            progress(0, 0)
        return True

    def _finish_build(self) -> None:
        self._building = False
        self._keymaps.clear()  # transient: raw token → id caches
        self._ensure_sorted()
        if not self._dates_sorted:
            self._dates.sort()
            self._dates_sorted = True

    def _fields_of(self, article: Article, entities: EntityMap | None, lang: str) -> list[Any]:
        body = self._keymap(lang, True)
        meta = self._keymap(lang, False)
        fields: list[Any] = [None] * len(FIELDS)
        fields[_TITLE] = self._text_ids(meta, article.title)
        fields[_BODY] = self._text_ids(body, article.body)
        values: dict[int, Sequence[str]] = {
            _FIELD_INDEX["author"]: article.author,
            _FIELD_INDEX["tag"]: article.tags,
            _FIELD_INDEX["source"]: (article.source,) if article.source else (),
        }
        for name, names in (entities or {}).items():
            if name in ENTITY_FIELDS and names:
                values[_FIELD_INDEX[name]] = [n for n in names if isinstance(n, str)]
        for f, texts in values.items():
            ids: array[int] = array("I")
            for text in texts:
                if ids:
                    ids.append(_GAP)
                ids.extend(self._text_ids(meta, text))
            if ids:
                fields[f] = ids
        return fields

    def _add(self, article: Article, entities: EntityMap | None) -> None:
        d = len(self._docs)
        if d >= MAX_DOCS:  # postings hold 24-bit document numbers
            raise OverflowError(f"more than {MAX_DOCS} documents in one index")
        lang = analysis.lang_key(article.lang)
        fields = self._fields_of(article, entities, lang)
        stored = [None if ids is None else ids.tobytes() for ids in fields]
        doc = _Doc(article, stored, lang, entities)
        self._docs.append(doc)
        self._bodies.append(stored[_BODY] or b"")
        self._ids[article.id] = d
        code = (article.lang or "").lower().split("-")[0]
        self._langs.setdefault(code, set()).add(d)
        self._stem_langs[lang] += 1
        if doc.date:
            if self._building or not self._dates or self._dates[-1] <= (doc.date, d):
                self._dates_sorted = self._dates_sorted and (
                    not self._dates or self._dates[-1] <= (doc.date, d)
                )
                self._dates.append((doc.date, d))
            else:
                insort(self._dates, (doc.date, d))

        body = fields[_BODY]
        counts = Counter(body)
        bnorm = 1.0 - _B[_BODY] + _B[_BODY] * len(body) / _PIVOT[_BODY]
        extra: dict[int, float] = {}
        for f, ids in enumerate(fields):
            if ids is None or f == _BODY:
                continue
            postings = self._fpost[f]
            for tid in set(ids):
                if tid != _GAP:
                    found = postings.get(tid)
                    if found is None:
                        postings[tid] = array("I", (d,))
                    else:
                        found.append(d)
            if not _WEIGHT[f]:
                self._filter_df.update(set(ids))
                continue
            norm = 1.0 - _B[f] + _B[f] * len(ids) / _PIVOT[f]
            for tid, tf in Counter(ids).items():
                if tid != _GAP:
                    extra[tid] = extra.get(tid, 0.0) + _WEIGHT[f] * tf / norm
        # body-only terms, the bulk: appended without a Python-level loop
        only = list(counts.keys() - extra.keys())
        high = d << 8
        table = {tf: high | _quantise(tf / bnorm) for tf in set(counts.values())}
        post = self._post
        deque(
            map(
                _array_append,
                map(post.__getitem__, only),
                map(table.__getitem__, map(counts.__getitem__, only)),
            ),
            maxlen=0,
        )
        for tid, weighted in extra.items():
            post[tid].append(high | _quantise(weighted + counts.get(tid, 0) / bnorm))
        if len(self._keymaps) and sum(map(len, self._keymaps.values())) > _KEY_CACHE_MAX:
            self._keymaps.clear()

    def _doc_terms(self, doc: _Doc) -> set[int]:
        """The term ids in the combined postings of ``doc``."""
        terms: set[int] = set()
        for f, ids in enumerate(doc.fields):
            if ids is not None and (_WEIGHT[f] or f == _BODY):
                terms.update(_ints(ids))
        terms.discard(_GAP)
        return terms

    def _remove(self, article_id: str) -> None:
        d = self._ids.pop(article_id)
        doc = self._docs[d]
        assert doc is not None
        self._docs[d] = None
        self._bodies[d] = b""
        self._deleted.add(d)
        self._dead.update(self._doc_terms(doc))
        for f, ids in enumerate(doc.fields):
            if ids is not None and not _WEIGHT[f] and f != _BODY:
                self._filter_df.subtract(set(_ints(ids)))
        code = (doc.article.lang or "").lower().split("-")[0]
        self._langs[code].discard(d)
        self._stem_langs[doc.lang] -= 1

    def _compact(self) -> None:
        live = [
            (doc.article, entities)
            for doc, entities in zip(self._docs, self._entities(), strict=True)
            if doc is not None
        ]
        self._clear()
        self._building = True
        for article, entities in live:
            self._add(article, entities)
        self._finish_build()

    def _entities(self) -> Iterator[EntityMap | None]:
        """The entity map of every document number (None for removed ones):
        unpacked for the documents restored by :meth:`__setstate__`."""
        docs = self._docs
        done = 0
        if self._packed_entities is not None:
            packed, done = self._packed_entities
            for d, entities in enumerate(_unpack_entities(packed, done)):
                yield entities if docs[d] is not None else None
        for doc in docs[done:]:
            yield None if doc is None else doc.entities

    # -- serialisation -----------------------------------------------------

    def __getstate__(self) -> dict[str, Any]:
        """A compact state for pickling: a few large blobs and arrays
        instead of millions of small objects (the postings of every term
        concatenated, each field of every document concatenated, the terms
        as one string), the articles referenced as they are (a pickle that
        also holds them stores each once). Derived caches are dropped and
        rebuilt cheaply (or on demand) by :meth:`__setstate__`.

        Not locked (a pickler may run in a forked child, where the lock may
        be held by a thread that does not exist there): callers pickle an
        index no other thread updates meanwhile."""
        docs = self._docs
        articles = [None if doc is None else doc.article for doc in docs]
        langs: dict[str, int] = {}
        lang_codes = array(
            "I", (langs.setdefault(doc.lang, len(langs)) for doc in docs if doc is not None)
        )
        fields = [
            _pack_blobs([None if doc is None else doc.fields[f] for doc in docs])
            for f in range(len(FIELDS))
        ]
        fpost = [
            (array("I", postings.keys()).tobytes(), *_pack_arrays(list(postings.values())))
            for postings in self._fpost
        ]
        return {
            "format": _STATE_FORMAT,
            "terms": _pack_strings(self._terms[1:]),
            "surface": _pack_strings(self._surface[1:]),
            "post": _pack_arrays(self._post),
            "dead": self._dead,
            "filter_df": self._filter_df,
            "fpost": fpost,
            "articles": articles,
            "fields": fields,
            "langs": list(langs),
            "lang_codes": lang_codes.tobytes(),
            "entities": _pack_entities(self._entities()),
            "lang_docs": {code: array("I", ds).tobytes() for code, ds in self._langs.items()},
            "stem_langs": self._stem_langs,
            "dates": _pack_strings([date for date, _ in self._dates]),
            "date_docs": array("I", [d for _, d in self._dates]).tobytes(),
            "dates_sorted": self._dates_sorted,
            "building": self._building,
            "sorted": array("I", map(self._tid.__getitem__, self._sorted)).tobytes(),
            "sorted_count": self._sorted_count,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._lock = threading.RLock()
        self._clear()
        if state.get("format") != _STATE_FORMAT:  # a plain __dict__ (older pickles)
            self.__dict__.update(state)
            self._lock = threading.RLock()
            return
        terms = ["\x00", *_unpack_strings(state["terms"])]
        self._terms = terms
        self._surface = ["", *_unpack_strings(state["surface"])]
        self._tid = dict(zip(islice(terms, 1, None), count(1)))
        self._post = _unpack_arrays(state["post"])
        self._dead = state["dead"]
        self._filter_df = state["filter_df"]
        self._fpost = [
            dict(zip(_uints(keys), _unpack_arrays((lengths, blob)), strict=True))
            for keys, lengths, blob in state["fpost"]
        ]
        articles: list[Article | None] = state["articles"]
        n = len(articles)
        per_field = [_unpack_blobs(packed) for packed in state["fields"]]
        self._bodies = per_field[_BODY][0]
        live = [d for d, article in enumerate(articles) if article is not None]
        table: list[str] = state["langs"]
        langs = map(table.__getitem__, _uints(state["lang_codes"]))
        fields_of = zip(*(present for _, present in per_field), strict=True)
        docs: list[_Doc | None] = [None] * n
        for d, lang, fields in zip(
            live, langs, compress(fields_of, map(is_not, articles, repeat(None))), strict=True
        ):
            article = articles[d]
            assert article is not None
            docs[d] = _Doc(article, list(fields), lang, None)
        self._docs = docs
        self._ids = dict(zip([a.id for a in articles if a is not None], live, strict=True))
        self._deleted = set(compress(range(n), map(_is_none, articles)))
        self._langs = {code: set(_uints(ds)) for code, ds in state["lang_docs"].items()}
        self._stem_langs = state["stem_langs"]
        self._dates = list(
            zip(_unpack_strings(state["dates"]), _uints(state["date_docs"]), strict=True)
        )
        self._dates_sorted = state["dates_sorted"]
        self._building = state["building"]
        self._sorted = list(map(terms.__getitem__, _uints(state["sorted"])))
        self._sorted_count = state["sorted_count"]
        self._packed_entities = (state["entities"], n)

    # -- vocabulary (for the planner) --------------------------------------

    def _df(self, tid: int) -> int:
        return len(self._post[tid]) - self._dead.get(tid, 0)

    def has(self, term: str) -> bool:
        tid = self._tid.get(term)
        return tid is not None and (self._df(tid) > 0 or self._filter_df.get(tid, 0) > 0)

    def frequency(self, term: str) -> int:
        tid = self._tid.get(term)
        return 0 if tid is None else self._df(tid) + self._filter_df.get(tid, 0)

    def sorted_terms(self) -> Sequence[str]:
        self._ensure_sorted()
        return self._sorted

    def _ensure_sorted(self) -> None:
        new = self._terms[self._sorted_count :]
        if not new:
            return
        if len(new) < 1000:
            for term in new:
                insort(self._sorted, term)
        else:
            self._sorted.extend(new)
            self._sorted.sort()
        self._sorted_count = len(self._terms)

    # -- search ------------------------------------------------------------

    def search(self, query: str, *, limit: int = 50, as_you_type: bool = False) -> SearchResults:
        """Articles matching ``query`` (see :mod:`reader.core.search.query`),
        best first. Never raises on any query text."""
        with self._lock:
            return self._search(query, max(0, limit), as_you_type, suggest=True)

    def _search(self, text: str, limit: int, as_you_type: bool, suggest: bool) -> SearchResults:
        tree = query.parse(text, as_you_type=as_you_type)
        present = [lang for lang, count in self._stem_langs.items() if count > 0]
        planner = Planner(self, query_langs(tree, present or [""]))
        plan = planner.plan(tree)
        result = self._eval(plan) if plan is not None else None
        if result is None or result.pos is None:
            return SearchResults(text, 0, nothing_to_search=True)
        matches = result.pos
        if self._deleted:
            matches -= self._deleted
        match = matcher(plan)
        locator = _Locator(match, self._tid, self._terms)
        all_tids = frozenset(chain.from_iterable(g.tids for g in result.groups))
        ranked = self._top(matches, result.groups, limit)
        hits = []
        for rank, d, typos in ranked:
            doc = self._docs[d]
            assert doc is not None
            fields = tuple(
                FIELDS[f]
                for f, ids in enumerate(doc.fields)
                if ids is not None and not all_tids.isdisjoint(_ints(ids))
            )
            score = rank + TYPO_PENALTY * typos
            locate = partial(locator.offsets, doc.article, doc.fields[_TITLE], doc.fields[_BODY])
            hits.append(Hit(doc.article, score, fields, match, typos, locate))
        suggestion = None
        if not matches and suggest:
            suggestion = self._suggest(text, tree, planner)
        return SearchResults(text, len(matches), tuple(hits), False, suggestion, match)

    def _suggest(self, text: str, tree: query.Node | None, planner: Planner) -> str | None:
        from reader.core.search.plan import walk

        corrected = text
        changed = False
        for node, negated in walk(tree):
            if negated or not isinstance(node, query.Word) or node.prefix:
                continue
            surfaces = analysis.query_tokens(node.text)
            if len(surfaces) != 1:
                continue
            if any(self.has(form) for form in analysis.variants(surfaces[0], planner.langs)):
                continue
            term = planner.suggest(surfaces[0])
            if term is None:
                continue
            tid = self._tid[term]
            corrected = corrected.replace(node.text, self._surface[tid], 1)
            changed = True
        if not changed or corrected == text:
            return None
        if self._search(corrected, 1, False, suggest=False).total:
            return corrected
        return None

    # -- evaluation --------------------------------------------------------

    def _choice_docs(self, choices: Sequence[Choice], field: int | None) -> set[int]:
        out: set[int] = set()
        for choice in choices:
            tid = self._tid.get(choice.term)
            if tid is None:
                continue
            if field is None:
                out.update(_docs_of(self._post[tid]))
            else:
                found = self._fpost[field].get(tid)
                if found is not None:
                    out.update(found)
        return out

    def _group(self, choices: Sequence[Choice], n_docs: int) -> _Group | None:
        tids: list[int] = []
        weight: dict[int, float] = {}
        typo: set[int] = set()
        for choice in choices:
            tid = self._tid.get(choice.term)
            if tid is None:
                continue
            df = self._df(tid)
            if df <= 0:
                continue
            idf = math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))
            tids.append(tid)
            weight[tid] = choice.weight * idf / 255.0
            if choice.typo:
                typo.add(tid)
        return _Group(tids, weight, typo) if tids else None

    def _eval(self, plan: PNode) -> _Eval | None:
        n_docs = max(1, len(self._ids))
        if isinstance(plan, PWord):
            field = _FIELD_INDEX.get(plan.field) if plan.field else None
            group = self._group(plan.choices, n_docs)
            groups = [group] if group is not None and (field is None or _WEIGHT[field]) else []
            return _Eval(self._choice_docs(plan.choices, field), None, groups)
        if isinstance(plan, PPhrase):
            return self._eval_phrase(plan, n_docs)
        if isinstance(plan, query.Lang):
            code = plan.code.split("-")[0]
            return _Eval(set(self._langs.get(code, ())), None, [])
        if isinstance(plan, query.DateRange):
            return _Eval(self._date_docs(plan), None, [])
        if isinstance(plan, PNot):
            child = self._eval(plan.child)
            if child is None or child.pos is None:
                return None
            return _Eval(None, child.pos, [])
        children = [c for c in (self._eval(p) for p in plan.children) if c is not None]
        groups = [g for c in children if c.pos is not None for g in c.groups]
        positives = [c.pos for c in children if c.pos is not None]
        if isinstance(plan, POr):
            if not positives:
                return None
            union: set[int] = set()
            for docs in positives:
                union |= docs
            for group in groups:
                group.required = False
            return _Eval(union, None, groups)
        negatives = [c.neg for c in children if c.neg is not None]
        excluded: set[int] = set().union(*negatives) if negatives else set()
        if not positives:
            return _Eval(None, excluded, []) if excluded else None
        positives.sort(key=len)
        result = set(positives[0])
        for docs in positives[1:]:
            result &= docs
        result -= excluded
        return _Eval(result, None, groups)

    def _eval_phrase(self, plan: PPhrase, n_docs: int) -> _Eval:
        """Documents with the phrase: for each combination of the slots'
        forms, intersect the documents of its content words (rarest first),
        then check the candidates left with one byte search each."""
        field = _FIELD_INDEX.get(plan.field) if plan.field else None
        slots = [
            frozenset(t for c in slot if (t := self._tid.get(c.term)) is not None)
            for slot in plan.slots
        ]
        where = (field,) if field is not None else (_BODY, _TITLE)
        found: set[int] = set()
        combos = _phrase_combos(slots)
        if combos is not None:
            cache: dict[int, set[int]] = {}
            fields_of = attrgetter("fields")
            for combo in combos:
                sets = sorted(
                    (self._tid_docs(combo[i], field, cache) for i in plan.content), key=len
                )
                candidates = sets[0] - found
                for docs in sets[1:]:
                    if not candidates:
                        break
                    candidates &= docs
                candidates -= self._deleted
                left = list(candidates)
                pattern = array("I", combo).tobytes()
                rarest = min((combo[i] for i in plan.content), key=self._df)
                for f in where:
                    if left and f != _BODY and f != field:
                        # other fields have postings: only documents with the
                        # rarest word in that field can hold the phrase there
                        infield = self._fpost[f].get(rarest)
                        left = list(set(left).intersection(infield)) if infield else []
                    if left:
                        left = self._find_phrase(left, f, pattern, found, fields_of)
        else:  # too many combinations: walk the anchor's positions
            sets = [self._choice_docs(plan.slots[i], field) for i in plan.content]
            sets.sort(key=len)
            candidates = set(sets[0])
            for docs in sets[1:]:
                candidates &= docs
            candidates -= self._deleted
            anchor = min(
                range(len(slots)), key=lambda i: sum(self._df(t) for t in slots[i]) or 1 << 60
            )
            for d in candidates:
                doc = self._docs[d]
                assert doc is not None
                for f in where:
                    if _phrase_in(doc.fields[f], slots, anchor):
                        found.add(d)
                        break
        groups = []
        scoring = field is None or _WEIGHT[field]
        for i in plan.content:
            group = self._group(plan.slots[i], n_docs)
            if group is not None and scoring:
                groups.append(group)
        return _Eval(found, None, groups)

    def _tid_docs(self, tid: int, field: int | None, cache: dict[int, set[int]]) -> set[int]:
        docs = cache.get(tid)
        if docs is None:
            if field is None:
                docs = cache[tid] = set(_docs_of(self._post[tid]))
            else:
                docs = cache[tid] = set(self._fpost[field].get(tid, ()))
        return docs

    def _find_phrase(
        self, left: list[int], f: int, pattern: bytes, found: set[int], fields_of: Any
    ) -> list[int]:
        """Add to ``found`` the documents of ``left`` whose field ``f`` holds
        ``pattern`` (token ids) at a token boundary; return the others.

        One C-level ``bytes.find`` per document, straight in the stored
        bytes of its token ids, and the outcomes sorted out with C-level
        maps (no Python code per document)."""
        if f == _BODY:
            texts: list[bytes] = list(map(self._bodies.__getitem__, left))
        else:
            texts = [fs[f] or b"" for fs in map(fields_of, map(self._docs.__getitem__, left))]
        at = list(map(bytes.find, texts, repeat(pattern)))
        offset = list(map(mod, at, repeat(4)))  # 0: found at a boundary (-1 % 4 == 3)
        found.update(compress(left, map(not_, offset)))
        # found only across token boundaries: check every occurrence
        odd = map(mul, offset, map(ge, at, repeat(0)))
        for d, text in compress(zip(left, texts, strict=True), odd):
            if _contains_aligned(text, [pattern]):
                found.add(d)
        return list(compress(left, offset))

    def _date_docs(self, span: query.DateRange) -> set[int]:
        if not self._dates_sorted:
            self._dates.sort()
            self._dates_sorted = True
        lo = bisect_left(self._dates, (span.start,)) if span.start else 0
        hi = bisect_right(self._dates, (span.end + "\U0010ffff",)) if span.end else len(self._dates)
        return {d for _, d in self._dates[lo:hi]}

    # -- ranking -----------------------------------------------------------

    def _block_max(self, tid: int) -> bytes:
        imps = _impacts_of(self._post[tid])
        cached = self._blockmax.get(tid)
        if cached is not None and cached[0] == len(imps):
            return cached[1]
        if len(imps) <= BLOCK:
            maxima = bytes((max(imps),)) if imps else b""
        else:
            maxima = bytes(max(imps[i : i + BLOCK]) for i in range(0, len(imps), BLOCK))
        self._blockmax[tid] = (len(imps), maxima)
        return maxima

    def _score(self, d: int, groups: list[_Group]) -> tuple[float, int]:
        total = 0.0
        typos = 0
        post = self._post
        key = d << 8
        for group in groups:
            if group.best is not None:
                value = group.best.get(d, 0.0)
                if value and d not in group.exact:
                    typos += 1
                total += value
                continue
            if len(group.tids) > 8:
                doc = self._docs[d]
                assert doc is not None
                present: Iterable[int] = group.tidset.intersection(
                    chain.from_iterable(_ints(ids) for ids in doc.fields if ids is not None)
                )
            else:
                present = group.tids
            best = 0.0
            exact = False
            for tid in present:
                postings = post[tid]
                i = bisect_left(postings, key)
                if i < len(postings) and postings[i] >> 8 == d:
                    value = group.weight[tid] * (postings[i] & 255)
                    if tid not in group.typo:
                        exact = True
                    if value > best:
                        best = value
            if best and not exact:
                typos += 1
            total += best
        return total - TYPO_PENALTY * typos, typos

    def _top(self, matches: set[int], groups: list[_Group], k: int) -> list[tuple[float, int, int]]:
        """The ``k`` best of ``matches``: (rank, document, typos)."""
        if k <= 0 or not matches:
            return []
        if not groups:
            return [(0.0, d, 0) for d in self._latest(matches, k)]
        if len(matches) > EXHAUSTIVE and len(groups) == 1:
            group = groups[0]
            if group.best is None and not group.typo:
                return self._order(self._top_one(matches, group, k), k)
        limit = MATERIALISE_LIMIT
        if len(matches) <= EXHAUSTIVE:
            limit = max(limit, MATERIALISE_PER_MATCH * len(matches))
        for group in groups:
            if len(group.tids) > 8 and group.best is None:
                self._materialise(group, limit)
        if len(matches) <= EXHAUSTIVE:
            scored = [(*self._score(d, groups), d) for d in matches]
            return self._order(scored, k)
        return self._order(self._top_block(matches, groups, k), k)

    def _top_block(
        self, matches: set[int], groups: list[_Group], k: int
    ) -> list[tuple[float, int, int]]:
        """Block-max pruning over several words: blocks of every word are
        visited by decreasing bound, each new document scored exactly; stops
        when the k-th best reaches the best rank a document not seen yet can
        have: the sum over the words of their best bound left — or, for a
        word whose exact (non-typo) blocks are all visited, what a typo-only
        match can give (its typo bound minus TYPO_PENALTY; nothing if the
        word may be absent, under an OR). Returns (rank, typos, document),
        unsorted."""
        items: list[tuple[float, int, int, int]] = []
        for g, group in enumerate(groups):
            for tid in group.tids:
                weight = group.weight[tid]
                for b, top in enumerate(self._block_max(tid)):
                    items.append((weight * top, g, tid, b))
        items.sort(reverse=True)
        # per word: bounds of its exact and typo blocks, in visiting order
        exact_bounds: list[list[float]] = [[] for _ in groups]
        typo_bounds: list[list[float]] = [[] for _ in groups]
        for bound, g, tid, _ in items:
            (typo_bounds if tid in groups[g].typo else exact_bounds)[g].append(bound)
        exact_at = [0] * len(groups)
        typo_at = [0] * len(groups)
        required = [group.required for group in groups]

        def ceiling(g: int) -> float:
            e, t = exact_at[g], typo_at[g]
            typo = typo_bounds[g][t] if t < len(typo_bounds[g]) else None
            if e < len(exact_bounds[g]):
                bound = exact_bounds[g][e]
                return bound if typo is None or typo < bound else typo
            if not required[g]:
                return 0.0
            return -math.inf if typo is None else typo - TYPO_PENALTY

        ceilings = [ceiling(g) for g in range(len(groups))]
        remaining = sum(ceilings)
        heap: list[tuple[float, int, int]] = []
        seen: set[int] = set()
        post = self._post
        for _bound, g, tid, b in items:
            if len(heap) >= k and heap[0][0] >= remaining:
                break
            if tid in groups[g].typo:
                typo_at[g] += 1
            else:
                exact_at[g] += 1
            new = ceiling(g)
            remaining += new - ceilings[g]
            ceilings[g] = new
            fresh = matches.intersection(_docs_of(post[tid][b * BLOCK : (b + 1) * BLOCK]))
            fresh -= seen
            if not fresh:
                continue
            seen |= fresh
            for d in fresh:
                rank, n = self._score(d, groups)
                entry = (rank, -d, n)
                if len(heap) < k:
                    heapq.heappush(heap, entry)
                elif entry > heap[0]:
                    heapq.heapreplace(heap, entry)
        if len(heap) < k:  # matches without any scored posting (filters)
            for d in matches - seen:
                if len(heap) >= k:
                    break
                heapq.heappush(heap, (0.0, -d, 0))
        return [(rank, n, -nd) for rank, nd, n in heap]

    def _top_one(self, matches: set[int], group: _Group, k: int) -> list[tuple[float, int, int]]:
        """Block-max for one scoring word without typo forms (a common word, a
        prefix): a document's score is its best posting value in the group,
        read from the blocks as they are visited, with no per-document lookup.
        Stops when the k-th best beats the bound of every block left.
        Returns (rank, typos, document), unsorted."""
        items: list[tuple[float, int, int]] = []  # (-bound, term, block): a heap
        for tid in group.tids:
            weight = -group.weight[tid]
            items.extend((weight * top, tid, b) for b, top in enumerate(self._block_max(tid)))
        heapq.heapify(items)  # popped in order only as far as needed
        best: dict[int, float] = {}
        top: dict[int, float] = {}  # the k best so far
        kth = 0.0
        post = self._post
        get = best.get
        while items:
            bound, tid, b = heapq.heappop(items)
            if len(top) >= k and kth >= -bound:
                break
            block = post[tid][b * BLOCK : (b + 1) * BLOCK]
            weight = group.weight[tid]
            for d, q in zip(_docs_of(block), _impacts_of(block), strict=True):
                value = weight * q
                if value <= get(d, 0.0) or d not in matches:
                    continue
                best[d] = value
                if d in top or len(top) < k:
                    top[d] = value
                elif value > kth:
                    del top[min(top, key=top.__getitem__)]
                    top[d] = value
                else:
                    continue
                if len(top) >= k:
                    kth = min(top.values())
        out = [(value, 0, d) for d, value in top.items()]
        if len(out) < k:  # matches without any scored posting (filters)
            for d in matches - best.keys():
                if len(out) >= k:
                    break
                out.append((0.0, 0, d))
        return out

    def _materialise(self, group: _Group, limit: int) -> None:
        """Score a wide group (prefix completions) once per document, by
        walking its postings, when that is cheaper than per-document lookups."""
        post = self._post
        if sum(len(post[t]) for t in group.tids) > limit:
            return
        best: dict[int, float] = {}
        exact: set[int] = set()
        get = best.get
        for tid in group.tids:
            weight = group.weight[tid]
            docs = _docs_of(post[tid])
            for d, q in zip(docs, _impacts_of(post[tid]), strict=True):
                value = weight * q
                if value > get(d, 0.0):
                    best[d] = value
            if tid not in group.typo:
                exact.update(docs)
        group.best = best
        group.exact = exact

    def _latest(self, matches: set[int], k: int) -> list[int]:
        """The ``k`` latest of ``matches`` (by date, then id)."""
        docs = self._docs
        keyed = [(_date_of(docs[d]), d) for d in matches]
        cut = heapq.nlargest(k, keyed)[-1][0]
        chosen = sorted((x for x in keyed if x[0] >= cut), key=lambda x: self._id_of(x[1]))
        chosen.sort(key=lambda x: x[0], reverse=True)  # stable: ids stay in order
        return [d for _, d in chosen[:k]]

    def _id_of(self, d: int) -> str:
        doc = self._docs[d]
        return doc.article.id if doc is not None else ""

    def _order(self, scored: list[tuple[float, int, int]], k: int) -> list[tuple[float, int, int]]:
        docs = self._docs

        def key(item: tuple[float, int, int]) -> tuple[float, str]:
            doc = docs[item[2]]
            return (-item[0], doc.article.id if doc else "")

        best = heapq.nsmallest(k, scored, key=key)
        return [(rank, d, typos) for rank, typos, d in best]


# A posting is one ``array('I')`` item: document number << 8 | impact. These
# split a postings array into its documents and impacts with C-level slices
# of its bytes (no Python loop per posting).
_LITTLE = sys.byteorder == "little"
assert array("I").itemsize == 4
#: Document numbers must fit in 24 bits (the index compacts before).
MAX_DOCS = 1 << 24
_IMPACT_BYTE = 0 if _LITTLE else 3


def _docs_of(postings: array[int]) -> array[int]:
    """The document numbers of ``postings``."""
    raw = postings.tobytes()
    out = bytearray(len(raw))
    if _LITTLE:
        out[0::4] = raw[1::4]
        out[1::4] = raw[2::4]
        out[2::4] = raw[3::4]
    else:
        out[1::4] = raw[0::4]
        out[2::4] = raw[1::4]
        out[3::4] = raw[2::4]
    docs = array("I")
    docs.frombytes(out)
    return docs


def _impacts_of(postings: array[int]) -> bytes:
    """The impacts of ``postings`` (one byte each)."""
    return postings.tobytes()[_IMPACT_BYTE::4]


class _Locator:
    """Hit offsets from a document's stored term ids: the positions of the
    query's terms and phrases are found in the ids (C-level), and only those
    tokens are located in the text. The same output as
    :meth:`Matcher.offsets`, which re-tokenises and analyses every token."""

    def __init__(self, match: Matcher, tid_of: Mapping[str, int], terms: list[str]) -> None:
        self.terms = terms
        self.specs: dict[str, tuple[frozenset[int], list[tuple[bytes, int]]] | None] = {}
        for name in ("title", "body"):
            words = frozenset(
                tid_of[term]
                for terms_, where in match.words
                if where in (None, name)
                for term in terms_
                if term in tid_of
            )
            patterns: list[tuple[bytes, int]] | None = []
            for slots, where in match.phrases:
                if where not in (None, name) or not slots or patterns is None:
                    continue
                ids = [frozenset(tid_of[t] for t in slot if t in tid_of) for slot in slots]
                combos = _phrase_combos(ids)
                if combos is None:
                    patterns = None
                else:
                    patterns.extend((array("I", c).tobytes(), len(c)) for c in combos)
            self.specs[name] = None if patterns is None else (words, patterns)

    def offsets(
        self, article: Article, title: bytes | None, body: bytes | None
    ) -> list[tuple[str, int, int, str]] | None:
        out: list[tuple[str, int, int, str]] = []
        for name, text, data in (("title", article.title, title), ("body", article.body, body)):
            spec = self.specs[name]
            if spec is None:
                return None  # too many phrase forms: let the matcher do it
            words, patterns = spec
            if not text or data is None or not (words or patterns):
                continue
            ids = _ints(data)
            marked = set(compress(count(), map(words.__contains__, ids))) if words else set()
            for pattern, width in patterns:
                at = data.find(pattern)
                while at >= 0:
                    if not at & 3:
                        marked.update(range(at >> 2, (at >> 2) + width))
                    at = data.find(pattern, at + 1)
            if marked:
                positions = sorted(marked)
                spans = analysis.token_spans(text, positions)
                terms = self.terms
                out.extend(
                    (name, start, end, terms[ids[p]])
                    for p, (start, end) in zip(positions, spans, strict=True)
                )
        return out


# -- serialisation helpers ---------------------------------------------------------

#: Version of the pickled state of :class:`SearchIndex`.
_STATE_FORMAT = 1


def _is_none(value: object) -> bool:
    return value is None


def _uints(data: bytes) -> array[int]:
    out = array("I")
    out.frombytes(data)
    return out


def _pack_strings(items: list[str]) -> tuple[int, str | list[str]]:
    """``items`` as one ``"\\0"``-joined string (split again in C on load),
    or as the list itself if an item holds a NUL."""
    joined = "\0".join(items)
    if joined.count("\0") != len(items) - 1:
        return len(items), items
    return len(items), joined


def _unpack_strings(packed: tuple[int, str | list[str]]) -> list[str]:
    n, data = packed
    if isinstance(data, list):
        return data
    return data.split("\0") if n else []


def _pack_arrays(arrays: list[array[int]]) -> tuple[bytes, bytes]:
    """Arrays of ``I`` as their lengths and their concatenated items."""
    return array("I", map(len, arrays)).tobytes(), b"".join(arrays)


def _unpack_arrays(packed: tuple[bytes, bytes]) -> list[array[int]]:
    lengths, blob = packed
    items = _uints(blob)
    ends = list(accumulate(_uints(lengths)))
    return list(map(items.__getitem__, map(slice, chain((0,), ends), ends)))


def _pack_blobs(items: list[bytes | None]) -> tuple[bytes, bytes]:
    """Optional byte strings as their lengths (-1 for None) and their
    concatenation."""
    lengths = array("q", [-1 if b is None else len(b) for b in items])
    return lengths.tobytes(), b"".join([b for b in items if b is not None])


def _unpack_blobs(packed: tuple[bytes, bytes]) -> tuple[list[bytes], list[bytes | None]]:
    """The byte strings packed by :func:`_pack_blobs`, with b"" for None, and
    the same list with None put back (a copy sharing the strings)."""
    raw, blob = packed
    lengths = array("q")
    lengths.frombytes(raw)
    ends = list(accumulate(map(max, lengths, repeat(0))))
    items: list[bytes] = list(map(blob.__getitem__, map(slice, chain((0,), ends), ends)))
    present: list[bytes | None] = list(items)
    for i in compress(count(), map(lt, lengths, repeat(0))):
        present[i] = None
    return items, present


def _pack_entities(maps: Iterable[EntityMap | None]) -> tuple[tuple[int, str | list[str]], bytes]:
    """Entity maps as one list of names and, per map, its number of fields
    then (field, number of names) for each field, in order. Only what
    :meth:`SearchIndex._fields_of` reads is kept: the entity fields with
    string names."""
    names: list[str] = []
    shape = array("I")
    for entities in maps:
        kept = [
            (ENTITY_FIELDS.index(name), [n for n in values if isinstance(n, str)])
            for name, values in (entities or {}).items()
            if name in ENTITY_FIELDS and values
        ]
        kept = [(f, values) for f, values in kept if values]
        shape.append(len(kept))
        for f, values in kept:
            shape.extend((f, len(values)))
            names.extend(values)
    return _pack_strings(names), shape.tobytes()


def _unpack_entities(
    packed: tuple[tuple[int, str | list[str]], bytes], n: int
) -> Iterator[dict[str, list[str]] | None]:
    """The first ``n`` entity maps packed by :func:`_pack_entities` (None for
    an empty one)."""
    names = _unpack_strings(packed[0])
    shape = _uints(packed[1])
    at = pos = 0
    for _ in range(n):
        k = shape[at]
        at += 1
        if not k:
            yield None
            continue
        out: dict[str, list[str]] = {}
        for _ in range(k):
            f, c = shape[at], shape[at + 1]
            at += 2
            out[ENTITY_FIELDS[f]] = names[pos : pos + c]
            pos += c
        yield out


def _date_of(doc: _Doc | None) -> str:
    return doc.date if doc is not None else ""


def _ints(data: bytes) -> memoryview:
    """The token ids stored in ``data``, as ints."""
    return memoryview(data).cast("I")


def _phrase_in(data: bytes | None, slots: list[frozenset[int]], anchor: int) -> bool:
    if data is None:
        return False
    ids = array("I")
    ids.frombytes(data)
    width = len(slots)
    limit = len(ids) - width
    first = slots[anchor]
    for tid in first:
        position = -1
        while True:
            try:
                position = ids.index(tid, position + 1)
            except ValueError:
                break
            start = position - anchor
            if start < 0 or start > limit:
                continue
            if all(ids[start + j] in slots[j] for j in range(width)):
                return True
    return False


def _phrase_combos(slots: list[frozenset[int]]) -> list[tuple[int, ...]] | None:
    """Every combination of the slots' term ids, or None when there are too
    many (more than 64)."""
    combos: list[tuple[int, ...]] = [()]
    for slot in slots:
        if not slot or len(combos) * len(slot) > 64:
            return None if slot else []
        combos = [(*c, tid) for c in combos for tid in sorted(slot)]
    return combos


def _contains_aligned(data: bytes, patterns: list[bytes]) -> bool:
    """Whether a pattern occurs in ``data`` at a token boundary."""
    for pattern in patterns:
        at = data.find(pattern)
        while at >= 0:
            if at % 4 == 0:
                return True
            at = data.find(pattern, at + 1)
    return False
