"""The search index: tantivy under the project's analysis and query language.

:class:`SearchIndex` holds the articles' tantivy index (and the small index
of entity names, see :mod:`reader.core.search.schema`). It is built in RAM
by default; ``SearchIndex(path=folder)`` opens or creates a memory-mapped
index in a folder instead, and sets :attr:`SearchIndex.needs_rebuild` when
what was there could not be used (another schema or analysis version,
damage): the caller then calls :meth:`SearchIndex.build`.

Updates (:meth:`~SearchIndex.add`, :meth:`~SearchIndex.update`,
:meth:`~SearchIndex.remove`) are staged in tantivy's writer and committed as
one batch when the index is next read (a search, ``len``), or by
:meth:`~SearchIndex.commit`. A :meth:`~SearchIndex.build` is one commit.

A search parses the query (:mod:`reader.core.search.query`), compiles it
(:mod:`reader.core.search.compile`) and asks tantivy for the best ``limit``
articles and the exact total; each hit carries the query's
:class:`~reader.core.search.results.Matcher`, which locates its offsets and
snippet from the same rules.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import tantivy

from reader.core.articles.article import Article
from reader.core.search import analysis, query
from reader.core.search.compile import BONUS, Cached, Compiler, query_langs
from reader.core.search.fuzzy import distance
from reader.core.search.names import ENTITY_FIELDS, Entities, entity_names, keys_of
from reader.core.search.prepared import Prepared, prepare
from reader.core.search.results import Hit, SearchResults
from reader.core.search.schema import STEM_LANGS, open_indexes, stamp

__all__ = ["ENTITY_FIELDS", "FIELDS", "SearchIndex"]

FIELDS = ("title", "body", "author", "tag", "source", "person", "place", "org", "entity")
_HEAP = 64_000_000
_BATCH = 256


class SearchIndex:
    """A full-text index of articles, updated in place. Thread-safe.

    ``path``: a folder for a memory-mapped index (None: in RAM).
    ``articles``: resolves an id to its article for hits of articles not
    added in this session (an index opened from ``path``).
    ``threads``: indexing threads (0: one per core, at most 2).
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        articles: Callable[[str], Article | None] | None = None,
        threads: int = 0,
    ) -> None:
        opened = open_indexes(Path(path) if path is not None else None)
        self.path = path
        #: True when the folder held no usable index: build it again.
        self.needs_rebuild = opened.fresh and path is not None
        self._index = opened.articles
        self._names = opened.names
        self._schema = self._index.schema
        self._names_schema = self._names.schema
        self._lookup = articles
        self._threads = threads or min(2, os.cpu_count() or 1)
        self._lock = threading.RLock()
        self._writer: tantivy.IndexWriter | None = None
        self._names_writer: tantivy.IndexWriter | None = None
        self._dirty = False
        self._articles: dict[str, Article] = {}
        self._name_uids: set[str] = set()
        self._searcher = self._index.searcher()
        self._names_searcher = self._names.searcher()
        self._langs = self._present()
        self._name_cache: dict[tuple[object, ...], Cached] = {}

    def resolve_with(self, articles: Callable[[str], Article | None]) -> None:
        """Resolve hits through ``articles`` (an id to its article) from now
        on, instead of keeping every indexed article in memory."""
        with self._lock:
            self._lookup = articles
            self._articles.clear()

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a SearchIndex is not pickled: build it again from its articles")

    # -- writing -------------------------------------------------------------

    def writer_ready(self) -> None:
        """Take the index's writers now (raises when another process holds
        the folder's writer lock)."""
        with self._lock:
            self._writers()

    def _writers(self) -> tuple[tantivy.IndexWriter, tantivy.IndexWriter]:
        if self._writer is None or self._names_writer is None:
            self._writer = self._index.writer(_HEAP, self._threads)
            self._names_writer = self._names.writer(15_000_000, 1)
        return self._writer, self._names_writer

    def _stage(
        self,
        article: Article,
        entities: Entities | None,
        *,
        replace: bool,
        prepared: Prepared | None = None,
    ) -> None:
        writer, names_writer = self._writers()
        if replace:
            writer.delete_documents_by_term("id", article.id)
        names = entity_names(entities)
        ready = prepared if prepared is not None and prepared.id == article.id else prepare(article)
        writer.add_document(ready.document(keys_of(names)))
        for label, key, name in names:
            uid = f"{label}\x1f{key}\x1f{name}"
            if uid in self._name_uids:
                continue
            self._name_uids.add(uid)
            if self.path is not None:
                names_writer.delete_documents_by_term("uid", uid)
            doc = tantivy.Document()
            doc.add_text("name", analysis.index_terms(name, "", names=False)[1])
            doc.add_text("label", label)
            doc.add_text("key", key)
            doc.add_text("uid", uid)
            names_writer.add_document(doc)
        if self._lookup is None:
            self._articles[article.id] = article
        self._dirty = True

    def add(
        self,
        article: Article,
        entities: Entities | None = None,
        *,
        prepared: Prepared | None = None,
    ) -> None:
        """Index ``article`` (replacing an article with the same id).

        ``entities``: its entity mentions (anything with ``all()``, such as
        :class:`~reader.core.entities.catalogue.ArticleEntities`) or names by
        field (``{"person": [...], "place": [...]}``), see
        :mod:`reader.core.search.names`. ``prepared``: its fields already
        analysed (:func:`~reader.core.search.prepared.prepare`, e.g. in a
        worker process).
        """
        with self._lock:
            self._stage(article, entities, replace=True, prepared=prepared)

    def update(
        self,
        article: Article,
        entities: Entities | None = None,
        *,
        prepared: Prepared | None = None,
    ) -> None:
        """Re-index a changed article (the same as :meth:`add`)."""
        self.add(article, entities, prepared=prepared)

    def remove(self, article_id: str) -> bool:
        """Drop an article; False if it was not indexed."""
        with self._lock:
            if article_id not in self:
                return False
            writer, _ = self._writers()
            writer.delete_documents_by_term("id", article_id)
            self._articles.pop(article_id, None)
            self._dirty = True
            return True

    def build(
        self,
        articles: Iterable[Article],
        *,
        entities: Callable[[Article], Entities | None] | None = None,
        progress: Callable[[int, int], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> bool:
        """Replace the contents with ``articles`` (one commit); safe to run
        in a thread.

        ``progress(done, total)`` is called every 256 articles and at the
        end; when ``cancel`` is set the build stops between two articles and
        returns False (the index then holds the articles done so far).
        """
        items = list(articles)
        with self._lock:
            writer, names_writer = self._writers()
            writer.delete_all_documents()
            names_writer.delete_all_documents()
            self._articles.clear()
            self._name_uids.clear()
            self._dirty = True
            self.needs_rebuild = False
        done = 0
        seen: set[str] = set()
        for start in range(0, len(items), _BATCH):
            with self._lock:
                for article in items[start : start + _BATCH]:
                    if cancel is not None and cancel.is_set():
                        self.commit()
                        return False
                    found = entities(article) if entities is not None else None
                    self._stage(article, found, replace=article.id in seen)
                    seen.add(article.id)
                    done += 1
            if progress is not None:
                progress(done, len(items))
        self.commit()
        if self.path is not None:
            stamp(self.path)
        if progress is not None and not items:
            progress(0, 0)
        return True

    def close(self) -> None:
        """Commit and let go of the folder's writer (another index may then
        open it for writing); the index stays searchable."""
        with self._lock:
            self.commit()
            self._writer = self._names_writer = None  # dropped: the lock is released

    def commit(self) -> None:
        """Make the staged changes searchable (one tantivy commit)."""
        with self._lock:
            if not self._dirty or self._writer is None or self._names_writer is None:
                return
            self._writer.commit()
            self._names_writer.commit()
            self._index.reload()
            self._names.reload()
            self._searcher = self._index.searcher()
            self._names_searcher = self._names.searcher()
            self._langs = self._present()
            self._name_cache = {}
            self._dirty = False

    def _present(self) -> list[str]:
        """The stemming languages of the indexed articles."""
        return [lang for lang in STEM_LANGS if self._searcher.doc_freq("lang", lang)]

    # -- reading -------------------------------------------------------------

    def __len__(self) -> int:
        with self._lock:
            self.commit()
            return int(self._searcher.num_docs)

    def __contains__(self, article_id: object) -> bool:
        if not isinstance(article_id, str):
            return False
        with self._lock:
            if article_id in self._articles:
                return True
            if self._lookup is None:
                return False
            self.commit()
            found = tantivy.Query.term_query(self._schema, "id", article_id)
            return bool(_count(self._searcher.search(found, 1)))

    def _article(self, article_id: str) -> Article | None:
        found = self._articles.get(article_id)
        if found is None and self._lookup is not None:
            found = self._lookup(article_id)
        return found

    def search(self, query: str, *, limit: int = 50, as_you_type: bool = False) -> SearchResults:
        """Articles matching ``query`` (see :mod:`reader.core.search.query`),
        best first, with the exact total. Never raises on any query text."""
        return self._search(query, max(0, limit), as_you_type, suggest=True)

    def _search(self, text: str, limit: int, as_you_type: bool, suggest: bool) -> SearchResults:
        with self._lock:
            self.commit()
            searcher, names = self._searcher, self._names_searcher
            present, cache = self._langs, self._name_cache
        tree = query.parse(text, as_you_type=as_you_type)
        langs = query_langs(tree, present)
        names_index = (self._names_schema, names)
        compiled = Compiler(self._schema, names_index, langs, cache, searcher).compile(tree)
        if compiled.query is None:
            return SearchResults(text, 0, nothing_to_search=True, matcher=compiled.matcher)
        if compiled.scoring:
            found = searcher.search(compiled.query, max(1, limit), count=True)
        else:
            found = searcher.search(compiled.query, max(1, limit), True, "date")
        hits: list[tuple[float, str, Hit]] = []
        for score, address in found.hits[:limit]:
            doc = searcher.doc(address)
            article_id = doc.get_first("id")
            article = self._article(article_id) if isinstance(article_id, str) else None
            if article is None:
                continue
            rank = float(score) if compiled.scoring else 0.0
            relevance = rank % BONUS
            keys = frozenset(k for k in doc.get_all("ekey") if isinstance(k, str))
            hits.append((-rank, article.id, Hit(article, relevance, compiled.matcher, keys)))
        if compiled.scoring:
            hits.sort(key=lambda item: item[:2])
        suggestion = None
        total = _count(found)
        if not total and suggest:
            suggestion = self._suggest(text, tree, langs, searcher)
        return SearchResults(
            text, total, tuple(h for *_, h in hits), False, suggestion, compiled.matcher
        )

    # -- suggestions -------------------------------------------------------------

    def _known(self, searcher: tantivy.Searcher, surface: str, langs: list[str]) -> bool:
        folded = analysis.fold(surface)
        if searcher.doc_freq("body", folded) or searcher.doc_freq("title", folded):
            return True
        return any(searcher.doc_freq(f"body_{L}", analysis.stem(surface, L)) for L in langs)

    def _suggest(
        self, text: str, tree: query.Node | None, langs: list[str], searcher: tantivy.Searcher
    ) -> str | None:
        corrected = text
        for node in _positive_words(tree):
            surfaces = analysis.query_tokens(node.text)
            if node.prefix or len(surfaces) != 1 or self._known(searcher, surfaces[0], langs):
                continue
            term = _closest(searcher, analysis.fold(surfaces[0]))
            if term is not None:
                corrected = corrected.replace(node.text, term, 1)
        if corrected == text or not self._search(corrected, 1, False, suggest=False).total:
            return None
        return corrected


def _count(found: tantivy.SearchResult) -> int:
    """The exact number of matches (``count=True``; missing from the stubs)."""
    return int(found.count)  # type: ignore[attr-defined]


def _positive_words(node: query.Node | None) -> list[query.Word]:
    out: list[query.Word] = []
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if isinstance(current, query.Word):
            out.append(current)
        elif isinstance(current, query.And | query.Or):
            stack.extend(reversed(current.children))
    return out


def _closest(searcher: tantivy.Searcher, folded: str) -> str | None:
    """The most frequent term of the folded fields close to ``folded``:
    one edit from 3 letters, two from 5."""
    limit = 2 if len(folded) >= 5 else 1 if len(folded) >= 3 else 0
    if not limit:
        return None
    counts: dict[str, int] = {}
    for name in ("title", "body"):
        for term, count in searcher.terms_with_prefix(name, folded[0]):
            counts[term] = counts.get(term, 0) + count
    best: tuple[int, int, str] | None = None
    for term, count in counts.items():
        if term == folded or abs(len(term) - len(folded)) > limit:
            continue
        dist = distance(term, folded, limit)
        if dist <= limit and (best is None or (dist, -count, term) < best):
            best = (dist, -count, term)
    return best[2] if best else None
